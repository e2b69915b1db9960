"""Quiz attempts and the question banks they draw from, with mastery and regrades."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Course, CourseOffering
from content.models import ContentItem
from lms.db import FieldCheckConstraint, TimestampedModel, enum_check

USER = settings.AUTH_USER_MODEL


class QuizAttempt(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, db_index=False)
    course_offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE, db_index=False)
    content_item = models.ForeignKey(ContentItem, on_delete=models.CASCADE)
    started_at = models.DateTimeField(db_default=models.functions.Now(), auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score_obtained = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    raw_response_json = models.JSONField(null=True, blank=True)
    attempt_number = models.IntegerField(default=1, db_default=1)
    # Added to the contract: when a timed attempt ends (null without a time limit).
    deadline_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "quiz_attempts"
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["user", "content_item"], name="ix_quiz_attempts_user_item"),
            models.Index(fields=["course_offering"], name="ix_quiz_attempts_course_offering"),
        ]
        constraints = [
            # At most one open attempt per learner and quiz, and attempt numbers never repeat,
            # whatever the races between requests.
            models.UniqueConstraint(
                fields=["user", "course_offering", "content_item"],
                condition=models.Q(submitted_at__isnull=True),
                name="ux_quiz_attempts_one_open",
            ),
            models.UniqueConstraint(
                fields=["user", "course_offering", "content_item", "attempt_number"],
                name="ux_quiz_attempts_number",
            ),
            FieldCheckConstraint(
                field="attempt_number",
                condition=models.Q(attempt_number__gte=1),
                name="quiz_attempts_number_positive",
                violation_error_message=_("Attempts are numbered from 1."),
            ),
        ]

    def __str__(self) -> str:
        return _("attempt %(n)s at %(quiz)s by %(user)s") % {
            "n": self.attempt_number,
            "quiz": self.content_item,
            "user": self.user,
        }


class QuestionPool(TimestampedModel):
    """The questions a quiz draws from (the quiz payload's `question_pool_id`). A pool belongs
    to one course; `university` repeats the course's, so tenant scoping needs no join."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="question_pools")
    university = models.ForeignKey(
        "tenancy.University", on_delete=models.CASCADE, related_name="+", editable=False
    )
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")

    class Meta:
        db_table = "question_pools"
        ordering = ["course_id", "title", "id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.course_id is not None:
            self.university_id = Course.objects.values_list("university_id", flat=True).get(
                pk=self.course_id
            )
        super().save(*args, **kwargs)


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    NUMERIC = "numeric", _("Numeric")
    SHORT_TEXT = "short_text", _("Short text")


class TextMatch(models.TextChoices):
    EXACT = "exact", _("Exactly as written")
    CASE_INSENSITIVE = "case_insensitive", _("Ignoring case")
    REGEX = "regex", _("Regular expression")


CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE)


class Question(TimestampedModel):
    """One question of a pool. The answer key lives in the columns of its type (choices for
    single and multiple choice); CHECKs keep each type's key complete."""

    pool = models.ForeignKey(QuestionPool, on_delete=models.CASCADE, related_name="questions")
    question_type = models.CharField(max_length=16, choices=QuestionType.choices)
    prompt = models.TextField()
    points = models.DecimalField(max_digits=6, decimal_places=2, default=1, db_default=1)
    explanation = models.TextField(blank=True, default="")
    position = models.IntegerField(default=0, db_default=0)
    is_active = models.BooleanField(default=True, db_default=True)
    correct_boolean = models.BooleanField(null=True, blank=True)
    numeric_answer = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    numeric_tolerance = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    text_answer = models.CharField(max_length=500, null=True, blank=True)
    text_match = models.CharField(max_length=16, choices=TextMatch.choices, null=True, blank=True)

    class Meta:
        db_table = "questions"
        ordering = ["pool_id", "position", "id"]
        indexes = [models.Index(fields=["pool", "position"], name="ix_questions_pool_position")]
        constraints = [
            enum_check("question_type", QuestionType, "questions_question_type_valid"),
            FieldCheckConstraint(
                field="text_match",
                condition=models.Q(text_match__isnull=True)
                | models.Q(text_match__in=TextMatch.values),
                name="questions_text_match_valid",
                violation_error_message=_("Choose one of the listed ways to compare answers."),
            ),
            FieldCheckConstraint(
                field="points",
                condition=models.Q(points__gt=0),
                name="questions_points_positive",
                violation_error_message=_("A question is worth more than 0 points."),
            ),
            FieldCheckConstraint(
                field="numeric_tolerance",
                condition=models.Q(numeric_tolerance__isnull=True)
                | models.Q(numeric_tolerance__gte=0),
                name="questions_numeric_tolerance_not_negative",
                violation_error_message=_("The tolerance cannot be negative."),
            ),
            FieldCheckConstraint(
                field="numeric_answer",
                condition=~models.Q(question_type=QuestionType.NUMERIC)
                | models.Q(numeric_answer__isnull=False, numeric_tolerance__isnull=False),
                name="questions_numeric_has_key",
                violation_error_message=_(
                    "A numeric question needs the correct answer and a tolerance (0 for exact)."
                ),
            ),
            FieldCheckConstraint(
                field="text_answer",
                condition=~models.Q(question_type=QuestionType.SHORT_TEXT)
                | (
                    models.Q(text_answer__isnull=False, text_match__isnull=False)
                    & ~models.Q(text_answer="")
                ),
                name="questions_short_text_has_key",
                violation_error_message=_(
                    "A short-text question needs the correct answer and how to compare it."
                ),
            ),
            FieldCheckConstraint(
                field="correct_boolean",
                condition=~models.Q(question_type=QuestionType.TRUE_FALSE)
                | models.Q(correct_boolean__isnull=False),
                name="questions_true_false_has_key",
                violation_error_message=_("Say whether the statement is true or false."),
            ),
        ]

    def __str__(self) -> str:
        return self.prompt[:80]

    def key_errors(self, choices: list[tuple[str, bool]] | None) -> dict[str, str]:
        """Problems with this question's answer key (see assessments.quizzes.scoring.key_errors);
        `choices` are the (text, is_correct) options being saved, None to skip them."""
        from assessments.quizzes.scoring import key_errors

        return key_errors(
            question_type=self.question_type,
            choices=choices,
            correct_boolean=self.correct_boolean,
            numeric_answer=self.numeric_answer,
            numeric_tolerance=self.numeric_tolerance,
            text_answer=self.text_answer,
            text_match=self.text_match,
        )

    def clean(self) -> None:
        """The key of the question's own type must be complete and sound (a regex compiles, a
        tolerance is not negative); the options are checked with the question's form."""
        super().clean()
        errors = self.key_errors(None)
        if errors:
            raise ValidationError(errors)


class Choice(models.Model):
    """An option of a single or multiple choice question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False, db_default=False)
    position = models.IntegerField(default=0, db_default=0)

    class Meta:
        db_table = "question_choices"
        ordering = ["question_id", "position", "id"]

    def __str__(self) -> str:
        return self.text


class QuizMastery(models.Model):
    """A learner mastered a quiz (a run of `mastery.threshold_correct_in_row` correct answers)
    and got its `mastery.points`: once per learner, quiz and offering."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, db_index=False)
    course_offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE)
    content_item = models.ForeignKey(ContentItem, on_delete=models.CASCADE)
    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mastered_at = models.DateTimeField()
    points_awarded = models.IntegerField(default=0, db_default=0)

    class Meta:
        db_table = "quiz_masteries"
        verbose_name = _("mastered quiz")
        verbose_name_plural = _("mastered quizzes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_offering", "content_item"], name="ux_quiz_masteries_unique"
            ),
            FieldCheckConstraint(
                field="points_awarded",
                condition=models.Q(points_awarded__gte=0),
                name="quiz_masteries_points_not_negative",
                violation_error_message=_("Points cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(user)s mastered %(quiz)s") % {"user": self.user, "quiz": self.content_item}


class QuizRegrade(models.Model):
    """A score that changed when staff regraded attempts after fixing a question's key."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="regrades")
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    old_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    new_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    old_passed = models.BooleanField(null=True, blank=True)
    new_passed = models.BooleanField(null=True, blank=True)
    regraded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    regraded_at = models.DateTimeField(db_default=models.functions.Now(), auto_now_add=True)

    class Meta:
        db_table = "quiz_regrades"
        ordering = ["-regraded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.attempt}: {self.old_score} → {self.new_score}"


# Engineering labs ------------------------------------------------------------------------------
