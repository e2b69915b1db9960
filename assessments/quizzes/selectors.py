"""Reads of quiz taking, shaped for the pages.

The attempt and result pages get QuestionView rows from `attempt_sheet`, the one place that
applies the quiz's review policy: a row carries its mark once the attempt is submitted or,
in practice mode, once the learner checked it; it carries the answer key and the explanation
only when the policy shows them (immediately, after the learner's last attempt, after the
quiz closes, or never). Templates cannot leak what the selector never hands them.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.accommodations.selectors import learner_allowance
from assessments.quizzes.models import (
    CHOICE_TYPES,
    Question,
    QuestionPool,
    QuestionType,
    QuizAttempt,
    QuizMastery,
    TextMatch,
)
from assessments.quizzes.services import PRACTICE, QuizSettings
from content.models import ContentItem
from content.types.quiz import PoolOption, QuizReviewPolicy


@dataclass(frozen=True)
class ChoiceView:
    id: int
    text: str
    chosen: bool
    correct: bool | None  # None until revealed


@dataclass(frozen=True)
class QuestionView:
    id: int
    number: int
    question_type: str
    prompt: str
    points: Decimal
    choices: list[ChoiceView]
    value: Any  # the saved answer, for the form: a string, or option ids
    locked: bool  # submitted, or checked in practice: the answer cannot change
    marked: bool  # its points and whether it is right are shown
    revealed: bool  # its answer key and explanation are shown
    flagged: bool = False
    earned: Decimal | None = None
    correct: bool | None = None
    correct_answer: str = ""
    explanation: str = ""

    @property
    def field_name(self) -> str:
        return f"q{self.id}"

    @property
    def answered(self) -> bool:
        return self.value not in (None, "", [])


def _key_text(question: Question) -> str:
    """The correct answer of a non-choice question, as shown after it is revealed."""
    if question.question_type == QuestionType.TRUE_FALSE:
        return _("True") if question.correct_boolean else _("False")
    if question.question_type == QuestionType.NUMERIC:
        # A check constraint holds both for numeric questions.
        answer = cast(Decimal, question.numeric_answer).normalize()
        tolerance = cast(Decimal, question.numeric_tolerance).normalize()
        if tolerance:
            return f"{answer:f} ± {tolerance:f}"
        return f"{answer:f}"
    if question.text_match == TextMatch.REGEX:
        return _("An answer matching the pattern %(p)s") % {"p": question.text_answer}
    return question.text_answer or ""


def _form_value(question_type: str, value: Any) -> Any:
    if value is None:
        return [] if question_type == QuestionType.MULTIPLE else ""
    if question_type == QuestionType.TRUE_FALSE:
        return "true" if value else "false"
    if question_type == QuestionType.MULTIPLE:
        return [int(v) for v in value]
    return str(value)


@dataclass(frozen=True)
class AttemptSheet:
    questions: list[QuestionView]
    settings: QuizSettings
    answers_shown: bool  # the review policy shows keys and explanations now

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.answered)

    @property
    def flagged(self) -> int:
        return sum(1 for q in self.questions if q.flagged)


def _learners_settings(
    settings: QuizSettings, *, user_id: int, offering_id: int, item_id: int
) -> QuizSettings:
    """The quiz's settings with the learner's accommodation (more time, more attempts)
    applied, as quiz start applies it; no query when the quiz has neither limit."""
    if settings.time_limit_seconds is None and settings.max_attempts is None:
        return settings
    allowance = learner_allowance(user_id=user_id, offering_id=offering_id, item_id=item_id)
    return replace(
        settings,
        time_limit_seconds=allowance.time_limit(settings.time_limit_seconds),
        max_attempts=allowance.max_attempts(settings.max_attempts),
    )


def _answers_shown(*, attempt: QuizAttempt, settings: QuizSettings, now: datetime) -> bool:
    """Whether the review policy shows the learner the answer keys and explanations now.

    After the close or after the last attempt, keys still wait while the learner has an
    attempt of the quiz open (one started before its closing time was moved, say), so no open
    attempt can be answered from another attempt's review."""
    policy = settings.review_policy
    if policy == QuizReviewPolicy.IMMEDIATELY:
        return True
    closed = settings.is_closed(now)
    if policy == QuizReviewPolicy.AFTER_CLOSE:
        waiting = not closed
    elif policy == QuizReviewPolicy.AFTER_LAST_ATTEMPT:
        waiting = not closed and settings.max_attempts is None
    else:
        return False
    if waiting:
        return False
    attempts = list(
        QuizAttempt.objects.filter(
            user_id=attempt.user_id,
            course_offering_id=attempt.course_offering_id,
            content_item_id=attempt.content_item_id,
        ).values_list("attempt_number", "submitted_at")
    )
    if any(at is None for _n, at in attempts):
        return False
    if closed:
        return True
    used = max((n for n, _at in attempts), default=0)
    return settings.max_attempts is not None and used >= settings.max_attempts


