"""Writes of quiz taking: start an attempt, save answers, submit, mastery (regrading a
submitted attempt is in assessments/quizzes/regrade.py).

Concurrency: starting locks the learner's enrollment row, so two "start" requests of the same
learner take turns; the second sees the attempt the first opened and resumes it. Saving and
submitting lock the attempt row, so a double submit scores once. Two partial unique indexes
back this up in the database (one open attempt per learner and quiz; attempt numbers never
repeat).

What an attempt stores in `raw_response_json`:

    {"mode": "exam" | "practice",
     "question_ids": [..],              # drawn at start, in the order shown
     "choice_order": {"<qid>": [..]},   # option ids in the order shown
     "answers": {"<qid>": {"value": .., "saved_at": iso, "mark": {..}}},
     "results": {"<qid>": {"points": "1.00", "max_points": "1.00", "correct": true}},
     "flagged": [..],                   # questions the learner marked for review
     "longest_run": 3, "submitted_by": "learner" | "deadline"}

`mark` is set in practice mode once the learner checks a question (its answer is then final);
`results` and the rest once the attempt is scored. Deadlines are enforced here, on the
server: nothing is saved after `deadline_at`, and an attempt found open after it is submitted
with what was saved, as of its deadline.
"""

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.accommodations.selectors import learner_allowance
from assessments.progress.services import _lock_enrollment, graded_work_complete
from assessments.quizzes.models import (
    CHOICE_TYPES,
    Question,
    QuestionPool,
    QuizAttempt,
    QuizMastery,
)
from assessments.quizzes.scoring import (
    AnswerError,
    AnswerKey,
    AttemptScore,
    Mark,
    normalise_answer,
    score_answer,
    score_attempt,
)
from assessments.triggers import grade_rollup_soon
from catalog.models import CourseOffering
from content.models import ContentItem, ContentType
from content.types.base import MAX_POINTS, MAX_TIME_LIMIT_SECONDS
from content.types.quiz import QuizReviewPolicy, quiz_review_policy
from tenancy.models import User

PRACTICE, EXAM = "practice", "exam"
BY_LEARNER, BY_DEADLINE = "learner", "deadline"


