from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Course, CourseOffering
from content.models import ContentItem
from lms.dates import display_datetime
from lms.db import FieldCheckConstraint, TimestampedModel, enum_check
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
        verbose_name_plural = "module progress"
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
        verbose_name_plural = "content progress"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_offering", "content_item"],
                name="ux_user_content_progress_unique",
            ),
            *percent_checks("user_content_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.content_item}: {self.progress_percent}%"


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


class LabStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    GRADING = "grading", _("Grading")
    GRADED = "graded", _("Graded")
    ERROR = "error", _("Error")


class LabSubmission(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, db_index=False)
    course_offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE)
    content_item = models.ForeignKey(ContentItem, on_delete=models.CASCADE)
    submitted_at = models.DateTimeField(db_default=models.functions.Now(), auto_now_add=True)
    status = models.CharField(
        max_length=32,
        choices=LabStatus.choices,
        default=LabStatus.SUBMITTED,
        db_default=LabStatus.SUBMITTED,
    )
    auto_grade_json = models.JSONField(null=True, blank=True)
    score_obtained = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    instructor_feedback = models.TextField(null=True, blank=True)
    # The storage name of the submitted files (a zip archive), not a public address: downloads
    # go through a view that checks who is asking.
    artifacts_url = models.CharField(max_length=1024, null=True, blank=True)
    # Added to the contract (assessments/labs/services.py): `score_obtained` is the override
    # when staff set one, else the automatic score; grading_started_at marks a claimed run.
    auto_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    score_override = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    score_overridden_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    score_overridden_at = models.DateTimeField(null=True, blank=True)
    feedback_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    feedback_at = models.DateTimeField(null=True, blank=True)
    grading_started_at = models.DateTimeField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "lab_submissions"
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["user", "content_item"], name="ix_lab_submissions_user_item"),
        ]
        constraints = [
            enum_check("status", LabStatus, "lab_submissions_status_valid"),
            FieldCheckConstraint(
                field="score_override",
                condition=models.Q(score_override__isnull=True) | models.Q(score_override__gte=0),
                name="lab_submissions_score_override_not_negative",
                violation_error_message=_(
                    "A score cannot be negative; leave it empty to keep the graded score."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("%(item)s by %(user)s, submitted %(when)s (%(status)s)") % {
            "item": self.content_item,
            "user": self.user,
            "when": display_datetime(self.submitted_at) or _("not yet"),
            "status": self.get_status_display(),
        }


class AssignmentSubmission(LabSubmission):
    """The rows of `lab_submissions` whose item is an assignment, for grading them apart from
    labs in the admin (assessments.assignment_services)."""

    class Meta:
        proxy = True
        ordering = ["-submitted_at"]
        verbose_name = _("assignment submission")
        verbose_name_plural = _("assignment submissions")


class CourseGrade(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, db_index=False)
    course_offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE)
    final_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    letter_grade = models.CharField(max_length=8, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    # Added to the contract (assessments/grading.py): `final_score` counts ungraded work as 0
    # (the projected final grade), `current_score` counts graded work only. A grade is
    # provisional until `is_final`: the offering ended or its staff finalised it, or, in a
    # self-paced offering, every graded item of the learner is graded and the grade passes.
    current_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    is_final = models.BooleanField(default=False, db_default=False)
    finalized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "course_grades"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_offering"], name="ux_course_grades_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.course_offering}: {self.final_score}"


class Certificate(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, db_index=False)
    course_offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE)
    certificate_code = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    metadata_json = models.JSONField(null=True, blank=True)
    # Issuance steps after the row: each is done once and recorded, so a retried task resumes.
    pdf_path = models.CharField(max_length=512, blank=True, default="", db_default="")
    emailed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    revocation_reason = models.TextField(blank=True, default="", db_default="")

    class Meta:
        db_table = "certificates"
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["user"], name="ix_certificates_user")]
        constraints = [
            # One certificate per learner and offering: concurrent issuers meet here.
            models.UniqueConstraint(
                fields=["course_offering", "user"], name="ux_certificates_offering_user"
            ),
            FieldCheckConstraint(
                field="revocation_reason",
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revocation_reason=""),
                name="certificates_revocation_has_reason",
                violation_error_message=_("Say why the certificate is revoked."),
            ),
        ]

    def __str__(self) -> str:
        return self.certificate_code


