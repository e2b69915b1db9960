"""The submission page of an assignment item: its instructions and due date (in the learner's
time zone), the form for the kinds of answer it accepts, and the learner's submissions with
their status, score and feedback.

Access goes through the player's `learner_view` (enrolled learners and the offering's staff);
staff see the page without the form and grade the submissions in the admin.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.assignments.services import assignment_submission_create, due_at, submission_types
from assessments.labs.selectors import learner_submissions
from assessments.rubrics.selectors import filled_rubrics
from content.rendering import render_item
from content.selectors import item_page
from content.types.base import RenderContext
from portal.views.player import item_url, learner_view
from syllabus.selectors import LearningAccess


def assignment_url(offering_id: int, item_id: int) -> str:
    return reverse("portal:assignment", kwargs={"offering_id": offering_id, "item_id": item_id})


@require_http_methods(["GET", "HEAD", "POST"])
@learner_view
def assignment_view(request: HttpRequest, access: LearningAccess, item_id: int) -> HttpResponse:
    offering = access.offering
    page = item_page(
        course_id=offering.course_id, item_id=item_id, include_hidden=access.sees_hidden
    )
    if page.content_type != "assignment":
        raise Http404("Not an assignment.")
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not access.records_progress:
            raise PermissionDenied("Only enrolled learners submit assignments.")
        try:
            assignment_submission_create(
                user=request.user,
                offering=offering,
                item_id=page.id,
                files=request.FILES.getlist("files"),
                text=request.POST.get("text", ""),
                url=request.POST.get("url", ""),
            )
        except ValidationError as exc:
            errors = exc.messages
            status = 400
        else:
            messages.success(request, _("Submitted. Your instructor grades this assignment."))
            return redirect(assignment_url(offering.pk, page.id))
    submissions = []
    if access.records_progress:
        submissions = learner_submissions(
            user_id=request.user.pk, offering_id=offering.pk, item_id=page.id
        )
    rubrics = filled_rubrics(
        item_id=page.id, submission_ids=[view.submission.pk for view in submissions]
    )
    due = due_at(page.data)
    closed = due is not None and timezone.now() > due and not page.data.get("allow_late")
    body = render_item(
        page.content_type,
        page.data,
        RenderContext(time_zone=request.user.time_zone, title=page.title),
    )
    context = {
        "access": access,
        "offering": offering,
        "course": offering.course,
        "item": page,
        "body": body,
        "accepts": submission_types(page.data),
        "closed": closed,
        "late": due is not None and timezone.now() > due and not closed,
        "submissions": submissions,
        "rows": [(view, rubrics.get(view.submission.pk)) for view in submissions],
        "errors": errors,
        "posted": request.POST if errors else {},
        "item_url": item_url(offering.pk, page.id),
    }
    return render(request, "portal/assignment/assignment.html", context, status=status)


routes = [
    path(
        "learn/<int:offering_id>/items/<int:item_id>/assignment/",
        assignment_view,
        name="assignment",
    ),
]
