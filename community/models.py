from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import CourseOffering
from content.models import ContentItem
from lms.dates import display_date
from lms.db import (
    FieldCheckConstraint,
    TimestampedModel,
    created_at_field,
    enum_check,
    updated_at_field,
)
from syllabus.models import Module

USER = settings.AUTH_USER_MODEL


class DiscussionThread(models.Model):
    course_offering = models.ForeignKey(
        CourseOffering, on_delete=models.CASCADE, related_name="threads", db_index=False
    )
    module = models.ForeignKey(Module, on_delete=models.SET_NULL, null=True, blank=True)
    content_item = models.ForeignKey(ContentItem, on_delete=models.SET_NULL, null=True, blank=True)
    created_by_user = models.ForeignKey(USER, on_delete=models.CASCADE)
    title = models.CharField(max_length=255, null=True, blank=True)
    created_at = created_at_field()
    is_locked = models.BooleanField(default=False, db_default=False)
    is_pinned = models.BooleanField(default=False, db_default=False)
    answer_post = models.ForeignKey(
        "DiscussionPost",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The reply staff marked as the answer."),
    )
    last_activity_at = models.DateTimeField(default=timezone.now, db_default=Now())

    class Meta:
        db_table = "discussion_threads"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["course_offering"], name="ix_discussion_threads_course_offering"),
            models.Index(
                fields=["course_offering", "-is_pinned", "-last_activity_at"],
                name="ix_discussion_threads_forum",
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(_("Untitled thread"))


class DiscussionPost(TimestampedModel):
    thread = models.ForeignKey(
        DiscussionThread, on_delete=models.CASCADE, related_name="posts", db_index=False
    )
    parent_post = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE)
    body = models.TextField()
    is_deleted = models.BooleanField(default=False, db_default=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by_user = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "discussion_posts"
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["thread"], name="ix_discussion_posts_thread_id"),
            # The posting throttle counts a user's recent posts.
            models.Index(fields=["user", "created_at"], name="ix_discussion_posts_user_created"),
        ]

    def __str__(self) -> str:
        return _("post by %(user)s in %(thread)s") % {"user": self.user, "thread": self.thread}


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Harassment or abusive language")
    OFF_TOPIC = "off_topic", _("Off topic")
    CHEATING = "cheating", _("Shares graded answers")
    OTHER = "other", _("Something else")


class PostReport(models.Model):
    """A reader's report of a post for moderators; one per reader and post."""

    post = models.ForeignKey(DiscussionPost, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="post_reports")
    reason = models.CharField(max_length=32, choices=ReportReason.choices)
    details = models.TextField(blank=True, default="", db_default="")
    created_at = created_at_field()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by_user = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "discussion_post_reports"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"], name="ux_discussion_post_reports_post_reporter"
            ),
            enum_check("reason", ReportReason, "discussion_post_reports_reason_valid"),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="ix_discussion_post_reports_open",
            ),
        ]

    def __str__(self) -> str:
        return _("report of %(post)s by %(user)s (%(reason)s)") % {
            "post": self.post,
            "user": self.reporter,
            "reason": self.get_reason_display(),
        }


class ThreadFollower(models.Model):
    """Who gets told about new posts in a thread. Starting or posting in a thread follows it."""

    thread = models.ForeignKey(DiscussionThread, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="followed_threads")
    created_at = created_at_field()

    class Meta:
        db_table = "discussion_thread_followers"
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "user"], name="ux_discussion_thread_followers_thread_user"
            ),
        ]
        indexes = [models.Index(fields=["user"], name="ix_discussion_thread_followers_user")]

    def __str__(self) -> str:
        return _("%(user)s follows %(thread)s") % {"user": self.user, "thread": self.thread}


class NotificationMode(models.TextChoices):
    IMMEDIATE = "immediate", _("An email for every reply")
    DAILY_DIGEST = "daily_digest", _("One daily digest email")
    OFF = "off", _("No emails")