class AttemptRule(models.TextChoices):
    BEST = "best", _("Best attempt")
    LATEST = "latest", _("Latest attempt")


def default_letter_scheme() -> list[dict]:
    return [
        {"letter": "A", "min": 90},
        {"letter": "B", "min": 80},
        {"letter": "C", "min": 70},
        {"letter": "D", "min": 60},
        {"letter": "F", "min": 0},
    ]


class GradingPolicy(TimestampedModel):
    """How an offering's course grade is computed (assessments/grading.py applies it).

    Weights are percentages of the total; a category without graded items in the course gives
    its weight to the others. `drop_lowest_*` ignores that many of a learner's lowest item
    scores in the category (always keeping one). The letter scheme lists each letter with the
    lowest total that earns it, highest first, ending at 0.
    """

    course_offering = models.OneToOneField(
        CourseOffering, on_delete=models.CASCADE, related_name="grading_policy"
    )
    weight_quizzes = models.DecimalField(max_digits=5, decimal_places=2, default=40)
    weight_labs = models.DecimalField(max_digits=5, decimal_places=2, default=40)
    weight_assignments = models.DecimalField(max_digits=5, decimal_places=2, default=20)
    drop_lowest_quizzes = models.PositiveSmallIntegerField(default=0)
    drop_lowest_labs = models.PositiveSmallIntegerField(default=0)
    drop_lowest_assignments = models.PositiveSmallIntegerField(default=0)
    quiz_attempt_rule = models.CharField(
        max_length=16, choices=AttemptRule.choices, default=AttemptRule.BEST
    )
    pass_threshold = models.DecimalField(max_digits=5, decimal_places=2, default=60)
    letter_scheme = models.JSONField(default=default_letter_scheme)

    class Meta:
        db_table = "grading_policies"
        verbose_name_plural = "grading policies"
        constraints = [
            FieldCheckConstraint(
                field="weight_quizzes",
                violation_error_message=_("Each weight is a percentage from 0 to 100."),
                condition=models.Q(
                    weight_quizzes__gte=0,
                    weight_labs__gte=0,
                    weight_assignments__gte=0,
                    weight_quizzes__lte=100,
                    weight_labs__lte=100,
                    weight_assignments__lte=100,
                ),
                name="grading_policies_weights_range",
            ),
            FieldCheckConstraint(
                field="pass_threshold",
                condition=models.Q(pass_threshold__gte=0, pass_threshold__lte=100),
                name="grading_policies_pass_threshold_range",
                violation_error_message=_("The pass mark is a percentage from 0 to 100."),
            ),
            enum_check("quiz_attempt_rule", AttemptRule, "grading_policies_attempt_rule_valid"),
        ]

    def __str__(self) -> str:
        return _("grading policy of %(offering)s") % {"offering": self.course_offering}

    def clean(self) -> None:
        from assessments.grading import policy_errors

        errors = policy_errors(self)
        if errors:
            raise ValidationError(errors)


# Question banks and quizzes --------------------------------------------------------------------


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
        """Problems with this question's answer key (see assessments.scoring.key_errors);
        `choices` are the (text, is_correct) options being saved, None to skip them."""
        from assessments.scoring import key_errors

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
        verbose_name_plural = "quiz masteries"
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


class LabFile(TimestampedModel):
    """The bytes of a file a lab's payload lists in `files`: a starter file students download
    (role student_visible) or a hidden test (role hidden_test). The payload says which role a
    path has; a row for a path the payload does not list is never served or run."""

    content_item = models.ForeignKey(
        ContentItem, on_delete=models.CASCADE, related_name="lab_files", db_index=False
    )
    path = models.CharField(max_length=255)
    content = models.BinaryField()

    class Meta:
        db_table = "lab_files"
        ordering = ["content_item_id", "path"]
        constraints = [
            models.UniqueConstraint(fields=["content_item", "path"], name="ux_lab_files_item_path"),
        ]

    def __str__(self) -> str:
        return self.path
