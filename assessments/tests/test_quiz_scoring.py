"""Scoring of every question type, answer normalisation and answer-key checks."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.quizzes.models import Question
from assessments.quizzes.scoring import (
    AnswerError,
    AnswerKey,
    key_errors,
    normalise_answer,
    score_answer,
    score_attempt,
)
from assessments.tests import quiz_factories as qf
from catalog.tests.factories import CourseFactory

SINGLE = AnswerKey(
    1, "single", Decimal(1), choice_ids=frozenset({10, 11, 12}), correct_choice_ids=frozenset({11})
)
MULTIPLE = AnswerKey(
    2,
    "multiple",
    Decimal(3),
    choice_ids=frozenset({20, 21, 22, 23}),
    correct_choice_ids=frozenset({20, 21, 22}),
)
TRUE_FALSE = AnswerKey(3, "true_false", Decimal(1), correct_boolean=True)
NUMERIC = AnswerKey(
    4, "numeric", Decimal(2), numeric_answer=Decimal("9.81"), numeric_tolerance=Decimal("0.05")
)


def text_key(answer: str, match: str) -> AnswerKey:
    return AnswerKey(5, "short_text", Decimal(1), text_answer=answer, text_match=match)


def points(key: AnswerKey, raw) -> Decimal:
    return score_answer(key, normalise_answer(key, raw)).points


def test_single_choice():
    assert points(SINGLE, "11") == Decimal(1)
    assert points(SINGLE, "10") == Decimal(0)
    assert points(SINGLE, "") == Decimal(0)


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (["20", "21", "22"], Decimal("3.00")),  # all right ones
        (["20", "21"], Decimal("2.00")),  # two of three
        (["20"], Decimal("1.00")),
        (["20", "21", "23"], Decimal("1.00")),  # two right, one wrong
        (["20", "23"], Decimal("0.00")),  # right and wrong cancel out
        (["23"], Decimal("0.00")),  # never below zero
        (["20", "21", "22", "23"], Decimal("2.00")),  # choosing everything costs
        ([], Decimal("0.00")),  # none chosen
    ],
)
def test_multiple_choice_partial_credit(chosen, expected):
    assert points(MULTIPLE, chosen) == expected


def test_multiple_choice_rounds_thirds_to_cents():
    key = AnswerKey(
        6,
        "multiple",
        Decimal(1),
        choice_ids=frozenset({1, 2, 3}),
        correct_choice_ids=frozenset({1, 2, 3}),
    )
    assert points(key, ["1"]) == Decimal("0.33")
    assert points(key, ["1", "2"]) == Decimal("0.67")


def test_true_false():
    assert points(TRUE_FALSE, "true") == Decimal(1)
    assert points(TRUE_FALSE, "false") == Decimal(0)
    wrong_is_right = AnswerKey(7, "true_false", Decimal(1), correct_boolean=False)
    assert points(wrong_is_right, "false") == Decimal(1)
    assert points(wrong_is_right, "") == Decimal(0)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("9.81", Decimal(2)),
        ("9.86", Decimal(2)),  # on the edge of the tolerance
        ("9.76", Decimal(2)),
        ("9.87", Decimal(0)),
        ("9.75", Decimal(0)),
        ("9,8", Decimal(2)),  # decimal comma
        (" 981e-2 ", Decimal(2)),
        ("-9.81", Decimal(0)),
    ],
)
def test_numeric_with_tolerance(given, expected):
    assert points(NUMERIC, given) == expected


def test_numeric_exact_with_zero_tolerance():
    key = AnswerKey(8, "numeric", Decimal(1), numeric_answer=Decimal(42), numeric_tolerance=0)
    assert points(key, "42") == Decimal(1)
    assert points(key, "42.0001") == Decimal(0)


@pytest.mark.parametrize(
    ("match", "given", "expected"),
    [
        ("exact", "Joule", Decimal(1)),
        ("exact", "  Joule ", Decimal(1)),  # surrounding spaces do not count
        ("exact", "joule", Decimal(0)),
        ("case_insensitive", "JOULE", Decimal(1)),
        ("case_insensitive", "joules", Decimal(0)),
        ("regex", "joules", Decimal(1)),
        ("regex", "Joule", Decimal(1)),
        ("regex", "kilojoule", Decimal(0)),  # the whole answer must match
    ],
)
def test_short_text_match_modes(match, given, expected):
    answer = "[Jj]oules?" if match == "regex" else "Joule"
    assert points(text_key(answer, match), given) == expected


def test_case_insensitive_folds_unicode():
    assert points(text_key("Straße", "case_insensitive"), "STRASSE") == Decimal(1)


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        (SINGLE, "99", "Choose one of the options"),
        (SINGLE, "abc", "Choose one of the options"),
        (MULTIPLE, ["20", "99"], "Choose among the options"),
        (TRUE_FALSE, "maybe", "Choose true or false"),
        (NUMERIC, "nine", "Enter a number"),
        (NUMERIC, "NaN", "Enter a number"),
        (NUMERIC, "Infinity", "Enter a number"),
        (text_key("x", "exact"), "y" * 501, "under 500 characters"),
    ],
)
def test_answers_that_cannot_be_recorded(key, raw, message):
    with pytest.raises(AnswerError, match=message):
        normalise_answer(key, raw)


def test_blank_answers_are_none_and_answers_keep_their_form():
    assert normalise_answer(MULTIPLE, ["", " "]) is None
    assert normalise_answer(NUMERIC, "  ") is None
    assert normalise_answer(MULTIPLE, ["22", "20"]) == [20, 22]
    assert normalise_answer(NUMERIC, " 9,81 ") == "9,81"
    assert normalise_answer(TRUE_FALSE, "false") is False
    assert normalise_answer(text_key("x", "exact"), " As Typed ") == " As Typed "


def test_attempt_score_and_longest_run_in_the_order_shown():
    keys = {k.id: k for k in (SINGLE, MULTIPLE, TRUE_FALSE, NUMERIC)}
    answers = {
        "1": {"value": 11},  # right
        "2": {"value": [20, 21]},  # partial: not a correct answer for the run
        "3": {"value": True},  # right
        "4": {"value": "9.8"},  # right
    }
    result = score_attempt(question_ids=[1, 2, 3, 4, 999], keys=keys, answers=answers)
    assert result.score == Decimal("6.00")  # 1 + 2 + 1 + 2
    assert result.max_score == Decimal("7.00")  # the removed question 999 counts for nothing
    assert result.longest_run == 2
    assert set(result.marks) == {1, 2, 3, 4}
    assert score_attempt(question_ids=[3, 4, 1], keys=keys, answers=answers).longest_run == 3


def test_key_errors():
    base = dict(
        correct_boolean=None,
        numeric_answer=None,
        numeric_tolerance=None,
        text_answer=None,
        text_match=None,
    )
    assert key_errors(question_type="single", choices=[("a", False), ("b", False)], **base) == {
        "choices": "Mark at least one option as correct."
    }
    assert (
        "exactly one"
        in key_errors(question_type="single", choices=[("a", True), ("b", True)], **base)["choices"]
    )
    assert key_errors(question_type="multiple", choices=[("a", True), ("b", True)], **base) == {}
    assert (
        "two options"
        in key_errors(question_type="multiple", choices=[("a", True)], **base)["choices"]
    )
    assert set(key_errors(question_type="numeric", choices=[], **base)) == {
        "numeric_answer",
        "numeric_tolerance",
    }
    negative = {**base, "numeric_answer": Decimal(1), "numeric_tolerance": Decimal("-0.1")}
    assert key_errors(question_type="numeric", choices=[], **negative) == {
        "numeric_tolerance": "The tolerance cannot be negative."
    }
    broken = {**base, "text_answer": "joule(s", "text_match": "regex"}
    assert (
        "does not compile"
        in key_errors(question_type="short_text", choices=[], **broken)["text_answer"]
    )
    assert set(key_errors(question_type="true_false", choices=[("a", True)], **base)) == {
        "choices",
        "correct_boolean",
    }


@pytest.mark.django_db
def test_question_clean_refuses_a_broken_key():
    bank = qf.pool(CourseFactory())
    with pytest.raises(ValidationError) as caught:
        qf.short_text(bank, text_answer="[unclosed", text_match="regex")
    assert "does not compile" in str(caught.value.message_dict["text_answer"])
    with pytest.raises(ValidationError) as caught:
        qf.numeric(bank, numeric_tolerance=Decimal("-1"))
    assert caught.value.message_dict["numeric_tolerance"] == ["The tolerance cannot be negative."]
    assert Question.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"question_type": "essay"}, "questions_question_type_valid"),
        ({"question_type": "numeric", "numeric_answer": 1}, "questions_numeric_has_key"),
        (
            {"question_type": "numeric", "numeric_answer": 1, "numeric_tolerance": -1},
            "questions_numeric_tolerance_not_negative",
        ),
        ({"question_type": "short_text", "text_answer": "x"}, "questions_short_text_has_key"),
        (
            {"question_type": "short_text", "text_answer": "x", "text_match": "fuzzy"},
            "questions_text_match_valid",
        ),
        ({"question_type": "true_false"}, "questions_true_false_has_key"),
        ({"question_type": "single", "points": 0}, "questions_points_positive"),
    ],
)
def test_database_checks(fields, constraint):
    bank = qf.pool(CourseFactory())
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Question.objects.create(pool=bank, prompt="?", **fields)


@pytest.mark.django_db
def test_pool_takes_its_university_from_the_course():
    course = CourseFactory()
    assert qf.pool(course).university_id == course.university_id