class DiscussionNotificationSetting(models.Model):
    """How a user wants to hear about replies; no row means the default, immediate."""

    user = models.OneToOneField(
        USER, on_delete=models.CASCADE, related_name="discussion_notification_setting"
    )
    mode = models.CharField(
        max_length=16,
        choices=NotificationMode.choices,
        default=NotificationMode.IMMEDIATE,
        db_default=NotificationMode.IMMEDIATE,
    )
    updated_at = updated_at_field()

    class Meta:
        db_table = "discussion_notification_settings"
        constraints = [
            enum_check("mode", NotificationMode, "discussion_notification_settings_mode_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_mode_display()}"


class DiscussionDigest(models.Model):
    """The daily digest sent to one user on one day; its uniqueness makes the digest idempotent."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="discussion_digests")
    day = models.DateField()
    sent_at = created_at_field()
    post_count = models.PositiveIntegerField()

    class Meta:
        db_table = "discussion_digests"
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="ux_discussion_digests_user_day"),
        ]

    def __str__(self) -> str:
        return _("digest for %(user)s on %(day)s") % {
            "user": self.user,
            "day": display_date(self.day),
        }


class DeliveryChannel(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate email")
    DIGEST = "digest", _("Daily digest")


class NotificationDelivery(models.Model):
    """That `user` was (or, for a digest still pending, will be) told about `post`.

    Unique on (post, user): a reply notification task that runs twice finds the row and sends
    nothing the second time. Digest rows wait with `sent_at` empty until the daily digest.
    """

    post = models.ForeignKey(
        DiscussionPost, on_delete=models.CASCADE, related_name="notification_deliveries"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", db_index=False)
    channel = models.CharField(max_length=16, choices=DeliveryChannel.choices)
    created_at = created_at_field()
    sent_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        DiscussionDigest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )

    class Meta:
        db_table = "discussion_notification_deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"], name="ux_discussion_notification_deliveries_post_user"
            ),
            enum_check("channel", DeliveryChannel, "discussion_notification_deliveries_channel"),
        ]
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(channel="digest", sent_at__isnull=True),
                name="ix_discussion_deliveries_pending",
            ),
        ]

    def __str__(self) -> str:
        return _("%(post)s to %(user)s (%(channel)s)") % {
            "post": self.post,
            "user": self.user,
            "channel": self.get_channel_display(),
        }


class ReviewerName(models.TextChoices):
    FULL_NAME = "full_name", _("My full name")
    FIRST_NAME_INITIAL = "first_name_initial", _("My first name and initial")
    ANONYMOUS = "anonymous", _("Anonymous")


class CourseReview(TimestampedModel):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, db_index=False)
    course_offering = models.ForeignKey(
        CourseOffering, on_delete=models.CASCADE, related_name="reviews", db_index=False
    )
    rating = models.IntegerField()
    review_text = models.TextField(null=True, blank=True)
    display_name = models.CharField(
        max_length=32,
        choices=ReviewerName.choices,
        default=ReviewerName.FULL_NAME,
        db_default=ReviewerName.FULL_NAME,
        help_text=_("How the reviewer's name is shown."),
    )
    is_hidden = models.BooleanField(default=False, db_default=False)
    hidden_reason = models.TextField(blank=True, default="", db_default="")
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by_user = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "course_reviews"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_offering"], name="ux_course_reviews_unique"
            ),
            FieldCheckConstraint(
                field="rating",
                condition=models.Q(rating__gte=1, rating__lte=5),
                name="course_reviews_rating_check",
                violation_error_message=_("Give a rating from 1 to 5 stars."),
            ),
            enum_check("display_name", ReviewerName, "course_reviews_display_name_valid"),
        ]
        indexes = [
            models.Index(fields=["course_offering"], name="ix_course_reviews_course_offering"),
        ]

    def __str__(self) -> str:
        return _("%(rating)s/5 by %(user)s") % {"rating": self.rating, "user": self.user}


class ReviewReply(TimestampedModel):
    """The one reply the offering's staff may give to a review."""

    review = models.OneToOneField(CourseReview, on_delete=models.CASCADE, related_name="reply")
    user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField()

    class Meta:
        db_table = "course_review_replies"

    def __str__(self) -> str:
        return _("reply to %(review)s") % {"review": self.review}


class Announcement(TimestampedModel):
    """Staff's word to an offering's learners: shown on the course page, the outline and the
    dashboard, and sent to the active learners as a notification. `body` is markup, rendered
    through community.markup (the one sanitiser)."""

    course_offering = models.ForeignKey(
        CourseOffering, on_delete=models.CASCADE, related_name="announcements", db_index=False
    )
    author = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"), help_text=_("Markdown; formulas between $ signs. Links and lists are kept.")
    )

    class Meta:
        db_table = "announcements"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["course_offering", "-created_at"], name="ix_announcements_offering"
            ),
        ]

    def __str__(self) -> str:
        return self.title
