"""Learners' progress per module and content item. The course player records it; staff read it
here and may correct the figures, but neither add rows nor move them to another learner."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from assessments.progress.models import UserContentProgress, UserModuleProgress
from catalog.scoping import paths_via_offering
from tenancy.scoping import TenantScopedAdmin


class CompletedFilter(admin.SimpleListFilter):
    title = _("completed")
    parameter_name = "completed"

    def lookups(self, request, model_admin):
        return [("1", _("Yes")), ("0", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(completed_at__isnull=self.value() == "0")
        return queryset


class ProgressAdmin(TenantScopedAdmin):
    tenant_paths = paths_via_offering("course_offering")
    person_field = "user"
    list_filter = (CompletedFilter, "course_offering__university")
    search_fields = ("user__email", "user__full_name", "course_offering__course__code")
    date_hierarchy = "completed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(UserModuleProgress)
class UserModuleProgressAdmin(ProgressAdmin):
    list_display = ("user", "course_offering", "module", "progress_percent", "completed_at")
    list_select_related = ("user", "course_offering__course", "module")
    fields = ("user", "course_offering", "module", "progress_percent", "started_at")
    fields += ("completed_at",)
    readonly_fields = ("user", "course_offering", "module")


@admin.register(UserContentProgress)
class UserContentProgressAdmin(ProgressAdmin):
    list_display = ("user", "course_offering", "content_item", "progress_percent")
    list_display += ("attempts_count", "completed_at")
    list_select_related = ("user", "course_offering__course", "content_item")
    fields = ("user", "course_offering", "content_item", "progress_percent", "attempts_count")
    fields += ("first_started_at", "last_interacted_at", "completed_at")
    readonly_fields = ("user", "course_offering", "content_item")
