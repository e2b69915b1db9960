"""Invitations in the admin: the admins over a university (or an offering's department) see
the invitations sent there and may withdraw a pending one (a mistyped address, say). Nobody
writes one here: they are sent from the roles page and the roster's CSV."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from catalog.models import Invitation
from tenancy.auth import register_role_permissions
from tenancy.models import Role
from tenancy.scoping import TenantScopedAdmin

register_role_permissions(
    "catalog",
    "invitation",
    {Role.UNIVERSITY_ADMIN: {"view", "delete"}, Role.DEPARTMENT_ADMIN: {"view", "delete"}},
)


@admin.register(Invitation)
class InvitationAdmin(TenantScopedAdmin):
    tenant_paths = {
        "university": "university",
        "department": "course_offering__course__department",
    }
    list_display = ("email", "role", "course_offering", "invited_by", "created_at", "status")
    list_filter = ("role", "university")
    search_fields = ("email",)
    list_select_related = ("course_offering__course", "invited_by", "university")
    fields = ("email", "university", "role", "department", "course_offering", "invited_by")
    fields += ("created_at", "emailed_at", "accepted_at")

    @admin.display(description=_("status"))
    def status(self, invitation: Invitation) -> str:
        return _("accepted") if invitation.accepted_at else _("pending")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        """Withdrawing is for pending invitations; an accepted one is a record."""
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.accepted_at is None)
