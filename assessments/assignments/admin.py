"""Assignment submissions in the admin: the assignment rows of `lab_submissions`, scoped like lab
submissions, with a form to grade one (a score from 0 to the assignment's points, and feedback)
through assessments.assignments.services."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from assessments.assignments.models import AssignmentSubmission
from assessments.assignments.services import assignment_submission_grade
from assessments.labs.admin import LabSubmissionAdmin, LabSubmissionReviewForm
from assessments.labs.selectors import submission_view
from tenancy.auth import ALL, register_role_permissions
from tenancy.models import Role

register_role_permissions(
    "assessments",
    "assignmentsubmission",
    {
        role: ALL
        for role in (Role.UNIVERSITY_ADMIN, Role.DEPARTMENT_ADMIN, Role.INSTRUCTOR, Role.TA)
    },
)


class AssignmentGradeForm(LabSubmissionReviewForm):
    class Meta(LabSubmissionReviewForm.Meta):
        model = AssignmentSubmission
        labels = {"score_override": _("score"), "instructor_feedback": _("feedback")}
        help_texts = {"score_override": _("From 0 to the assignment's points.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score_override"].required = True

    def clean_score_override(self):
        if self.instance.max_score is None:
            raise ValidationError(
                _("This assignment has no points; give it max_points before grading.")
            )
        return super().clean_score_override()


@admin.register(AssignmentSubmission)
class AssignmentSubmissionAdmin(LabSubmissionAdmin):
    item_type = "assignment"
    form = AssignmentGradeForm
    list_display = (
        "pk",
        "student",
        "assignment",
        "course_offering",
        "status",
        "late",
        "score_obtained",
        "max_score",
        "submitted_at",
    )
    list_filter = ("status", "course_offering", "submitted_at")
    actions = ()
    readonly_fields = (
        "student",
        "assignment",
        "course_offering",
        "status",
        "late",
        "submitted_at",
        "graded_at",
        "answer",
        "submitted_files",
        "max_score",
        "score_obtained",
        "score_overridden_by",
        "score_overridden_at",
        "feedback_by",
        "feedback_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "student",
                    "assignment",
                    "course_offering",
                    "status",
                    "late",
                    "submitted_at",
                )
            },
        ),
        (_("Answer"), {"fields": ("answer", "submitted_files")}),
        (
            _("Grade"),
            {
                "fields": (
                    "score_override",
                    "max_score",
                    "instructor_feedback",
                    "graded_at",
                    "score_overridden_by",
                    "score_overridden_at",
                    "feedback_by",
                    "feedback_at",
                )
            },
        ),
    )

    @admin.display(description=_("assignment"), ordering="content_item__title")
    def assignment(self, submission: AssignmentSubmission) -> str:
        return submission.content_item.title

    @admin.display(description=_("late"), boolean=True)
    def late(self, submission: AssignmentSubmission) -> bool:
        return submission_view(submission).late

    @admin.display(description=_("answer"))
    def answer(self, submission: AssignmentSubmission) -> str:
        view = submission_view(submission)
        files = ", ".join((submission.auto_grade_json or {}).get("files") or []) or "—"
        return format_html(
            "<p><strong>{}</strong> {}</p><p><strong>{}</strong> {}</p><pre>{}</pre>",
            _("Files:"),
            files,
            _("Web address:"),
            view.url or "—",
            view.text or "—",
        )

    def save_model(self, request, obj, form, change) -> None:
        assignment_submission_grade(
            submission_id=obj.pk,
            actor=request.user,
            score=form.cleaned_data.get("score_override"),
            feedback=form.cleaned_data.get("instructor_feedback"),
        )
