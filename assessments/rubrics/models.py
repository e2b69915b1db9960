"""Rubrics: criteria by levels with points, owned by a course and reused by its labs and
assignments. An item uses at most one rubric (`RubricAttachment`, a link table rather than a
payload field, so a rubric is edited in one place and shared). Grading with a rubric records one
chosen level per criterion (`RubricMark`, with an optional comment); the sum of the chosen
levels becomes the submission's score through the lab and assignment grading services."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.labs.models import LabSubmission
from catalog.models import Course
from content.models import ContentItem
from lms.db import FieldCheckConstraint

USER = settings.AUTH_USER_MODEL


class Rubric(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "rubrics"
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "title"],
                name="rubrics_course_title_unique",
                violation_error_message=_("The course already has a rubric of this title."),
            ),
        ]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return self.title


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")

    class Meta:
        db_table = "rubric_criteria"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rubric", "position"],
                name="rubric_criteria_rubric_position_unique",
                violation_error_message=_("Two criteria of a rubric cannot share a position."),
            ),
        ]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")

    def __str__(self) -> str:
        return self.title


class RubricLevel(models.Model):
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("level"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)

    class Meta:
        db_table = "rubric_levels"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "position"],
                name="rubric_levels_criterion_position_unique",
                violation_error_message=_("Two levels of a criterion cannot share a position."),
            ),
            FieldCheckConstraint(
                field="points",
                condition=models.Q(points__gte=0),
                name="rubric_levels_points_not_negative",
                violation_error_message=_("A level is worth 0 points or more."),
            ),
        ]
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")

    def __str__(self) -> str:
        return f"{self.title} ({self.points})"


class RubricAttachment(models.Model):
    """The rubric a lab or an assignment is graded with."""

    content_item = models.OneToOneField(ContentItem, on_delete=models.CASCADE, related_name="+")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="attachments")

    class Meta:
        db_table = "rubric_attachments"
        verbose_name = _("rubric of an item")
        verbose_name_plural = _("rubrics of items")

    def __str__(self) -> str:
        return f"{self.content_item.title}: {self.rubric.title}"


class RubricMark(models.Model):
    """The level chosen for one criterion when grading a submission."""

    submission = models.ForeignKey(
        LabSubmission, on_delete=models.CASCADE, related_name="rubric_marks"
    )
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey(RubricLevel, on_delete=models.CASCADE, related_name="+")
    comment = models.TextField(_("comment"), blank=True, default="")
    marked_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "rubric_marks"
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "criterion"],
                name="rubric_marks_submission_criterion_unique",
                violation_error_message=_("A criterion is marked once per submission."),
            ),
        ]
        verbose_name = _("rubric mark")
        verbose_name_plural = _("rubric marks")

    def __str__(self) -> str:
        return f"{self.criterion.title}: {self.level.title}"
