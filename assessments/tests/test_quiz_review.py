"""The review policy of a quiz decides when a learner sees the correct answers and the
explanations: immediately, after the last attempt, after the quiz closes, or never. The one
selector that builds the attempt and result pages applies it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.quizzes.selectors import attempt_sheet
from assessments.quizzes.services import (
    QuizRefused,
    attempt_answers_save,
    attempt_start,
    attempt_submit,
)
from assessments.tests import quiz_factories as qf
from assessments.tests.quiz_factories import correct_answers

pytestmark = pytest.mark.django_db


def take(offering, item, student, questions, now=None):
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk, now=now).attempt
    attempt_answers_save(
        user=student, attempt_id=attempt.pk, answers=correct_answers(questions), now=now
    )
    return attempt_submit(user=student, attempt_id=attempt.pk, now=now)


def shown(attempt, now=None) -> tuple[bool, list[bool], list[str]]:
    sheet = attempt_sheet(attempt=attempt, now=now)
    return (
        sheet.answers_shown,
        [q.marked for q in sheet.questions],
        [q.explanation for q in sheet.questions if q.explanation],
    )


ALL = [True] * 5
NONE = [False] * 5
EXPLAINED = ["EXPLAIN-SINGLE: force is measured in newtons."]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"review_policy": "immediately"}, (True, ALL, EXPLAINED)),
        ({"review_policy": "after_last_attempt"}, (False, NONE, [])),
        ({"review_policy": "never"}, (False, NONE, [])),
        ({}, (False, NONE, [])),  # an exam by default: after the last attempt
        ({"quiz_mode": "practice"}, (True, ALL, EXPLAINED)),  # practice by default: at once
    ],
)
def test_after_a_first_attempt_with_attempts_left(payload, expected):
    offering, item, _bank, questions, student = qf.quiz_setup(**payload)
    attempt = take(offering, item, student, questions)
    assert shown(attempt) == expected


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("immediately", (True, ALL, EXPLAINED)),
        ("after_last_attempt", (True, ALL, EXPLAINED)),
        ("never", (False, NONE, [])),
        (None, (True, ALL, EXPLAINED)),
    ],
)
def test_after_the_last_attempt(policy, expected):
    payload = {"mastery": {"max_attempts": 2}}
    if policy:
        payload["review_policy"] = policy
    offering, item, _bank, questions, student = qf.quiz_setup(**payload)
    first = take(offering, item, student, questions)
    second = take(offering, item, student, questions)
    assert shown(first) == expected
    assert shown(second) == expected


def test_after_the_last_attempt_waits_while_the_last_one_is_open():
    offering, item, _bank, questions, student = qf.quiz_setup(mastery={"max_attempts": 2})
    first = take(offering, item, student, questions)
    attempt_start(user=student, offering=offering, item_id=item.pk)
    assert shown(first) == (False, NONE, [])


def test_after_close_shows_the_answers_once_the_quiz_closed():
    closes = timezone.now() + timedelta(days=1)
    offering, item, _bank, questions, student = qf.quiz_setup(
        review_policy="after_close", closes_at=closes.isoformat()
    )
    attempt = take(offering, item, student, questions)
    assert shown(attempt) == (False, NONE, [])
    assert shown(attempt, now=closes - timedelta(seconds=1)) == (False, NONE, [])
    assert shown(attempt, now=closes) == (True, ALL, EXPLAINED)


def test_never_shows_nothing_even_after_the_close_and_the_last_attempt():
    closes = timezone.now() + timedelta(days=1)
    offering, item, _bank, questions, student = qf.quiz_setup(
        review_policy="never", closes_at=closes.isoformat(), mastery={"max_attempts": 1}
    )
    attempt = take(offering, item, student, questions)
    assert shown(attempt, now=closes + timedelta(days=1)) == (False, NONE, [])


def test_a_submitted_attempt_without_review_keeps_the_learners_answers_and_hides_the_keys():
    offering, item, _bank, questions, student = qf.quiz_setup()
    attempt = take(offering, item, student, questions)
    sheet = attempt_sheet(attempt=attempt)
    numeric = next(q for q in sheet.questions if q.question_type == "numeric")
    assert (numeric.value, numeric.locked, numeric.correct_answer) == ("9.81", True, "")
    assert [c.correct for q in sheet.questions for c in q.choices] == [None] * 7


def test_a_practice_check_under_never_marks_the_answer_without_the_key():
    offering, item, _bank, questions, student = qf.quiz_setup(
        quiz_mode="practice", review_policy="never"
    )
    single = questions[0]
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    attempt_answers_save(
        user=student, attempt_id=attempt.pk, answers=correct_answers(questions), check=single.pk
    )
    attempt.refresh_from_db()
    row = attempt_sheet(attempt=attempt).questions[0]
    assert (row.marked, row.correct, row.revealed, row.explanation) == (True, True, False, "")
    assert [c.correct for c in row.choices] == [None, None, None]


def test_a_closed_quiz_starts_no_attempt_and_open_ones_end_at_the_close():
    closes = timezone.now() + timedelta(minutes=10)
    offering, item, _bank, _questions, student = qf.quiz_setup(
        closes_at=closes.isoformat(), time_limit_seconds=3600
    )
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    assert attempt.deadline_at == closes
    attempt_submit(user=student, attempt_id=attempt.pk)
    with pytest.raises(QuizRefused, match="This quiz closed on"):
        attempt_start(
            user=student, offering=offering, item_id=item.pk, now=closes + timedelta(seconds=1)
        )
    assert attempt.__class__.objects.filter(user=student).count() == 1


@pytest.mark.parametrize("copies", [1, 3])
def test_the_sheet_takes_the_same_queries_whatever_the_number_of_questions(
    django_assert_num_queries, copies
):
    offering, item, bank, questions, student = qf.quiz_setup(
        num_questions_per_attempt=5 * copies, mastery={"max_attempts": 1}
    )
    for _copy in range(copies - 1):
        questions += qf.every_type(bank)
    attempt = take(offering, item, student, questions)
    # the quiz's settings, the learner's accommodation and attempts (for the policy: is this
    # their last attempt?), the questions, choices
    with django_assert_num_queries(5):
        sheet = attempt_sheet(attempt=attempt)
    assert len(sheet.questions) == 5 * copies
    assert sheet.answers_shown is True


@pytest.mark.parametrize("policy", ["after_close", "after_last_attempt"])
def test_keys_wait_while_an_attempt_is_open_after_the_close(policy):
    offering, item, _bank, questions, student = qf.quiz_setup(
        review_policy=policy, closes_at="2099-01-01T00:00:00Z"
    )
    first = take(offering, item, student, questions)
    attempt_start(user=student, offering=offering, item_id=item.pk)  # open until 2099
    # The closing time is moved into the past afterwards: the open attempt keeps its deadline.
    item.data_json = {**item.data_json, "closes_at": "2020-01-01T00:00:00Z"}
    item.save(update_fields=["data_json"])
    assert shown(first) == (False, NONE, [])
