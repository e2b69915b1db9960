"""Accommodations in the admin, scoped to the offerings the member of staff may see: another
university's offering is not among the choices and its rows are a 404."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from assessments.accommodations.models import Accommodation
from assessments.accommodations.services import accommodation_save
from catalog.models import CourseEnrollment, CourseOffering
from catalog.scoping import paths_via_offering
from content.models import ContentType
from tenancy.access import holds_role_at_q
from tenancy.auth import ALL, register_role_permissions
from tenancy.models import Role, User
from tenancy.scoping import TenantScopedAdmin, related_choices

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
    list_filter = ("course_offering", "course_offering__university")
    search_fields = ("user__email", "user__full_name", "course_offering__course__code")
    autocomplete_fields = ("course_offering",)
    fieldsets = (
        (None, {"fields": ("course_offering", "user", "content_item")}),
        (_("Quizzes"), {"fields": ("extra_minutes", "time_factor", "extra_attempts")}),
        (_("Assignments"), {"fields": ("due_at",)}),
        (None, {"fields": ("note",)}),
    )

    def get_field_queryset(self, db, db_field, request: HttpRequest) -> QuerySet:
        """The items offered are the quizzes and assignments of the offerings' courses; the
        learners offered are those enrolled in the offerings the member of staff sees
        (in the one named by the address, coming from the course home's People tab) and
        holding a role at its university, the one way a person's name reaches its staff."""
        rows = super().get_field_queryset(db, db_field, request)
        offerings = related_choices(self, CourseOffering, request)
        chosen = request.GET.get("course_offering", "")
        if chosen.isdigit():
            offerings = offerings.filter(pk=int(chosen))
        if db_field.name == "content_item":
            return rows.filter(
                course_id__in=offerings.values("course_id"),
                content_type__in=[ContentType.QUIZ, ContentType.ASSIGNMENT],
            )
        if db_field.name != "user":
            return rows
        learners = CourseEnrollment.objects.filter(
            holds_role_at_q(user_ref="user", university_ref="course_offering__university"),
            course_offering__in=offerings.values("pk"),
        )
        return User.objects.filter(pk__in=learners.values("user_id")).order_by("full_name")

    def save_model(self, request, obj, form, change) -> None:
        accommodation_save(obj)
