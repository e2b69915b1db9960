"""Regrading quiz attempts after staff correct an answer key: every submitted attempt with one of
the questions is rescored the way it was first scored, and each changed score is recorded."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.quizzes.models import QuizAttempt, QuizRegrade
from assessments.quizzes.services import (
    QuizSettings,
    attempt_passed_record,
    attempt_score_apply,
    attempt_scored_announce,
    mastery_award,
)
from content.models import ContentItem
from tenancy.models import User


@dataclass(frozen=True)
class RegradeResult:
    regraded: int
    changed: int


def attempts_regrade(*, question_ids: Iterable[int], actor: User | None) -> RegradeResult:
    """Rescore every submitted attempt that contains one of the questions with the current
    answer keys; each changed score is recorded (old and new, who, when) and announced like a
    first scoring. A mastery reached by the new score is awarded; one already awarded stays."""
    question_ids = sorted(set(question_ids))
    if not question_ids:
        return RegradeResult(0, 0)
    contains = Q()
    for qid in question_ids:
        contains |= Q(raw_response_json__question_ids__contains=[qid])
    regraded = changed = 0
    with transaction.atomic():
        attempts = list(
            QuizAttempt.objects.select_for_update()
            .filter(contains, submitted_at__isnull=False)
            .order_by("pk")
        )
        settings_cache: dict[int, QuizSettings] = {}
        for attempt in attempts:
            if attempt.content_item_id not in settings_cache:
                data = (
                    ContentItem.objects.non_polymorphic()
                    .values_list("data_json", flat=True)
                    .get(pk=attempt.content_item_id)
                )
                settings_cache[attempt.content_item_id] = QuizSettings.from_payload(data)
            settings = settings_cache[attempt.content_item_id]
            old_score, old_passed = attempt.score_obtained, attempt.passed
            old_results = dict(attempt.raw_response_json.get("results") or {})
            score = attempt_score_apply(attempt, settings)
            regraded += 1
            attempt.save(
                update_fields=["score_obtained", "max_score", "passed", "raw_response_json"]
            )
            if (old_score, old_passed) != (attempt.score_obtained, attempt.passed):
                changed += 1
                # The question whose mark changed (the first, when several did).
                results = attempt.raw_response_json["results"]
                touched = next(
                    (q for q in question_ids if old_results.get(str(q)) != results.get(str(q))),
                    None,
                )
                QuizRegrade.objects.create(
                    attempt=attempt,
                    question_id=touched,
                    old_score=old_score,
                    new_score=attempt.score_obtained,
                    old_passed=old_passed,
                    new_passed=attempt.passed,
                    regraded_by=actor,
                )
                mastery_award(attempt, settings, score.longest_run, timezone.now())
                attempt_passed_record(attempt)
                attempt_scored_announce(attempt)
    return RegradeResult(regraded, changed)
