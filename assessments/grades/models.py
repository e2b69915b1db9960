"""Course grades, the grading policy that computes them, and certificates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import CourseOffering
from lms.db import FieldCheckConstraint, TimestampedModel, enum_check

USER = settings.AUTH_USER_MODEL


class CourseGrade(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, db_index=False)
    course_offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE)
    final_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    letter_grade = models.CharField(max_length=8, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    # Added to the contract (assessments/grades/services.py): `final_score` counts ungraded
    # work as 0 (the projected final grade), `current_score` counts graded work only. A grade
    # is provisional until `is_final`: the offering ended or its staff finalised it, or, in a
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
    """How an offering's course grade is computed (assessments/grades/services.py applies it).

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
        from assessments.grades.services import policy_errors

        errors = policy_errors(self)
        if errors:
            raise ValidationError(errors)
