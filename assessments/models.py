from django.conf import settings
from django.db import models

from catalog.models import CourseOffering
from content.models import ContentItem
from syllabus.models import Module

USER = settings.AUTH_USER_MODEL


def percent_checks(table: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=models.Q(progress_percent__gte=0, progress_percent__lte=100),
            name=f"{table}_progress_percent_range",
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
        return f"{self.user_id} · module {self.module_id}: {self.progress_percent}%"


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
        return f"{self.user_id} · item {self.content_item_id}: {self.progress_percent}%"


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

    class Meta:
        db_table = "quiz_attempts"
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["user", "content_item"], name="ix_quiz_attempts_user_item"),
            models.Index(fields=["course_offering"], name="ix_quiz_attempts_course_offering"),
        ]

    def __str__(self) -> str:
        return f"attempt {self.attempt_number} by {self.user_id} on {self.content_item_id}"


class LabSubmission(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, db_index=False)
    course_offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE)
    content_item = models.ForeignKey(ContentItem, on_delete=models.CASCADE)
    submitted_at = models.DateTimeField(db_default=models.functions.Now(), auto_now_add=True)
    status = models.CharField(max_length=32, default="submitted", db_default="submitted")
    auto_grade_json = models.JSONField(null=True, blank=True)
    score_obtained = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    instructor_feedback = models.TextField(null=True, blank=True)
    artifacts_url = models.CharField(max_length=1024, null=True, blank=True)

    class Meta:
        db_table = "lab_submissions"
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["user", "content_item"], name="ix_lab_submissions_user_item"),
        ]

    def __str__(self) -> str:
        return f"lab submission {self.pk} by {self.user_id} ({self.status})"


class CourseGrade(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, db_index=False)
    course_offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE)
    final_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    letter_grade = models.CharField(max_length=8, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "course_grades"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_offering"], name="ux_course_grades_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.course_offering_id}: {self.final_score}"


class Certificate(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, db_index=False)
    course_offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE)
    certificate_code = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    metadata_json = models.JSONField(null=True, blank=True)

    class Meta:
        db_table = "certificates"
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["user"], name="ix_certificates_user")]

    def __str__(self) -> str:
        return self.certificate_code
