"""Per-student accommodations: more time and attempts on quizzes, a later due date on an
assignment. Staff record them per learner and offering; the quiz and assignment services and
the deadlines selector apply them on the server."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import CourseEnrollment, CourseOffering
from content.models import ContentItem, ContentType
from lms.db import FieldCheckConstraint, TimestampedModel

MAX_EXTRA_MINUTES = 24 * 60
MAX_EXTRA_ATTEMPTS = 20


class Accommodation(TimestampedModel):
    """One learner's accommodation in one offering: on one item, or (no item) on every quiz of
    the offering. An item's own accommodation replaces the offering-wide one for that item.
    Extra time is minutes added to a quiz's time limit, or a factor it is multiplied by (both
    may be given: the factor applies first). It never runs past the quiz's closing time."""

    course_offering = models.ForeignKey(
        CourseOffering,
        on_delete=models.CASCADE,
        related_name="accommodations",
        verbose_name=_("offering"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="accommodations",
        verbose_name=_("student"),
    )
    content_item = models.ForeignKey(
        ContentItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item"),
        help_text=_("Leave empty for every quiz of the offering."),
    )
    extra_minutes = models.PositiveIntegerField(
        _("extra minutes"), null=True, blank=True, help_text=_("Added to a quiz's time limit.")
    )
    time_factor = models.DecimalField(
        _("time factor"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A quiz's time limit is multiplied by it, e.g. 1.5."),
    )
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)
    due_at = models.DateTimeField(
        _("later due date"), null=True, blank=True, help_text=_("For an assignment.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        db_table = "accommodations"
        verbose_name = _("accommodation")
        ordering = ("course_offering", "user", "content_item")
        constraints = [
            models.UniqueConstraint(
                fields=["course_offering", "user", "content_item"],
                condition=models.Q(content_item__isnull=False),
                name="accommodations_one_per_item",
                violation_error_message=_("This student already has an accommodation here."),
            ),
            models.UniqueConstraint(
                fields=["course_offering", "user"],
                condition=models.Q(content_item__isnull=True),
                name="accommodations_one_per_offering",
                violation_error_message=_(
                    "This student already has an accommodation for every quiz of the offering."
                ),
            ),
            FieldCheckConstraint(
                field="extra_minutes",
                condition=models.Q(extra_minutes__isnull=True)
                | models.Q(extra_minutes__gte=1, extra_minutes__lte=MAX_EXTRA_MINUTES),
                name="accommodations_extra_minutes_range",
                violation_error_message=_("Extra time is from 1 to 1440 minutes."),
            ),
            FieldCheckConstraint(
                field="time_factor",
                condition=models.Q(time_factor__isnull=True)
                | models.Q(time_factor__gt=1, time_factor__lte=5),
                name="accommodations_time_factor_range",
                violation_error_message=_("The time factor is more than 1 and at most 5."),
            ),
            FieldCheckConstraint(
                field="extra_attempts",
                condition=models.Q(extra_attempts__lte=MAX_EXTRA_ATTEMPTS),
                name="accommodations_extra_attempts_range",
                violation_error_message=_("At most 20 extra attempts."),
            ),
            FieldCheckConstraint(
                field="due_at",
                condition=models.Q(due_at__isnull=True) | models.Q(content_item__isnull=False),
                name="accommodations_due_date_has_item",
                violation_error_message=_("A later due date is for one assignment: pick it."),
            ),
            FieldCheckConstraint(
                field="extra_minutes",
                condition=models.Q(extra_minutes__isnull=False)
                | models.Q(time_factor__isnull=False)
                | models.Q(extra_attempts__gt=0)
                | models.Q(due_at__isnull=False),
                name="accommodations_grant_something",
                violation_error_message=_("Give extra time, extra attempts or a later due date."),
            ),
        ]

    def __str__(self) -> str:
        return _("accommodation of %(user)s") % {"user": self.user}

    def clean(self) -> None:
        """The student is enrolled in the offering, the item belongs to its course and takes
        what is given: time and attempts on a quiz, a due date on an assignment."""
        super().clean()
        if self.course_offering_id is None or self.user_id is None:
            return
        enrolled = CourseEnrollment.objects.filter(
            course_offering_id=self.course_offering_id, user_id=self.user_id
        ).exists()
        if not enrolled:
            raise ValidationError({"user": _("This person is not enrolled in the offering.")})
        if self.content_item_id is None:
            return
        item = (
            ContentItem.objects.non_polymorphic()
            .filter(pk=self.content_item_id)
            .values("course_id", "content_type")
            .first()
        )
        offering_course = (
            CourseOffering.objects.filter(pk=self.course_offering_id)
            .values_list("course_id", flat=True)
            .first()
        )
        if item is None or item["course_id"] != offering_course:
            raise ValidationError({"content_item": _("Pick an item of this offering's course.")})
        quiz_terms = self.extra_minutes or self.time_factor or self.extra_attempts
        if quiz_terms and item["content_type"] != ContentType.QUIZ:
            raise ValidationError({"content_item": _("Extra time and attempts are for a quiz.")})
        if self.due_at is not None and item["content_type"] != ContentType.ASSIGNMENT:
            raise ValidationError({"due_at": _("A later due date is for an assignment.")})
