"""Lab submissions (also the rows of assignments) and the files a lab ships."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import CourseOffering
from content.models import ContentItem
from lms.dates import display_datetime
from lms.db import FieldCheckConstraint, TimestampedModel, enum_check

USER = settings.AUTH_USER_MODEL


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
