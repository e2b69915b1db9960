"""An import of a course package, from its upload to its result: the row the staff page shows
and polls, and the id that makes the import task idempotent (it imports only an import that is
still queued, under a row lock)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Course
from lms.db import enum_check
from syllabus.models import Module
from tenancy.models import University


class CourseImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Waiting for confirmation")
    QUEUED = "queued", _("Waiting to be imported")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Refused")


class CourseImportJob(models.Model):
    Status = CourseImportStatus

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    university = models.ForeignKey(University, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    package = models.CharField(max_length=500, blank=True)  # its storage name until imported
    course_code = models.CharField(max_length=128, blank=True)
    into_module = models.ForeignKey(  # appended under this module of a course, when set
        Module, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    appends = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    course = models.ForeignKey(
        Course, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "course_imports"
        verbose_name = _("course import")
        verbose_name_plural = _("course imports")
        ordering = ["-created_at"]
        constraints = [
            enum_check("status", CourseImportStatus, "course_imports_status_valid"),
        ]
        indexes = [
            models.Index(fields=["university", "-created_at"], name="course_imports_univ_idx")
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def running(self) -> bool:
        return self.status == self.Status.QUEUED and self.started_at is not None

    @property
    def module_counts(self) -> list[tuple[str, int]]:
        return sorted(self.summary.get("modules", {}).items())

    @property
    def item_counts(self) -> list[tuple[str, int]]:
        return sorted(self.summary.get("items", {}).items())

    @property
    def warning_rows(self) -> list[tuple[str, str]]:
        """The parts that are not imported, as (file, reason): the plan writes "file: reason"."""
        rows = []
        for warning in self.summary.get("warnings", []):
            place, _sep, reason = warning.partition(": ")
            rows.append((place, reason) if reason else ("", place))
        return rows
