"""The role admin: tenancy's, writing through the roster's services (catalog.services.roles),
like the roles page of a university: a person who loses their last teaching role also leaves the
university's offerings and loses the object permissions on them, and a university admin
cannot revoke their own admin role."""

from django.contrib import admin

from catalog.services import roles
from tenancy.admin import RoleWrites, UserUniversityRoleAdmin
from tenancy.models import Department, University, User, UserUniversityRole


class RosterRoleWrites(RoleWrites):
    def check_revoke(self, *, actor: User, row: UserUniversityRole) -> None:
        roles.university_role_revoke_check(
            actor=actor, university=row.university, user=row.user, role=row.role
        )

    def grant(
        self,
        *,
        actor: User,
        user: User,
        university: University,
        role: str,
        department: Department | None,
    ) -> UserUniversityRole:
        return roles.university_role_grant(
            actor=actor, university=university, user=user, role=role, department=department
        )

    def revoke(self, *, actor: User, row: UserUniversityRole) -> int:
        return roles.university_role_revoke(
            actor=actor, university=row.university, user=row.user, role=row.role
        )


class RosterRoleAdmin(UserUniversityRoleAdmin):
    role_writes = RosterRoleWrites()


admin.site.register(UserUniversityRole, RosterRoleAdmin)
