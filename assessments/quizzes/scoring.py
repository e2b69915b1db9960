"""Scoring of quiz answers, and the checks on an answer key and on a given answer.

Pure functions over plain values, so the rules are testable without a database and the same
code scores a submission, a practice answer and a regrade.

Rules:

- single choice and true/false: all points for the correct option, none otherwise;
- multiple choice: partial credit, (right options chosen - wrong options chosen) / right options,
  never below zero; choosing nothing scores nothing;
- numeric: all points when |given - key| <= tolerance;
- short text: surrounding whitespace is ignored; `exact` compares as written, `case_insensitive`
  compares case-folded, `regex` needs the whole answer to match the pattern.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from assessments.quizzes.models import QuestionType, TextMatch

MAX_TEXT_ANSWER = 500
MAX_NUMBER_LENGTH = 40
CENT = Decimal("0.01")


@dataclass(frozen=True)
class AnswerKey:
    """What scoring needs of a question, loaded once per attempt."""

    id: int
    question_type: str
    points: Decimal
    choice_ids: frozenset[int] = frozenset()
    correct_choice_ids: frozenset[int] = frozenset()
    correct_boolean: bool | None = None
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal | None = None
    text_answer: str | None = None
    text_match: str | None = None


@dataclass(frozen=True)
class Mark:
    points: Decimal
    max_points: Decimal

    @property
    def correct(self) -> bool:
        return self.points == self.max_points

    def as_json(self) -> dict[str, Any]:
        return {
            "points": str(self.points),
            "max_points": str(self.max_points),
            "correct": self.correct,
        }


class AnswerError(ValueError):
    """A given answer that cannot be recorded, with a message for the learner."""


def parse_number(raw: str) -> Decimal:
    """A number as a learner types it: `-1.5`, `1,5`, `2e3`; spaces are ignored."""
    text = raw.strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    if not text or len(text) > MAX_NUMBER_LENGTH:
        raise AnswerError(_("Enter a number, such as 12.5."))
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise AnswerError(_("Enter a number, such as 12.5.")) from None
    if not value.is_finite():
        raise AnswerError(_("Enter a number, such as 12.5."))
    return value


def normalise_answer(key: AnswerKey, raw: Any) -> Any:
    """The answer to store for `raw` (form input: a string, or a list of strings for multiple
    choice), or None when the learner left the question blank. Raises AnswerError when the
    input cannot be an answer to this question."""
    kind = key.question_type
    if kind == QuestionType.MULTIPLE:
        values = [raw] if isinstance(raw, str) else list(raw or [])
        values = [v for v in values if str(v).strip()]
        if not values:
            return None
        try:
            chosen = sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise AnswerError(_("Choose among the options shown.")) from None
        if not set(chosen) <= key.choice_ids:
            raise AnswerError(_("Choose among the options shown."))
        return chosen
    if isinstance(raw, list):
        raw = raw[-1] if raw else ""
    text = "" if raw is None else str(raw)
    if not text.strip():
        return None
    if kind == QuestionType.SINGLE:
        try:
            chosen = int(text)
        except ValueError:
            raise AnswerError(_("Choose one of the options shown.")) from None
        if chosen not in key.choice_ids:
            raise AnswerError(_("Choose one of the options shown."))
        return chosen
    if kind == QuestionType.TRUE_FALSE:
        if text not in ("true", "false"):
            raise AnswerError(_("Choose true or false."))
        return text == "true"
    if kind == QuestionType.NUMERIC:
        parse_number(text)
        return text.strip()
    if len(text) > MAX_TEXT_ANSWER:
        raise AnswerError(_("Keep the answer under %(n)s characters.") % {"n": MAX_TEXT_ANSWER})
    return text


def _text_matches(key: AnswerKey, given: str) -> bool:
    expected = key.text_answer or ""
    given = given.strip()
    if key.text_match == TextMatch.EXACT:
        return given == expected.strip()
    if key.text_match == TextMatch.CASE_INSENSITIVE:
        return given.casefold() == expected.strip().casefold()
    if key.text_match == TextMatch.REGEX:
        try:
            return re.fullmatch(expected, given) is not None
        except re.error:
            return False
    return False


def score_answer(key: AnswerKey, answer: Any) -> Mark:
    """The points `answer` (as stored by normalise_answer; None for blank) earns."""
    full, none = Mark(key.points, key.points), Mark(Decimal(0), key.points)
    if answer is None:
        return none
    kind = key.question_type
    if kind == QuestionType.SINGLE:
        return full if answer in key.correct_choice_ids else none
    if kind == QuestionType.MULTIPLE:
        chosen = set(answer)
        if not key.correct_choice_ids:
            return none
        right = len(chosen & key.correct_choice_ids)
        wrong = len(chosen - key.correct_choice_ids)
        share = Decimal(max(right - wrong, 0)) / Decimal(len(key.correct_choice_ids))
        return Mark((key.points * share).quantize(CENT, ROUND_HALF_UP), key.points)
    if kind == QuestionType.TRUE_FALSE:
        return full if answer is key.correct_boolean else none
    if kind == QuestionType.NUMERIC:
        try:
            given = parse_number(str(answer))
        except AnswerError:
            return none
        if key.numeric_answer is None or key.numeric_tolerance is None:
            return none
        return full if abs(given - key.numeric_answer) <= key.numeric_tolerance else none
    if kind == QuestionType.SHORT_TEXT:
        return full if _text_matches(key, str(answer)) else none
    return none


@dataclass(frozen=True)
class AttemptScore:
    score: Decimal
    max_score: Decimal
    marks: dict[int, Mark]
    longest_run: int


def score_attempt(
    *, question_ids: Iterable[int], keys: Mapping[int, AnswerKey], answers: Mapping[str, Any]
) -> AttemptScore:
    """Score the attempt's questions in the order they were shown. A question removed from its
    pool since counts for nothing either way. `longest_run` is the longest run of correct
    answers in that order (what mastery counts)."""
    marks: dict[int, Mark] = {}
    run = longest = 0
    for question_id in question_ids:
        key = keys.get(question_id)
        if key is None:
            continue
        saved = answers.get(str(question_id))
        mark = score_answer(key, saved["value"] if saved else None)
        marks[question_id] = mark
        run = run + 1 if mark.correct else 0
        longest = max(longest, run)
    score = sum((m.points for m in marks.values()), Decimal(0))
    max_score = sum((m.max_points for m in marks.values()), Decimal(0))
    return AttemptScore(score.quantize(CENT), max_score.quantize(CENT), marks, longest)


def key_errors(
    *,
    question_type: str,
    choices: list[tuple[str, bool]] | None,
    correct_boolean: bool | None,
    numeric_answer: Decimal | None,
    numeric_tolerance: Decimal | None,
    text_answer: str | None,
    text_match: str | None,
) -> dict[str, str]:
    """Problems with a question's answer key, by field; empty when it is complete.

    `choices` are (text, is_correct) of the options being saved; None skips their checks.
    """
    errors: dict[str, str] = {}
    if choices is None:
        pass
    elif question_type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        correct = sum(1 for _text, ok in choices if ok)
        if len(choices) < 2:
            errors["choices"] = _("Give at least two options.")
        elif correct == 0:
            errors["choices"] = _("Mark at least one option as correct.")
        elif question_type == QuestionType.SINGLE and correct > 1:
            errors["choices"] = _("A single choice question has exactly one correct option.")
    elif choices:
        errors["choices"] = _("Only choice questions have options.")
    if question_type == QuestionType.TRUE_FALSE and correct_boolean is None:
        errors["correct_boolean"] = _("Say whether the statement is true or false.")
    if question_type == QuestionType.NUMERIC:
        if numeric_answer is None:
            errors["numeric_answer"] = _("Give the correct number.")
        if numeric_tolerance is None:
            errors["numeric_tolerance"] = _("Give the tolerance (0 for an exact answer).")
        elif numeric_tolerance < 0:
            errors["numeric_tolerance"] = _("The tolerance cannot be negative.")
    if question_type == QuestionType.SHORT_TEXT:
        if not (text_answer or "").strip():
            errors["text_answer"] = _("Give the expected answer.")
        if text_match not in TextMatch.values:
            errors["text_match"] = _("Choose how answers are compared.")
        elif text_match == TextMatch.REGEX and (text_answer or "").strip():
            try:
                re.compile(text_answer or "")
            except re.error as exc:
                errors["text_answer"] = _("This regular expression does not compile: %(e)s") % {
                    "e": exc
                }
    return errors