def attempt_sheet(
    *, attempt: QuizAttempt, given: dict[int, Any] | None = None, now: datetime | None = None
) -> AttemptSheet:
    """The attempt's questions in the order drawn, with what the review policy lets the learner
    see, in at most four queries. `given` replaces saved values with what the learner just
    typed (to show a refused form again)."""
    now = now or timezone.now()
    data = (
        ContentItem.objects.non_polymorphic()
        .values_list("data_json", flat=True)
        .get(pk=attempt.content_item_id)
    )
    settings = QuizSettings.from_payload(data)
    if settings.review_policy == QuizReviewPolicy.AFTER_LAST_ATTEMPT:
        # The last attempt is the learner's last, extra attempts included.
        settings = _learners_settings(
            replace(settings, time_limit_seconds=None),
            user_id=attempt.user_id,
            offering_id=attempt.course_offering_id,
            item_id=attempt.content_item_id,
        )
    shown = _answers_shown(attempt=attempt, settings=settings, now=now)
    raw = attempt.raw_response_json or {}
    question_ids: list[int] = list(raw.get("question_ids") or [])
    questions = {
        q.pk: q for q in Question.objects.filter(pk__in=question_ids).prefetch_related("choices")
    }
    submitted = attempt.submitted_at is not None
    practice = raw.get("mode") == PRACTICE
    answers = raw.get("answers") or {}
    results = raw.get("results") or {}
    flagged = set(raw.get("flagged") or [])
    rows: list[QuestionView] = []
    for number, qid in enumerate((q for q in question_ids if q in questions), start=1):
        question = questions[qid]
        saved = answers.get(str(qid)) or {}
        checked = practice and not submitted and "mark" in saved
        # After submission the marks follow the policy; a practice check is always marked.
        mark = (
            results.get(str(qid)) if submitted and shown else saved.get("mark") if checked else None
        )
        marked = mark is not None
        revealed = marked and shown
        value = _form_value(question.question_type, saved.get("value"))
        if given is not None and qid in given and not checked:
            value = given[qid]
        chosen = {str(v) for v in value} if isinstance(value, list) else {str(value)}
        choices: list[ChoiceView] = []
        if question.question_type in CHOICE_TYPES:
            by_id = {c.pk: c for c in question.choices.all()}
            order = (raw.get("choice_order") or {}).get(str(qid)) or list(by_id)
            choices = [
                ChoiceView(
                    id=cid,
                    text=by_id[cid].text,
                    chosen=str(cid) in chosen,
                    correct=by_id[cid].is_correct if revealed else None,
                )
                for cid in order
                if cid in by_id
            ]
        rows.append(
            QuestionView(
                id=qid,
                number=number,
                question_type=question.question_type,
                prompt=question.prompt,
                points=question.points,
                choices=choices,
                value=value,
                locked=submitted or checked,
                marked=marked,
                revealed=revealed,
                flagged=qid in flagged,
                earned=Decimal(mark["points"]) if mark is not None else None,
                correct=mark["correct"] if mark is not None else None,
                correct_answer=(
                    _key_text(question)
                    if revealed and question.question_type not in CHOICE_TYPES
                    else ""
                ),
                explanation=question.explanation if revealed else "",
            )
        )
    return AttemptSheet(rows, settings, shown)


def attempt_for_learner(
    *, user_id: int, offering_id: int, item_id: int, attempt_id: int
) -> QuizAttempt:
    """The learner's own attempt; 404 alike for missing and for someone else's."""
    attempt = QuizAttempt.objects.filter(
        pk=attempt_id, user_id=user_id, course_offering_id=offering_id, content_item_id=item_id
    ).first()
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


@dataclass(frozen=True)
class QuizOverview:
    settings: QuizSettings
    attempts: list[QuizAttempt]  # newest first
    mastery: QuizMastery | None

    @property
    def open_attempt(self) -> QuizAttempt | None:
        return next((a for a in self.attempts if a.submitted_at is None), None)

    @property
    def attempts_left(self) -> int | None:
        if self.settings.max_attempts is None:
            return None
        used = max((a.attempt_number for a in self.attempts), default=0)
        return max(self.settings.max_attempts - used, 0)

    @property
    def closed(self) -> bool:
        return self.settings.is_closed(timezone.now())

    @property
    def best(self) -> QuizAttempt | None:
        scored = [a for a in self.attempts if a.score_obtained is not None]
        return max(scored, key=lambda a: (a.score_obtained, -a.attempt_number), default=None)


def quiz_overview(
    *, user_id: int, offering_id: int, item_id: int, data: dict[str, Any]
) -> QuizOverview:
    """The learner's attempts at the quiz and their mastery, in two queries (a third for
    their accommodation when the quiz limits time or attempts)."""
    attempts = list(
        QuizAttempt.objects.filter(
            user_id=user_id, course_offering_id=offering_id, content_item_id=item_id
        )
        .defer("raw_response_json")
        .order_by("-attempt_number")
    )
    mastery = QuizMastery.objects.filter(
        user_id=user_id, course_offering_id=offering_id, content_item_id=item_id
    ).first()
    settings = _learners_settings(
        QuizSettings.from_payload(data), user_id=user_id, offering_id=offering_id, item_id=item_id
    )
    return QuizOverview(settings, attempts, mastery)


def question_pool_options(*, course_ids: list[int]) -> list[PoolOption]:
    """The question pools of these courses with how many questions each holds, for the quiz
    editor's pool picker; one query."""
    pools = (
        QuestionPool.objects.filter(course_id__in=course_ids)
        .select_related("course")
        .annotate(question_count=Count("questions"))
        .order_by("course__code", "title", "pk")
    )
    return [
        PoolOption(
            id=pool.pk,
            course_id=pool.course_id,
            course_label=f"{pool.course.code} {pool.course.title}",
            title=pool.title,
            question_count=pool.question_count,
        )
        for pool in pools
    ]
