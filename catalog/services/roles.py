"""Roles within a university, granted and revoked by its admins through the roster: a person who
loses their last teaching role also leaves the university's offerings and loses the object
permissions on them, and a university admin cannot revoke their own admin role.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission

from catalog.models import Course, CourseOffering
from catalog.selectors.roster import TEACHING_ROLES
from catalog.services.offerings import offering_instructor_remove
from catalog.services.roster import StaffRefused
from tenancy.access import can_administer_university, forget_tenant_scope
from tenancy.models import Department, Role, University, User, UserUniversityRole
from tenancy.services import role_grant, role_revoke


def _check_role_manager(actor: User, university: University, role: str) -> None:
    if not can_administer_university(actor, university.pk):
        raise PermissionDenied(_("Only a university admin may change roles at this university."))
    if role == Role.PLATFORM_ADMIN and not actor.is_platform_admin:
        raise PermissionDenied(_("Only a platform admin may grant or revoke platform admin."))


@transaction.atomic
def university_role_grant(
    *,
    actor: User,
    university: University,
    user: User,
    role: str,
    department: Department | None = None,
) -> UserUniversityRole:
    _check_role_manager(actor, university, role)
    if role != Role.DEPARTMENT_ADMIN:
        department = None
    return role_grant(
        user=user, university=university, role=role, department=department, actor=actor
    )


@transaction.atomic
def university_role_invite(
    *,
    actor: User,
    university: University,
    email: str,
    role: str,
    department: Department | None = None,
):
    """Invite someone who holds no role at `university` to take `role` there."""
    from catalog.services.invitations import invitation_create

    _check_role_manager(actor, university, role)
    return invitation_create(
        actor=actor, university=university, email=email, role=role, department=department
    )


def university_role_revoke_check(
    *, actor: User, university: University, user: User, role: str
) -> None:
    """Raise when `actor` may not take `role` at `university` away from `user`: only its
    admins may, and a university admin cannot revoke their own admin role, so a university is
    never left without the admin who acts."""
    _check_role_manager(actor, university, role)
    if user.pk == actor.pk and role == Role.UNIVERSITY_ADMIN and not actor.is_platform_admin:
        raise StaffRefused(_("You cannot revoke your own university admin role."))


@transaction.atomic
def university_role_revoke(*, actor: User, university: University, user: User, role: str) -> int:
    """Take a role away. Someone left with no teaching role at the university also leaves the
    staff of its offerings and loses every object permission on its courses and offerings."""
    university_role_revoke_check(actor=actor, university=university, user=user, role=role)
    deleted = role_revoke(user=user, university=university, role=role, actor=actor)
    teaches = UserUniversityRole.objects.filter(
        user=user, university=university, role__in=TEACHING_ROLES
    ).exists()
    if role in TEACHING_ROLES and not teaches:
        for offering in CourseOffering.objects.filter(university=university, instructors=user):
            offering_instructor_remove(offering=offering, user=user)
        _teaching_permissions_remove(user=user, university=university)
        forget_tenant_scope(user)
    return deleted


def _teaching_permissions_remove(*, user: User, university: University) -> None:
    """Object permissions on the university's courses and offerings that no staff link
    explains (granted by hand, say) go with the last teaching role too."""
    for model in (Course, CourseOffering):
        ids = model.objects.filter(university=university).annotate(key=Cast("pk", CharField()))
        UserObjectPermission.objects.filter(
            user=user,
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=ids.values("key"),
        ).delete()
