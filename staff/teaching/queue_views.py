"""The grading queue of a lab or an assignment: one submission at a time, shown inline, with
its score and feedback form, and the next or previous one a click away. Saving goes through
the assignment and lab grading services (which record who graded, and roll the grade up),
then opens the next submission in the queue."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.admin.forms import add_service_errors
from assessments.assignments.models import AssignmentSubmission
from assessments.assignments.services import assignment_submission_grade
from assessments.labs.models import LabSubmission
from assessments.labs.services import lab_submission_review
from assessments.rubrics.selectors import RubricView, rubric_of_item
from assessments.rubrics.services import rubric_submission_grade
from content.models import ContentType
from staff.teaching.queue import graded_item, queue_place, queued_submission
from staff.teaching.rubric_form import RubricGradeForm
from staff.teaching.selectors import offering_for_teaching

ADMINS = {ContentType.ENGINEERING_LAB: LabSubmission, ContentType.ASSIGNMENT: AssignmentSubmission}


class GradeForm(forms.Form):
    score_override = forms.DecimalField(
        label=gettext_lazy("Score"),
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text=gettext_lazy("For a lab, empty keeps the automatic score."),
    )
    instructor_feedback = forms.CharField(
        label=gettext_lazy("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


def _queue_url(offering_id: int, item_id: int, submission_id: int | None = None) -> str:
    if submission_id is None:
        return reverse("teaching:queue", args=[offering_id, item_id])
    return reverse("teaching:queue-submission", args=[offering_id, item_id, submission_id])


def _form(request: HttpRequest, submission: LabSubmission, rubric: RubricView | None) -> forms.Form:
    data = request.POST if request.method == "POST" else None
    if rubric is not None:
        initial = {"instructor_feedback": submission.instructor_feedback}
        return RubricGradeForm(data, initial=initial, rubric=rubric)
    initial = {
        "score_override": submission.score_override,
        "instructor_feedback": submission.instructor_feedback,
    }
    return GradeForm(data, initial=initial)


def _grade(request: HttpRequest, kind: str, submission_id: int, form: forms.Form) -> None:
    data = form.cleaned_data
    if isinstance(form, RubricGradeForm):
        rubric_submission_grade(
            submission_id=submission_id,
            actor=request.user,
            levels=form.levels(),
            comments=form.comments(),
            feedback=data["instructor_feedback"],
        )
    elif kind == ContentType.ASSIGNMENT:
        assignment_submission_grade(
            submission_id=submission_id,
            actor=request.user,
            score=data["score_override"],
            feedback=data["instructor_feedback"],
        )
    else:
        lab_submission_review(
            submission_id=submission_id,
            actor=request.user,
            feedback=data["instructor_feedback"],
            score_override=data["score_override"],
        )


def grading_queue(
    request: HttpRequest, offering_id: int, item_id: int, submission_id: int | None = None
) -> HttpResponse:
    offering = offering_for_teaching(user=request.user, offering_id=offering_id)
    item = graded_item(offering=offering, item_id=item_id)
    model_admin = admin.site.get_model_admin(ADMINS[ContentType(item.content_type)])
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    may_grade = model_admin.has_change_permission(request)
    place = queue_place(offering=offering, item_id=item.pk, submission_id=submission_id)
    shown = queued_submission(submission_id=place.current) if place.current else None
    form = rubric = None
    if shown is not None:
        submission = shown.view.submission
        rubric = rubric_of_item(item_id=item.pk, submission_id=submission.pk)
        form = _form(request, submission, rubric)
        if request.method == "POST":
            if not may_grade:
                raise PermissionDenied
            if form.is_valid():
                try:
                    _grade(request, item.content_type, submission.pk, form)
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        add_service_errors(form, error)
                    else:
                        form.add_error(None, error.messages)
                else:
                    messages.success(
                        request,
                        _("Saved the grade of %(learner)s.")
                        % {"learner": submission.user.full_name or submission.user.email},
                    )
                    following = place.next_id
                    return HttpResponseRedirect(
                        _queue_url(offering.pk, item.pk, following)
                        if following
                        else reverse("teaching:offering-tab", args=[offering.pk, "to-grade"])
                    )
    context = {
        **admin.site.each_context(request),
        "title": _("Grading: %(item)s") % {"item": item.title},
        "offering": offering,
        "item": item,
        "place": place,
        "shown": shown,
        "form": form,
        "rubric": rubric,
        "may_grade": may_grade,
        "previous_url": (
            _queue_url(offering.pk, item.pk, place.previous_id) if place.previous_id else ""
        ),
        "next_url": _queue_url(offering.pk, item.pk, place.next_id) if place.next_id else "",
        "change_url": (
            reverse(f"admin:assessments_{model_admin.opts.model_name}_change", args=[place.current])
            if place.current
            else ""
        ),
    }
    return TemplateResponse(request, "staff/teaching/queue.html", context)
