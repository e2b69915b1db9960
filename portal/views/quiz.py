"""Taking a quiz: its overview with the learner's attempts, the attempt page (one form: save,
check a practice answer, submit) and the result page. Every button of the attempt form posts
every answer and the flags, and the service saves them all before doing the button's action.
Everything works without JavaScript; quiz-attempt.js saves as the learner works (the same
POST, asking for JSON), keeps the question navigator current, shows the time left and submits
at the deadline.

Access goes through the player's `learner_view` (enrolled learners and the offering's staff);
only learners take quizzes, staff see the overview. Attempts are looked up among the learner's
own, so another learner's attempt id is a 404.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.quizzes.models import QuestionType
from assessments.quizzes.selectors import (
    AttemptSheet,
    attempt_for_learner,
    attempt_sheet,
    quiz_overview,
)
from assessments.quizzes.services import (
    PRACTICE,
    QuizRefused,
    attempt_answers_save,
    attempt_close_if_expired,
    attempt_start,
    attempt_submit,
)
from content.models import ContentItem
from content.selectors import ItemRef, item_ref
from content.types.base import format_duration
from content.types.quiz import QuizReviewPolicy
from lms.input import parse_id, parse_ids
from portal.views.player import item_url, learner_view
from syllabus.selectors import LearningAccess


def _quiz_item(access: LearningAccess, item_id: int) -> ItemRef:
    item = item_ref(
        course_id=access.offering.course_id, item_id=item_id, include_hidden=access.sees_hidden
    )
    if item.content_type != "quiz":
        raise Http404("Not a quiz.")
    return item


def quiz_url(offering_id: int, item_id: int) -> str:
    return reverse("portal:quiz", kwargs={"offering_id": offering_id, "item_id": item_id})


def _attempt_url(name: str, offering_id: int, item_id: int, attempt_id: int) -> str:
    return reverse(
        f"portal:{name}",
        kwargs={"offering_id": offering_id, "item_id": item_id, "attempt_id": attempt_id},
    )


def _title(item_id: int, offering) -> str:
    return (
        ContentItem.objects.non_polymorphic()
        .filter(pk=item_id, course_id=offering.course_id)
        .values_list("title", flat=True)
        .get()
    )


@require_safe
@learner_view
def quiz_view(request: HttpRequest, access: LearningAccess, item_id: int) -> HttpResponse:
    offering = access.offering
    item = _quiz_item(access, item_id)
    overview = quiz_overview(
        user_id=request.user.pk, offering_id=offering.pk, item_id=item.id, data=item.data
    )
    if overview.open_attempt is not None and access.records_progress:
        closed = attempt_close_if_expired(attempt=overview.open_attempt)
        if closed.submitted_at is not None:
            messages.info(request, _("Time ran out on your last attempt; it was submitted."))
            overview = quiz_overview(
                user_id=request.user.pk, offering_id=offering.pk, item_id=item.id, data=item.data
            )
    context = {
        "access": access,
        "offering": offering,
        "course": offering.course,
        "item": item,
        "title": _title(item.id, offering),
        "overview": overview,
        "item_url": item_url(offering.pk, item.id),
        "review_policy": QuizReviewPolicy(overview.settings.review_policy).label,
        "time_limit": (
            format_duration(overview.settings.time_limit_seconds)
            if overview.settings.time_limit_seconds
            else ""
        ),
    }
    return render(request, "portal/quiz/overview.html", context)


@require_POST
@learner_view
def quiz_start_view(request: HttpRequest, access: LearningAccess, item_id: int) -> HttpResponse:
    offering = access.offering
    item = _quiz_item(access, item_id)
    if not access.records_progress:
        messages.info(request, _("Course staff can preview quizzes but not take them."))
        return redirect(quiz_url(offering.pk, item.id))
    try:
        started = attempt_start(user=request.user, offering=offering, item_id=item.id)
    except QuizRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(quiz_url(offering.pk, item.id))
    if not started.created:
        messages.info(request, _("You already have an attempt in progress; here it is."))
    return redirect(_attempt_url("quiz-attempt", offering.pk, item.id, started.attempt.pk))


def _posted_answers(request: HttpRequest, questions) -> dict[int, Any]:
    """Every answer the page can still change: the form posts them all with any button."""
    answers: dict[int, Any] = {}
    for question in questions:
        if question.locked:
            continue
        name = question.field_name
        if question.question_type == QuestionType.MULTIPLE:
            answers[question.id] = request.POST.getlist(name)
        else:
            answers[question.id] = request.POST.get(name, "")
    return answers


def _posted_flags(request: HttpRequest) -> list[int]:
    return parse_ids(request.POST.getlist("flagged"))


def _parse_action(raw: str) -> tuple[str, int | None]:
    """`save`, `submit`, or `check:<question id>` / `save:<question id>`."""
    name, _sep, target = raw.partition(":")
    if name not in ("save", "submit", "check"):
        name = "save"
    return name, parse_id(target)


def _wants_json(request: HttpRequest) -> bool:
    """The page's script asks for JSON; a plain form post (Accept: text/html, */*) does not."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _seconds_left(attempt) -> int | None:
    if attempt.deadline_at is None:
        return None
    return max(int((attempt.deadline_at - timezone.now()).total_seconds()), 0)


def _saved_json(sheet: AttemptSheet, attempt, message: str) -> JsonResponse:
    return JsonResponse(
        {
            "saved": True,
            "submitted": False,
            "message": message,
            "answered": [q.id for q in sheet.questions if q.answered],
            "flagged": [q.id for q in sheet.questions if q.flagged],
            "seconds_left": _seconds_left(attempt),
        }
    )


