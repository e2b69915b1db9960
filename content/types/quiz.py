"""Quiz: a practice or exam quiz drawing questions from a pool, and its review policy."""

from typing import Any

from django.db import models
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from content.types.base import (
    MAX_POINTS,
    MAX_TIME_LIMIT_SECONDS,
    POSITIVE_INT,
    ContentTypeDefinition,
    RenderContext,
    format_duration,
    render_template,
    time_element,
)


class QuizReviewPolicy(models.TextChoices):
    """When a learner sees the correct answers and explanations of a quiz they took."""

    IMMEDIATELY = (
        "immediately",
        gettext_lazy("Immediately (after each submission or practice check)"),
    )
    AFTER_LAST_ATTEMPT = "after_last_attempt", gettext_lazy("After the last attempt")
    AFTER_CLOSE = "after_close", gettext_lazy("After the quiz closes")
    NEVER = "never", gettext_lazy("Never")


def quiz_review_policy(data: dict[str, Any]) -> str:
    """The quiz's review policy; without one, exams keep their answers until the learner has
    no attempt left and practice quizzes show them at once."""
    policy = data.get("review_policy")
    if policy:
        return policy
    if data.get("quiz_mode") == "practice":
        return QuizReviewPolicy.IMMEDIATELY
    return QuizReviewPolicy.AFTER_LAST_ATTEMPT


SCHEMA = {
    "type": "object",
    "required": ["question_pool_id", "quiz_mode", "num_questions_per_attempt"],
    "properties": {
        "question_pool_id": POSITIVE_INT,
        "quiz_mode": {"enum": ["practice", "exam"]},
        "num_questions_per_attempt": POSITIVE_INT,
        "randomize_order": {"type": "boolean"},
        "time_limit_seconds": {
            "type": ["integer", "null"],
            "minimum": 1,
            "maximum": MAX_TIME_LIMIT_SECONDS,
        },
        "review_policy": {"enum": list(QuizReviewPolicy.values)},
        "closes_at": {"type": ["string", "null"], "format": "date-time"},
        "mastery": {
            "type": ["object", "null"],
            "properties": {
                "points": {"type": "integer", "minimum": 0, "maximum": MAX_POINTS},
                "threshold_correct_in_row": POSITIVE_INT,
                "max_attempts": {"type": ["integer", "null"], "minimum": 1},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}

DRAFT = {"question_pool_id": 1, "quiz_mode": "practice", "num_questions_per_attempt": 1}


def semantic_errors(data: dict[str, Any]) -> list[str]:
    """Rules the schema cannot say: a mastery threshold that can be reached, a review
    policy that has a moment to show the answers."""
    problems = []
    mastery = data.get("mastery") or {}
    threshold = mastery.get("threshold_correct_in_row")
    if threshold and threshold > data["num_questions_per_attempt"] * (
        mastery.get("max_attempts") or 10**6
    ):
        problems.append("mastery.threshold_correct_in_row: can never be reached")
    policy = data.get("review_policy")
    if policy == QuizReviewPolicy.AFTER_CLOSE and not data.get("closes_at"):
        problems.append("review_policy: showing answers after the quiz closes needs a closing time")
    if (
        policy == QuizReviewPolicy.AFTER_LAST_ATTEMPT
        and not mastery.get("max_attempts")
        and not data.get("closes_at")
    ):
        problems.append(
            "review_policy: with unlimited attempts and no closing time there is no last attempt"
        )
    return problems


def render_quiz(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    modes = {"practice": _("Practice"), "exam": _("Exam")}
    mastery = data.get("mastery") or {}
    limit = data.get("time_limit_seconds")
    attempts = mastery.get("max_attempts")
    facts: list[tuple[str, str]] = [
        (_("Mode"), str(modes.get(data.get("quiz_mode"), data.get("quiz_mode", "")))),
        (_("Questions per attempt"), str(data.get("num_questions_per_attempt", ""))),
        (_("Time limit"), str(format_duration(limit) if limit else _("No time limit"))),
        (_("Attempts allowed"), str(attempts if attempts else _("Unlimited"))),
        (
            _("Question order"),
            str(_("Shuffled for each attempt") if data.get("randomize_order") else _("Fixed")),
        ),
    ]
    if mastery.get("threshold_correct_in_row"):
        facts.append(
            (
                _("Mastery"),
                str(
                    ngettext(
                        "%(n)s correct answer in a row",
                        "%(n)s correct answers in a row",
                        mastery["threshold_correct_in_row"],
                    )
                    % {"n": mastery["threshold_correct_in_row"]}
                ),
            )
        )
    if mastery.get("points") is not None:
        facts.append((_("Points"), str(mastery["points"])))
    closes = time_element(data.get("closes_at"), ctx.time_zone)
    if closes:
        facts.append((_("Closes"), closes))
    policy = QuizReviewPolicy(quiz_review_policy(data))
    facts.append((_("Correct answers shown"), str(policy.label)))
    return render_template("quiz", {"facts": facts})


DEFINITION = ContentTypeDefinition(
    name="quiz", schema=SCHEMA, draft=DRAFT, render=render_quiz, semantic_errors=semantic_errors
)
