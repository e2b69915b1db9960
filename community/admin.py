"""Discussions, reviews and reported posts for the moderators: each member of staff sees those
of the offerings they teach or administer. Threads, posts and reviews are written in the portal;
here staff lock, pin, remove and hide them through the same services the portal uses."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog.scoping import paths_via_offering
from community.announcements.services import announcement_post
from community.discussions.selectors import discussion_access, moderated_reports
from community.discussions.services import (
    post_delete,
    reports_resolve,
    thread_set_locked,
    thread_set_pinned,
)
from community.models import (
    Announcement,
    CourseReview,
    DiscussionPost,
    DiscussionThread,
    PostReport,
    ReviewReply,
)
from community.reviews.selectors import reviews_access
from community.reviews.services import review_set_hidden
from lms import links
from tenancy.scoping import TenantScopedAdmin


class ModerationAdmin(TenantScopedAdmin):
    """Rows written by learners in the portal: staff moderate them here but do not add them."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(DiscussionThread)
class DiscussionThreadAdmin(ModerationAdmin):
    tenant_paths = paths_via_offering("course_offering")
    person_field = "created_by_user"
    list_display = ("title", "course_offering", "created_by_user", "created_at", "is_locked")
    list_display += ("is_pinned", "last_activity_at")
    list_filter = ("is_locked", "is_pinned", "course_offering__university")
    search_fields = ("title", "created_by_user__email", "course_offering__course__code")
    list_select_related = ("course_offering__course", "created_by_user")
    fields = ("course_offering", "created_by_user", "title", "is_locked", "is_pinned")
    fields += ("module", "content_item", "answer_post", "created_at", "last_activity_at")
    readonly_fields = ("course_offering", "created_by_user", "module", "content_item")
    readonly_fields += ("answer_post", "created_at", "last_activity_at")
    date_hierarchy = "created_at"

    @transaction.atomic
    def save_model(self, request, obj: DiscussionThread, form, change) -> None:
        access = discussion_access(user=request.user, offering_id=obj.course_offering_id)
        if "is_locked" in form.changed_data:
            thread_set_locked(access=access, thread=obj, locked=obj.is_locked)
        if "is_pinned" in form.changed_data:
            thread_set_pinned(access=access, thread=obj, pinned=obj.is_pinned)
        if "title" in form.changed_data:
            obj.save(update_fields=["title"])


@admin.register(DiscussionPost)
class DiscussionPostAdmin(ModerationAdmin):
    tenant_paths = paths_via_offering("thread__course_offering")
    person_field = "user"
    list_display = ("excerpt", "thread", "user", "created_at", "is_deleted")
    list_filter = ("is_deleted", "thread__course_offering__university")
    search_fields = ("body", "user__email", "thread__title")
    list_select_related = ("thread", "user")
    fields = ("thread", "parent_post", "user", "body", "created_at", "edited_at", "is_deleted")
    fields += ("deleted_at", "deleted_by_user")
    readonly_fields = fields
    actions = ("remove",)
    date_hierarchy = "created_at"

    @admin.display(description=_("post"))
    def excerpt(self, post: DiscussionPost) -> str:
        return Truncator(post.body).chars(80)

    @admin.action(description=_("Remove the selected posts from view"), permissions=["change"])
    @transaction.atomic
    def remove(self, request: HttpRequest, queryset: QuerySet[DiscussionPost]) -> None:
        posts = list(queryset.select_related("thread"))
        for post in posts:
            access = discussion_access(
                user=request.user, offering_id=post.thread.course_offering_id
            )
            post_delete(access=access, post=post)
        self.message_user(
            request,
            ngettext("%(count)d post removed.", "%(count)d posts removed.", len(posts))
            % {"count": len(posts)},
        )


class ReviewForm(forms.ModelForm):
    class Meta:
        model = CourseReview
        fields = ("is_hidden", "hidden_reason")

    def clean(self):
        data = super().clean()
        if data.get("is_hidden") and not (data.get("hidden_reason") or "").strip():
            self.add_error("hidden_reason", _("Say why the review is hidden."))
        return data


class ReviewReplyInline(admin.StackedInline):
    model = ReviewReply
    fields = ("user", "body", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(CourseReview)
class CourseReviewAdmin(ModerationAdmin):
    tenant_paths = paths_via_offering("course_offering")
    person_field = "user"
    form = ReviewForm
    inlines = (ReviewReplyInline,)
    list_display = ("course_offering", "rating", "user", "created_at", "is_hidden")
    list_filter = ("rating", "is_hidden", "course_offering__university")
    search_fields = ("review_text", "user__email", "course_offering__course__code")
    list_select_related = ("course_offering__course", "user")
    fields = ("course_offering", "user", "rating", "review_text", "display_name")
    fields += ("is_hidden", "hidden_reason", "hidden_at", "hidden_by_user")
    readonly_fields = ("course_offering", "user", "rating", "review_text", "display_name")
    readonly_fields += ("hidden_at", "hidden_by_user")

    def save_model(self, request, obj: CourseReview, form, change) -> None:
        course_id = obj.course_offering.course_id
        review_set_hidden(
            access=reviews_access(user=request.user, course_id=course_id),
            review=obj,
            hidden=obj.is_hidden,
            reason=obj.hidden_reason,
        )


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
class PostReportAdmin(TenantScopedAdmin):
    tenant_paths = paths_via_offering("post__thread__course_offering")
    person_field = "post__user"
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
        """The reports the selector gives moderators, within the user's tenant scope."""
        return moderated_reports(user=request.user).filter(
            pk__in=super().get_queryset(request).values("pk")
        )

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
        url = links.page_path(
            "discussion-thread", offering_id=thread.course_offering_id, thread_id=thread.pk
        )
        return format_html('<a href="{}#post-{}">{}</a>', url, report.post_id, thread.title)

    @admin.display(description=_("open"), boolean=True)
    def is_open(self, report: PostReport) -> bool:
        return report.resolved_at is None

    @admin.action(description=_("Mark the selected reports as resolved"))
    def resolve(self, request: HttpRequest, queryset: QuerySet[PostReport]) -> None:
        closed = reports_resolve(user=request.user, reports=queryset)
        self.message_user(
            request,
            ngettext("%(count)d report resolved.", "%(count)d reports resolved.", closed)
            % {"count": closed},
        )


@admin.register(Announcement)
class AnnouncementAdmin(TenantScopedAdmin):
    """Staff post to the offerings they teach or administer; a new announcement is posted
    through the service, which tells the offering's active learners once."""

    tenant_paths = paths_via_offering("course_offering")
    person_field = "author"
    list_display = ("title", "course_offering", "author", "created_at")
    list_filter = ("course_offering__university",)
    search_fields = ("title", "body", "course_offering__course__code")
    list_select_related = ("course_offering__course", "author")
    fields = ("course_offering", "title", "body", "author", "created_at")
    readonly_fields = ("author", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if obj is not None:
            return (*self.readonly_fields, "course_offering")
        return self.readonly_fields

    def save_model(self, request, obj: Announcement, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        posted = announcement_post(
            offering=obj.course_offering, author=request.user, title=obj.title, body=obj.body
        )
        obj.pk, obj.author, obj.created_at = posted.pk, posted.author, posted.created_at
