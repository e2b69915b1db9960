from django.conf import settings
from django.db import models

from catalog.models import CourseOffering
from content.models import ContentItem
from lms.db import TimestampedModel, created_at_field
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

    class Meta:
        db_table = "discussion_threads"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["course_offering"], name="ix_discussion_threads_course_offering"),
        ]

    def __str__(self) -> str:
        return self.title or f"thread {self.pk}"


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

    class Meta:
        db_table = "discussion_posts"
        ordering = ["created_at"]
        indexes = [models.Index(fields=["thread"], name="ix_discussion_posts_thread_id")]

    def __str__(self) -> str:
        return f"post {self.pk} in thread {self.thread_id}"


class CourseReview(TimestampedModel):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, db_index=False)
    course_offering = models.ForeignKey(
        CourseOffering, on_delete=models.CASCADE, related_name="reviews", db_index=False
    )
    rating = models.IntegerField()
    review_text = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "course_reviews"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_offering"], name="ux_course_reviews_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="course_reviews_rating_check"
            ),
        ]
        indexes = [
            models.Index(fields=["course_offering"], name="ix_course_reviews_course_offering"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 by {self.user_id}"
