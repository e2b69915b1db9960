"""Offerings, their teaching staff and their enrollments.

Staff are added and removed through catalog.services.offerings, which also grants and takes back the
django-guardian permissions that let instructors see their courses.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from catalog.admin.roster import RosterAdminMixin
from catalog.admin.roster_actions import EnrollmentActionsMixin
from catalog.forms import OfferingAdminForm
from catalog.models import CourseEnrollment, CourseOfferingInstructor
from catalog.scoping import paths_via_offering
from catalog.services.enrollment import enrollment_delete, enrollment_save
from catalog.services.offerings import (
    offering_instructor_add,
    offering_instructor_remove,
    offering_save,
)
from tenancy.scoping import TenantScopedAdmin


def report_promoted(request: HttpRequest, promoted: list[CourseEnrollment]) -> None:
    if promoted:
        messages.info(
            request,
            ngettext(
                "%(count)d student moved up from the waitlist into a freed seat.",
                "%(count)d students moved up from the waitlist into freed seats.",
                len(promoted),
            )
            % {"count": len(promoted)},
        )


OFFERING_PATHS = {
    "university": "university",
    "department": "course__department",
    "course": "course",
    "offering": "pk",
}


class CourseOfferingAdmin(RosterAdminMixin, TenantScopedAdmin):
    """The offering's university is always its course's, so it is not asked for."""

    tenant_paths = OFFERING_PATHS
    form = OfferingAdminForm
    exclude = ("university",)
    list_display = ("course", "term_name", "university", "starts_at", "ends_at", "visibility")
    list_display += ("capacity", "requires_approval")
    list_filter = ("visibility", "requires_approval", "university", "course__department")
    search_fields = ("course__code", "course__title", "term_name")
    list_select_related = ("course", "university")
    autocomplete_fields = ("course",)
    date_hierarchy = "starts_at"

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class OfferingForm(form):
            def clean(self):
                data = super().clean()
                if data.get("course") is not None:
                    self.instance.university_id = data["course"].university_id
                return data

        return OfferingForm

    def save_model(self, request, obj, form, change) -> None:
        report_promoted(request, offering_save(offering=obj))


@admin.register(CourseOfferingInstructor)
class CourseOfferingInstructorAdmin(TenantScopedAdmin):
    tenant_paths = paths_via_offering("course_offering")
    list_display = ("user", "course_offering")
    list_filter = ("course_offering__university", "course_offering__course__department")
    search_fields = ("user__email", "user__full_name", "course_offering__course__code")
    list_select_related = ("user", "course_offering__course")
    autocomplete_fields = ("user", "course_offering")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        """A staff link is added or removed, never moved to another person or offering."""
        if obj is not None:
            return ("user", "course_offering")
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            saved = offering_instructor_add(offering=obj.course_offering, user=obj.user)
            obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        offering_instructor_remove(offering=obj.course_offering, user=obj.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset: QuerySet[CourseOfferingInstructor]) -> None:
        for link in queryset.select_related("course_offering", "user"):
            offering_instructor_remove(offering=link.course_offering, user=link.user)


@admin.register(CourseEnrollment)
class CourseEnrollmentAdmin(EnrollmentActionsMixin, TenantScopedAdmin):
    tenant_paths = paths_via_offering("course_offering")
    person_field = "user"
    list_display = ("user", "course_offering", "status", "enrolled_at", "completed_at")
    list_filter = ("status", "course_offering__university", "course_offering__course__department")
    search_fields = ("user__email", "user__full_name", "course_offering__course__code")
    list_select_related = ("user", "course_offering__course")
    autocomplete_fields = ("user", "course_offering")
    date_hierarchy = "enrolled_at"

    def save_model(self, request, obj, form, change) -> None:
        report_promoted(request, enrollment_save(enrollment=obj))

    def delete_model(self, request, obj) -> None:
        report_promoted(request, enrollment_delete(enrollment=obj))

    @transaction.atomic
    def delete_queryset(self, request, queryset: QuerySet[CourseEnrollment]) -> None:
        rows = list(queryset.order_by("pk"))
        promoted = [moved for row in rows for moved in enrollment_delete(enrollment=row)]
        deleted = {row.pk for row in rows}
        report_promoted(request, [row for row in promoted if row.pk not in deleted])
