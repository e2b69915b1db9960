"""Assignments are graded as rows of `lab_submissions` whose item is an assignment."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assessments.labs.models import LabSubmission

USER = settings.AUTH_USER_MODEL


class AssignmentSubmission(LabSubmission):
    """The rows of `lab_submissions` whose item is an assignment, for grading them apart from
    labs in the admin (assessments.assignments.services)."""

    class Meta:
        proxy = True
        ordering = ["-submitted_at"]
        verbose_name = _("assignment submission")
        verbose_name_plural = _("assignment submissions")
