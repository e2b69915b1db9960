"""The lab page of an engineering lab item: instructions, runtime and limits, the starter files
to download, the upload form, and the learner's submissions with their per-test results.

Access goes through the player's `learner_view` (enrolled learners and the offering's staff);
staff see the page without the form (their students' submissions are in the admin).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from assessments.labs.models import LabSubmission
from assessments.labs.selectors import (
    lab_grading_queued,
    learner_submission,
    learner_submissions,
    starter_file,
    starter_files,
)
from assessments.labs.services import autograded, lab_submission_create
from assessments.rubrics.selectors import filled_rubrics
from content.rendering import render_item
from content.selectors import item_page, item_ref
from content.types.base import RenderContext
from lms.media import stored_file_response
from portal.views.media import file_access
from portal.views.player import item_url, learner_view
from syllabus.selectors import LearningAccess

RUNTIMES = {"python-datascience": "Python (data science)", "matlab": "MATLAB"}


def lab_url(offering_id: int, item_id: int) -> str:
    return reverse("portal:lab", kwargs={"offering_id": offering_id, "item_id": item_id})


def _lab(access: LearningAccess, item_id: int):
    page = item_page(
        course_id=access.offering.course_id, item_id=item_id, include_hidden=access.sees_hidden
    )
    if page.content_type != "engineering_lab":
        raise Http404("Not a lab.")
    return page


@require_http_methods(["GET", "HEAD", "POST"])
@learner_view
def lab_view(request: HttpRequest, access: LearningAccess, item_id: int) -> HttpResponse:
    offering = access.offering
    page = _lab(access, item_id)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not access.records_progress:
            raise PermissionDenied("Only enrolled learners submit labs.")
        try:
            submission = lab_submission_create(
                user=request.user,
                offering=offering,
                item_id=page.id,
                files=request.FILES.getlist("files"),
            )
        except ValidationError as exc:
            errors = exc.messages
            status = 400
        else:
            if autograded(page.data) and lab_grading_queued(submission_id=submission.pk):
                messages.success(
                    request,
                    _(
                        "Submitted and queued: grading starts as soon as the grading service "
                        "is back. Your submission is kept; there is no need to submit again."
                    ),
                )
            elif autograded(page.data):
                messages.success(request, _("Submitted. Grading starts in a moment."))
            else:
                messages.success(request, _("Submitted. Your instructor grades this lab."))
            return redirect(lab_url(offering.pk, page.id))
    submissions = []
    if access.records_progress:
        submissions = learner_submissions(
            user_id=request.user.pk, offering_id=offering.pk, item_id=page.id
        )
    rubrics = filled_rubrics(
        item_id=page.id, submission_ids=[view.submission.pk for view in submissions]
    )
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
        "runtime": RUNTIMES.get(page.data.get("runtime"), page.data.get("runtime", "")),
        "starter_files": starter_files(item_id=page.id, payload=page.data),
        "submissions": submissions,
        "rows": [(view, rubrics.get(view.submission.pk)) for view in submissions],
        "pending": any(s.pending for s in submissions),
        "autograded": autograded(page.data),
        "errors": errors,
        "item_url": item_url(offering.pk, page.id),
    }
    return render(request, "portal/lab/lab.html", context, status=status)


@require_safe
@learner_view
def lab_file_view(
    request: HttpRequest, access: LearningAccess, item_id: int, file_path: str
) -> HttpResponse:
    item = item_ref(
        course_id=access.offering.course_id, item_id=item_id, include_hidden=access.sees_hidden
    )
    if item.content_type != "engineering_lab":
        raise Http404("Not a lab.")
    content = starter_file(item_id=item.id, payload=item.data, path=file_path)
    if content is None:
        raise Http404("No such file.")
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=file_path.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def lab_submission_download_view(
    request: HttpRequest, offering_id: int, item_id: int, submission_id: int
) -> HttpResponseBase:
    """A learner's own submitted files; everyone else gets a 404 (staff download them from
    the admin, which scopes submissions to the offerings they grade)."""
    access = file_access(request, offering_id)
    try:
        submission = learner_submission(
            user_id=request.user.pk, offering_id=access.offering.pk, submission_id=submission_id
        )
    except LabSubmission.DoesNotExist as exc:
        raise Http404("No such submission.") from exc
    if submission.content_item_id != item_id or not submission.artifacts_url:
        raise Http404("No such submission.")
    return stored_file_response(
        request,
        submission.artifacts_url,
        filename=f"submission-{submission.pk}.zip",
        as_attachment=True,
    )


routes = [
    path("learn/<int:offering_id>/items/<int:item_id>/lab/", lab_view, name="lab"),
    path(
        "learn/<int:offering_id>/items/<int:item_id>/lab/files/<path:file_path>",
        lab_file_view,
        name="lab-file",
    ),
    path(
        "learn/<int:offering_id>/items/<int:item_id>/lab/submissions/<int:submission_id>.zip",
        lab_submission_download_view,
        name="lab-submission-download",
    ),
]