def _closed_json(result_url: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"saved": False, "submitted": True, "message": message, "redirect": result_url}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@learner_view
def attempt_view(
    request: HttpRequest, access: LearningAccess, item_id: int, attempt_id: int
) -> HttpResponse:
    offering = access.offering
    item = _quiz_item(access, item_id)
    attempt = attempt_for_learner(
        user_id=request.user.pk, offering_id=offering.pk, item_id=item.id, attempt_id=attempt_id
    )
    result_url = _attempt_url("quiz-result", offering.pk, item.id, attempt.pk)
    here = _attempt_url("quiz-attempt", offering.pk, item.id, attempt.pk)
    json = request.method == "POST" and _wants_json(request)
    time_up = _("Time is up: the attempt was submitted with the answers you saved.")
    if attempt.submitted_at is None:
        attempt = attempt_close_if_expired(attempt=attempt)
        if attempt.submitted_at is not None and not json:
            messages.warning(request, time_up)
    if attempt.submitted_at is not None:
        if json:
            return _closed_json(result_url, time_up)
        return redirect(result_url)
    sheet = attempt_sheet(attempt=attempt)
    errors: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        action, target = _parse_action(request.POST.get("action", "save"))
        answers = _posted_answers(request, sheet.questions)
        try:
            saved = attempt_answers_save(
                user=request.user,
                attempt_id=attempt.pk,
                answers=answers,
                check=target if action == "check" else None,
                flagged=_posted_flags(request),
            )
        except QuizRefused as refusal:
            if json:
                return JsonResponse(
                    {
                        "saved": False,
                        "submitted": False,
                        "message": refusal.message,
                        "errors": {str(k): v for k, v in refusal.errors.items()},
                    },
                    status=400,
                )
            messages.error(request, refusal.message)
            errors = refusal.errors
            status = 400
            sheet = attempt_sheet(attempt=attempt, given=answers)
        except PermissionDenied:
            raise Http404("No such attempt.") from None
        else:
            if saved.expired:
                late = _(
                    "Time is up: answers given after the deadline are not accepted. "
                    "The attempt was submitted with the answers saved before it."
                )
                if json:
                    return _closed_json(result_url, late)
                messages.warning(request, late)
                return redirect(result_url)
            if action == "submit":
                attempt_submit(user=request.user, attempt_id=attempt.pk)
                # The page's script submits by itself when the countdown reaches zero.
                done = time_up if request.POST.get("deadline") else _("Your attempt was submitted.")
                if json:
                    return _closed_json(result_url, done)
                messages.success(request, done)
                return redirect(result_url)
            if json:
                return _saved_json(attempt_sheet(attempt=saved.attempt), saved.attempt, _("Saved"))
            if saved.feedback:
                messages.info(request, _("Answer checked."))
            else:
                messages.success(request, _("Answers saved."))
            anchor = f"#question-{target}" if target else ""
            return redirect(here + anchor)
    practice = (attempt.raw_response_json or {}).get("mode") == PRACTICE
    context = {
        "access": access,
        "offering": offering,
        "course": offering.course,
        "item": item,
        "title": _title(item.id, offering),
        "attempt": attempt,
        "sheet": sheet,
        "questions": sheet.questions,
        "errors": errors,
        "practice": practice,
        "answered": sheet.answered,
        "quiz_url": quiz_url(offering.pk, item.id),
        "result_url": result_url,
        "seconds_left": _seconds_left(attempt),
    }
    return render(request, "portal/quiz/attempt.html", context, status=status)


@require_safe
@learner_view
def result_view(
    request: HttpRequest, access: LearningAccess, item_id: int, attempt_id: int
) -> HttpResponse:
    offering = access.offering
    item = _quiz_item(access, item_id)
    attempt = attempt_for_learner(
        user_id=request.user.pk, offering_id=offering.pk, item_id=item.id, attempt_id=attempt_id
    )
    attempt = attempt_close_if_expired(attempt=attempt)
    if attempt.submitted_at is None:
        return redirect(_attempt_url("quiz-attempt", offering.pk, item.id, attempt.pk))
    overview = quiz_overview(
        user_id=request.user.pk, offering_id=offering.pk, item_id=item.id, data=item.data
    )
    sheet = attempt_sheet(attempt=attempt)
    context = {
        "access": access,
        "offering": offering,
        "course": offering.course,
        "item": item,
        "title": _title(item.id, offering),
        "attempt": attempt,
        "sheet": sheet,
        "questions": sheet.questions,
        "overview": overview,
        "quiz_url": quiz_url(offering.pk, item.id),
        "item_url": item_url(offering.pk, item.id),
    }
    return render(request, "portal/quiz/result.html", context)


routes = [
    path("learn/<int:offering_id>/quizzes/<int:item_id>/", quiz_view, name="quiz"),
    path(
        "learn/<int:offering_id>/quizzes/<int:item_id>/start/",
        quiz_start_view,
        name="quiz-start",
    ),
    path(
        "learn/<int:offering_id>/quizzes/<int:item_id>/attempts/<int:attempt_id>/",
        attempt_view,
        name="quiz-attempt",
    ),
    path(
        "learn/<int:offering_id>/quizzes/<int:item_id>/attempts/<int:attempt_id>/result/",
        result_view,
        name="quiz-result",
    ),
]