class QuizRefused(Exception):
    """A quiz action that cannot be done, with a message for the learner."""

    def __init__(self, message: str, *, errors: Mapping[int, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = dict(errors or {})


@dataclass(frozen=True)
class QuizSettings:
    """The quiz payload's settings, with its defaults filled in."""

    pool_id: int
    mode: str
    questions_per_attempt: int
    randomize_order: bool
    time_limit_seconds: int | None
    threshold_correct_in_row: int | None
    max_attempts: int | None
    mastery_points: int
    review_policy: str = QuizReviewPolicy.AFTER_LAST_ATTEMPT
    closes_at: datetime | None = None  # no new attempts after it; open ones end then

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> "QuizSettings":
        mastery = data.get("mastery") or {}
        closes_at = parse_datetime(data["closes_at"]) if data.get("closes_at") else None
        return cls(
            pool_id=int(data["question_pool_id"]),
            mode=data.get("quiz_mode") or EXAM,
            questions_per_attempt=int(data["num_questions_per_attempt"]),
            randomize_order=bool(data.get("randomize_order")),
            # Stored before the payload had bounds, a larger limit or number of points
            # would end the attempt past the calendar or overflow the points column.
            time_limit_seconds=min(data.get("time_limit_seconds") or 0, MAX_TIME_LIMIT_SECONDS)
            or None,
            threshold_correct_in_row=mastery.get("threshold_correct_in_row") or None,
            max_attempts=mastery.get("max_attempts") or None,
            mastery_points=min(int(mastery.get("points") or 0), MAX_POINTS),
            review_policy=quiz_review_policy(dict(data)),
            closes_at=closes_at,
        )

    def is_closed(self, now: datetime) -> bool:
        return self.closes_at is not None and now >= self.closes_at


def quiz_settings(*, offering: CourseOffering, item_id: int) -> QuizSettings:
    """The settings of quiz `item_id` of the offering's course (the item must be a quiz)."""
    data = (
        ContentItem.objects.non_polymorphic()
        .filter(pk=item_id, course_id=offering.course_id, content_type=ContentType.QUIZ)
        .values_list("data_json", flat=True)
        .first()
    )
    if data is None:
        raise QuizRefused(_("This quiz does not exist in this course."))
    return QuizSettings.from_payload(data)


def _is_expired(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline_at is not None and now > attempt.deadline_at


def answer_keys(question_ids: Iterable[int]) -> dict[int, AnswerKey]:
    """Answer keys of the questions, in two queries whatever their number."""
    questions = Question.objects.filter(pk__in=set(question_ids)).prefetch_related("choices")
    keys = {}
    for q in questions:
        choices = list(q.choices.all())
        keys[q.pk] = AnswerKey(
            id=q.pk,
            question_type=q.question_type,
            points=q.points,
            choice_ids=frozenset(c.pk for c in choices),
            correct_choice_ids=frozenset(c.pk for c in choices if c.is_correct),
            correct_boolean=q.correct_boolean,
            numeric_answer=q.numeric_answer,
            numeric_tolerance=q.numeric_tolerance,
            text_answer=q.text_answer,
            text_match=q.text_match,
        )
    return keys


# Starting ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartResult:
    attempt: QuizAttempt
    created: bool  # False: the learner's open attempt, resumed


def _draw(
    *, pool_id: int, settings: QuizSettings, rng: random.Random
) -> tuple[list[int], dict[str, list[int]]]:
    questions = list(
        Question.objects.filter(pool_id=pool_id, is_active=True)
        .order_by("position", "pk")
        .prefetch_related("choices")
    )
    if not questions:
        raise QuizRefused(_("This quiz has no questions yet. Please come back later."))
    count = min(settings.questions_per_attempt, len(questions))
    drawn = rng.sample(questions, count)
    if not settings.randomize_order:
        drawn.sort(key=lambda q: (q.position, q.pk))
    choice_order = {}
    for question in drawn:
        if question.question_type in CHOICE_TYPES:
            ids = [c.pk for c in question.choices.all()]  # by position
            if settings.randomize_order:
                rng.shuffle(ids)
            choice_order[str(question.pk)] = ids
    return [q.pk for q in drawn], choice_order


def _close_expired_open_attempt(
    *, user: User, offering: CourseOffering, item_id: int, now: datetime
) -> None:
    """Submit the learner's open attempt if its time ran out, in its own transaction, so the
    submission stands even when the start that follows is refused."""
    open_attempt = (
        QuizAttempt.objects.filter(
            user_id=user.pk,
            course_offering_id=offering.pk,
            content_item_id=item_id,
            submitted_at__isnull=True,
            deadline_at__lt=now,
        )
        .only("pk", "submitted_at", "deadline_at")
        .first()
    )
    if open_attempt is not None:
        attempt_close_if_expired(attempt=open_attempt, now=now)


def attempt_start(
    *,
    user: User,
    offering: CourseOffering,
    item_id: int,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> StartResult:
    """Open a new attempt, or resume the learner's open one.

    Refused (QuizRefused) when the learner used all `mastery.max_attempts`, the quiz closed or
    the pool is empty.
    An open attempt past its deadline is submitted first and then counts as used.
    """
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    _close_expired_open_attempt(user=user, offering=offering, item_id=item_id, now=now)
    with transaction.atomic():
        # The enrollment row serialises the learner's starts (see assessments.progress.services).
        _lock_enrollment(user, offering)
        settings = quiz_settings(offering=offering, item_id=item_id)
        attempts = QuizAttempt.objects.filter(
            user_id=user.pk, course_offering_id=offering.pk, content_item_id=item_id
        )
        current = attempts.filter(submitted_at__isnull=True).first()
        if current is not None:
            if not _is_expired(current, now):
                return StartResult(current, created=False)
            _finalize(current, submitted_at=current.deadline_at, by=BY_DEADLINE)
        if settings.is_closed(now):
            raise QuizRefused(
                _("This quiz closed on %(when)s; no new attempts can be started.")
                % {"when": date_format(timezone.localtime(settings.closes_at), "DATETIME_FORMAT")}
            )
        used = attempts.aggregate(n=Max("attempt_number"))["n"] or 0
        # The learner's accommodation (more time, more attempts) applies here, on the server.
        allowance = learner_allowance(user_id=user.pk, offering_id=offering.pk, item_id=item_id)
        allowed = allowance.max_attempts(settings.max_attempts)
        if allowed is not None and used >= allowed:
            raise QuizRefused(_("You have used all %(n)s attempts of this quiz.") % {"n": allowed})
        pool_exists = QuestionPool.objects.filter(
            pk=settings.pool_id, course_id=offering.course_id
        ).exists()
        if not pool_exists:
            raise QuizRefused(_("This quiz has no questions yet. Please come back later."))
        question_ids, choice_order = _draw(pool_id=settings.pool_id, settings=settings, rng=rng)
        # An attempt ends at its time limit or when the quiz closes, whichever comes first,
        # so no attempt is still open when answers are shown after the close.
        limit = allowance.time_limit(settings.time_limit_seconds)
        ends = [*([now + timedelta(seconds=limit)] if limit else []), settings.closes_at]
        deadline = min((end for end in ends if end is not None), default=None)
        attempt = QuizAttempt.objects.create(
            user_id=user.pk,
            course_offering_id=offering.pk,
            content_item_id=item_id,
            attempt_number=used + 1,
            deadline_at=deadline,
            raw_response_json={
                "mode": settings.mode,
                "question_ids": question_ids,
                "choice_order": choice_order,
                "answers": {},
            },
        )
    return StartResult(attempt, created=True)


# Saving answers ----------------------------------------------------------------------------


@dataclass
class SaveResult:
    attempt: QuizAttempt
    saved: list[int] = field(default_factory=list)
    feedback: dict[int, Mark] = field(default_factory=dict)  # practice mode only
    flagged: list[int] = field(default_factory=list)
    expired: bool = False  # the deadline had passed: nothing saved, the attempt was submitted


def _locked_attempt(*, attempt_id: int, user: User) -> QuizAttempt:
    attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id, user_id=user.pk).first()
    if attempt is None:
        raise PermissionDenied("Not your attempt.")
    return attempt


def attempt_answers_save(
    *,
    user: User,
    attempt_id: int,
    answers: Mapping[int, Any],
    check: int | None = None,
    flagged: Iterable[int] | None = None,
    now: datetime | None = None,
) -> SaveResult:
    """Record the learner's answers (question id -> form input) as given, then do the action
    of the button pressed: every button of the attempt page posts every answer, so none is
    lost whichever is pressed.

    A blank input clears a saved answer; answers can change until submission. In practice
    mode `check` then scores that one question at once (the feedback is in the result) and
    its answer becomes final; the other answers stay editable. `flagged`, when given, is the
    full set of questions the learner marked for review. Any invalid answer refuses the whole
    save with a message per question. After the deadline nothing is saved: the attempt is
    submitted with what it had and the result says `expired`.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked_attempt(attempt_id=attempt_id, user=user)
        if attempt.submitted_at is not None:
            raise QuizRefused(_("This attempt was already submitted; answers cannot change."))
        if _is_expired(attempt, now):
            _finalize(attempt, submitted_at=attempt.deadline_at, by=BY_DEADLINE)
            return SaveResult(attempt, expired=True)
        raw = cast(dict[str, Any], attempt.raw_response_json)  # set when the attempt starts
        shown = set(raw["question_ids"])
        flags = None if flagged is None else sorted(set(flagged))
        asked = [*answers, *(flags or []), *([] if check is None else [check])]
        if any(qid not in shown for qid in asked):
            raise QuizRefused(_("These answers are not for questions of this attempt."))
        practice = raw.get("mode") == PRACTICE
        if check is not None and not practice:
            raise QuizRefused(_("Only practice quizzes check answers before submission."))
        keys = answer_keys([*answers, *([] if check is None else [check])])
        stored = raw.setdefault("answers", {})
        result = SaveResult(attempt)
        errors: dict[int, str] = {}
        for qid, given in answers.items():
            key = keys.get(qid)
            if key is None:
                continue  # removed from its pool since the attempt started
            previous = stored.get(str(qid))
            if practice and previous and "mark" in previous:
                continue  # answered and checked: final
            try:
                value = normalise_answer(key, given)
            except AnswerError as exc:
                errors[qid] = str(exc)
                continue
            if value is None:
                stored.pop(str(qid), None)
                continue
            stored[str(qid)] = {"value": value, "saved_at": now.isoformat()}
            result.saved.append(qid)
        if check is not None and check in keys and not errors:
            entry = stored.get(str(check))
            if entry is None:
                errors[check] = _("Answer this question before checking it.")
            elif "mark" not in entry:
                mark = score_answer(keys[check], entry["value"])
                entry["mark"] = mark.as_json()
                result.feedback[check] = mark
        if errors:
            raise QuizRefused(_("Some answers could not be saved."), errors=errors)
        if flags is not None:
            raw["flagged"] = flags
        result.flagged = list(raw.get("flagged") or [])
        attempt.raw_response_json = raw
        attempt.save(update_fields=["raw_response_json"])
    return result


# Submitting and scoring -------------------------------------------------------------------


def attempt_scored_announce(attempt: QuizAttempt) -> None:
    """In the transaction that scored the attempt: the learner's grade rolls up once it
    commits."""
    grade_rollup_soon(offering_id=attempt.course_offering_id, user_id=attempt.user_id)


def _passed(score: AttemptScore, threshold: int | None) -> bool:
    """With a mastery threshold, an attempt passes when it has that run of correct answers;
    without one, when it earns at least half the points."""
    if threshold:
        return score.longest_run >= threshold
    return score.max_score > 0 and score.score * 2 >= score.max_score


def mastery_award(
    attempt: QuizAttempt, settings: QuizSettings, longest_run: int, when: datetime
) -> None:
    threshold = settings.threshold_correct_in_row
    if not threshold or longest_run < threshold:
        return
    QuizMastery.objects.bulk_create(
        [
            QuizMastery(
                user_id=attempt.user_id,
                course_offering_id=attempt.course_offering_id,
                content_item_id=attempt.content_item_id,
                attempt=attempt,
                mastered_at=when,
                points_awarded=settings.mastery_points,
            )
        ],
        ignore_conflicts=True,
    )


def attempt_passed_record(attempt: QuizAttempt) -> None:
    """A passing attempt (per the quiz's rule, see _passed) completes the quiz in the
    learner's progress, with or without a mastery threshold."""
    if attempt.passed:
        graded_work_complete(
            user_id=attempt.user_id,
            offering_id=attempt.course_offering_id,
            item_id=attempt.content_item_id,
        )


def attempt_score_apply(attempt: QuizAttempt, settings: QuizSettings) -> AttemptScore:
    raw = cast(dict[str, Any], attempt.raw_response_json)  # set when the attempt starts
    keys = answer_keys(raw["question_ids"])
    score = score_attempt(
        question_ids=raw["question_ids"], keys=keys, answers=raw.get("answers") or {}
    )
    raw["results"] = {str(qid): mark.as_json() for qid, mark in score.marks.items()}
    raw["longest_run"] = score.longest_run
    attempt.score_obtained = score.score
    attempt.max_score = score.max_score
    attempt.passed = _passed(score, settings.threshold_correct_in_row)
    attempt.raw_response_json = raw
    return score


def _finalize(attempt: QuizAttempt, *, submitted_at: datetime | None, by: str) -> QuizAttempt:
    """Score a locked, open attempt and close it; the caller holds the transaction."""
    offering = CourseOffering(pk=attempt.course_offering_id)
    offering.course_id = CourseOffering.objects.values_list("course_id", flat=True).get(
        pk=offering.pk
    )
    settings = quiz_settings(offering=offering, item_id=attempt.content_item_id)
    score = attempt_score_apply(attempt, settings)
    cast(dict[str, Any], attempt.raw_response_json)["submitted_by"] = by
    attempt.submitted_at = submitted_at or timezone.now()
    attempt.save(
        update_fields=[
            "submitted_at",
            "score_obtained",
            "max_score",
            "passed",
            "raw_response_json",
        ]
    )
    mastery_award(attempt, settings, score.longest_run, attempt.submitted_at)
    attempt_passed_record(attempt)
    attempt_scored_announce(attempt)
    return attempt


def attempt_submit(*, user: User, attempt_id: int, now: datetime | None = None) -> QuizAttempt:
    """Score the attempt on the server and close it. Submitting again returns the attempt as it
    was scored the first time; after the deadline it is submitted as of the deadline."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked_attempt(attempt_id=attempt_id, user=user)
        if attempt.submitted_at is not None:
            return attempt
        if _is_expired(attempt, now):
            return _finalize(attempt, submitted_at=attempt.deadline_at, by=BY_DEADLINE)
        return _finalize(attempt, submitted_at=now, by=BY_LEARNER)


def attempt_close_if_expired(*, attempt: QuizAttempt, now: datetime | None = None) -> QuizAttempt:
    """Submit `attempt` if its time ran out (a learner coming back after the deadline)."""
    now = now or timezone.now()
    if attempt.submitted_at is not None or not _is_expired(attempt, now):
        return attempt
    with transaction.atomic():
        locked = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.submitted_at is None:
            _finalize(locked, submitted_at=locked.deadline_at, by=BY_DEADLINE)
    return locked


def expired_attempts_submit(*, now: datetime | None = None, limit: int = 500) -> int:
    """Submit open attempts whose deadline passed, as of their deadline; the number done."""
    now = now or timezone.now()
    done = 0
    ids = list(
        QuizAttempt.objects.filter(submitted_at__isnull=True, deadline_at__lt=now)
        .order_by("deadline_at")
        .values_list("pk", flat=True)[:limit]
    )
    for attempt_id in ids:
        with transaction.atomic():
            attempt = (
                QuizAttempt.objects.select_for_update(skip_locked=True)
                .filter(pk=attempt_id, submitted_at__isnull=True)
                .first()
            )
            if attempt is not None:
                _finalize(attempt, submitted_at=attempt.deadline_at, by=BY_DEADLINE)
                done += 1
    return done


# Regrading ---------------------------------------------------------------------------------
