"""Reported posts for the moderators: each staff member sees the reports of their offerings."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from community.models import PostReport
from community.selectors import moderated_reports
from community.services import reports_resolve


class OpenFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("1", _("Open")), ("0", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(resolved_at__isnull=self.value() == "1")
        return queryset


@admin.register(PostReport)
class PostReportAdmin(admin.ModelAdmin):
    list_display = ("created_at", "reason", "post_excerpt", "thread_link", "reporter", "is_open")
    list_filter = (OpenFilter, "reason")
    search_fields = ("post__body", "details")
    fields = (
        "thread_link",
        "post_author",
        "post_body",
        "reason",
        "details",
        "reporter",
        "created_at",
        "resolved_at",
        "resolved_by_user",
    )
    readonly_fields = fields
    actions = ("resolve",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[PostReport]:
        return moderated_reports(user=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("post"))
    def post_excerpt(self, report: PostReport) -> str:
        return Truncator(report.post.body).chars(80)

    @admin.display(description=_("post text"))
    def post_body(self, report: PostReport) -> str:
        return report.post.body

    @admin.display(description=_("written by"))
    def post_author(self, report: PostReport) -> str:
        return report.post.user.full_name

    @admin.display(description=_("thread"))
    def thread_link(self, report: PostReport) -> str:
        thread = report.post.thread
        url = reverse(
            "portal:thread",
            kwargs={"offering_id": thread.course_offering_id, "thread_id": thread.pk},
        )
        return format_html('<a href="{}#post-{}">{}</a>', url, report.post_id, thread.title)

    @admin.display(description=_("open"), boolean=True)
    def is_open(self, report: PostReport) -> bool:
        return report.resolved_at is None

    @admin.action(description=_("Mark the selected reports as resolved"))
    def resolve(self, request: HttpRequest, queryset: QuerySet[PostReport]) -> None:
        closed = reports_resolve(user=request.user, reports=queryset)
        self.message_user(request, _("%(count)d reports resolved.") % {"count": closed})
