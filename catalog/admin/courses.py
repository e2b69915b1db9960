"""Courses with their subjects and prerequisites."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from catalog.models import Course, CoursePrerequisite, CourseSubject
from catalog.scoping import paths_via_course
from tenancy.scoping import TenantScopedAdmin, TenantScopedTabularInline

COURSE_PATHS = {"university": "university", "department": "department", "course": "pk"}


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = (
            "university",
            "department",
            "code",
            "title",
            "description",
            "primary_subject",
            "level",
            "language_code",
            "credit_hours",
            "is_published",
        )

    def clean(self):
        data = super().clean()
        university, department = data.get("university"), data.get("department")
        if university and department and department.university_id != university.pk:
            self.add_error("department", _("The department belongs to another university."))
        return data


class CourseSubjectInline(TenantScopedTabularInline):
    model = CourseSubject
    tenant_paths = paths_via_course("course")
    autocomplete_fields = ("subject",)
    extra = 0


class PrerequisiteInline(TenantScopedTabularInline):
    model = CoursePrerequisite
    fk_name = "course"
    tenant_paths = paths_via_course("course")
    autocomplete_fields = ("prerequisite_course",)
    extra = 0


@admin.register(Course)
class CourseAdmin(TenantScopedAdmin):
    tenant_paths = COURSE_PATHS
    form = CourseForm
    inlines = (CourseSubjectInline, PrerequisiteInline)
    list_display = ("code", "title", "university", "department", "level", "language_code")
    list_display += ("is_published",)
    list_filter = ("is_published", "level", "language_code", "university", "department")
    search_fields = ("code", "title")
    list_select_related = ("university", "department")
    autocomplete_fields = ("primary_subject",)


@admin.register(CoursePrerequisite)
class CoursePrerequisiteAdmin(TenantScopedAdmin):
    tenant_paths = paths_via_course("course")
    list_display = ("course", "prerequisite_course", "prerequisite_type", "created_at")
    list_filter = ("prerequisite_type", "course__university")
    search_fields = ("course__code", "prerequisite_course__code")
    list_select_related = ("course", "prerequisite_course")
    autocomplete_fields = ("course", "prerequisite_course")


@admin.register(CourseSubject)
class CourseSubjectAdmin(TenantScopedAdmin):
    tenant_paths = paths_via_course("course")
    list_display = ("course", "subject", "is_primary")
    list_filter = ("is_primary", "subject__domain")
    search_fields = ("course__code", "course__title", "subject__name")
    list_select_related = ("course", "subject")
    autocomplete_fields = ("course", "subject")
