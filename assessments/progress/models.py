"""What a learner has opened and completed: per content item and rolled up per module."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import CourseOffering
from content.models import ContentItem
from lms.db import FieldCheckConstraint
from syllabus.models import Module

USER = settings.AUTH_USER_MODEL


def percent_checks(table: str) -> list[FieldCheckConstraint]:
    return [
        FieldCheckConstraint(
            field="progress_percent",
            condition=models.Q(progress_percent__gte=0, progress_percent__lte=100),
            name=f"{table}_progress_percent_range",
            violation_error_message=_("Progress is a percentage from 0 to 100."),
        )
    ]


class UserModuleProgress(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, db_index=False)
    course_offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE)
    module = models.ForeignKey(Module, on_delete=models.CASCADE, db_index=False)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    progress_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0, db_default=0)

    class Meta:
        db_table = "user_module_progress"
        verbose_name = _("progress in a module")
        verbose_name_plural = _("progress in modules")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_offering", "module"], name="ux_user_module_progress_unique"
            ),
            *percent_checks("user_module_progress"),
        ]
        indexes = [models.Index(fields=["module"], name="ix_user_module_progress_module_id")]

    def __str__(self) -> str:
        return f"{self.user} · {self.module}: {self.progress_percent}%"


class UserContentProgress(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, db_index=False)
    course_offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE)
    content_item = models.ForeignKey(ContentItem, on_delete=models.CASCADE)
    first_started_at = models.DateTimeField(null=True, blank=True)
    last_interacted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    progress_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0, db_default=0)
    attempts_count = models.IntegerField(default=0, db_default=0)

    class Meta:
        db_table = "user_content_progress"
        verbose_name = _("progress on an item")
        verbose_name_plural = _("progress on items")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_offering", "content_item"],
                name="ux_user_content_progress_unique",
            ),
            *percent_checks("user_content_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.content_item}: {self.progress_percent}%"
