"""Accommodations in the admin, scoped to the offerings the member of staff may see: another
university's offering is not among the choices and its rows are a 404."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assessments.accommodations.models import Accommodation
from assessments.accommodations.services import accommodation_save
from catalog.scoping import paths_via_offering
from tenancy.auth import ALL, register_role_permissions
from tenancy.models import Role
from tenancy.scoping import TenantScopedAdmin

register_role_permissions(
    "assessments",
    "accommodation",
    {
        role: ALL
        for role in (Role.UNIVERSITY_ADMIN, Role.DEPARTMENT_ADMIN, Role.INSTRUCTOR, Role.TA)
    },
)


@admin.register(Accommodation)
class AccommodationAdmin(TenantScopedAdmin):
    tenant_paths = paths_via_offering("course_offering")
    person_field = "user"
    list_display = (
        "user",
        "course_offering",
        "content_item",
        "extra_minutes",
        "time_factor",
        "extra_attempts",
        "due_at",
    )
    list_select_related = ("user", "course_offering__course", "content_item")
    list_filter = ("course_offering__university",)
    search_fields = ("user__email", "user__full_name", "course_offering__course__code")
    autocomplete_fields = ("user", "course_offering")
    fieldsets = (
        (None, {"fields": ("course_offering", "user", "content_item")}),
        (_("Quizzes"), {"fields": ("extra_minutes", "time_factor", "extra_attempts")}),
        (_("Assignments"), {"fields": ("due_at",)}),
        (None, {"fields": ("note",)}),
    )

    def save_model(self, request, obj, form, change) -> None:
        accommodation_save(obj)
