"""Saving the answers of an attempt: every action saves every answer on the page first; a
practice check marks only the question checked; flags for review are kept with the attempt."""

from decimal import Decimal

import pytest

from assessments.quizzes.services import (
    QuizRefused,
    attempt_answers_save,
    attempt_start,
    attempt_submit,
)
from assessments.tests import quiz_factories as qf
from assessments.tests.quiz_factories import correct_answers

pytestmark = pytest.mark.django_db


def test_a_practice_check_saves_every_answer_and_marks_only_the_checked_one():
    offering, item, _bank, questions, student = qf.quiz_setup(quiz_mode="practice")
    single, multiple, tf, numeric, text = questions
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    answers = correct_answers(questions)
    result = attempt_answers_save(
        user=student, attempt_id=attempt.pk, answers=answers, check=single.pk
    )
    assert set(result.feedback) == {single.pk}
    assert result.feedback[single.pk].correct is True
    assert sorted(result.saved) == sorted(q.pk for q in questions)
    attempt.refresh_from_db()
    stored = attempt.raw_response_json["answers"]
    assert set(stored) == {str(q.pk) for q in questions}
    assert stored[str(single.pk)]["mark"] == {
        "points": "1.00",
        "max_points": "1.00",
        "correct": True,
    }
    assert ["mark" in stored[str(q.pk)] for q in (multiple, tf, numeric, text)] == [False] * 4
    assert stored[str(numeric.pk)]["value"] == "9.81"

    submitted = attempt_submit(user=student, attempt_id=attempt.pk)
    assert (submitted.score_obtained, submitted.max_score) == (Decimal("6.00"), Decimal("6.00"))


def test_a_checked_practice_answer_is_final_and_the_others_stay_editable():
    offering, item, _bank, questions, student = qf.quiz_setup(quiz_mode="practice")
    single, _multiple, _tf, numeric, text = questions
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    wrong = str(single.choices.get(text="Watt").pk)
    attempt_answers_save(
        user=student,
        attempt_id=attempt.pk,
        answers={single.pk: wrong, numeric.pk: "3"},
        check=single.pk,
    )
    right = str(single.choices.get(is_correct=True).pk)
    again = attempt_answers_save(
        user=student,
        attempt_id=attempt.pk,
        answers={single.pk: right, numeric.pk: "9.8", text.pk: ""},
    )
    assert again.feedback == {}
    assert again.saved == [numeric.pk]
    attempt.refresh_from_db()
    stored = attempt.raw_response_json["answers"]
    assert stored[str(single.pk)]["value"] == int(wrong)
    assert stored[str(single.pk)]["mark"]["correct"] is False
    assert stored[str(numeric.pk)] == {
        "value": "9.8",
        "saved_at": stored[str(numeric.pk)]["saved_at"],
    }
    assert str(text.pk) not in stored


def test_checking_an_unanswered_question_is_refused_and_saves_nothing():
    offering, item, _bank, questions, student = qf.quiz_setup(quiz_mode="practice")
    single, _multiple, _tf, numeric, _text = questions
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    with pytest.raises(QuizRefused) as caught:
        attempt_answers_save(
            user=student,
            attempt_id=attempt.pk,
            answers={single.pk: "", numeric.pk: "9.81"},
            check=single.pk,
        )
    assert caught.value.errors == {single.pk: "Answer this question before checking it."}
    attempt.refresh_from_db()
    assert attempt.raw_response_json["answers"] == {}


def test_an_exam_cannot_be_checked_before_submission():
    offering, item, _bank, questions, student = qf.quiz_setup()
    single = questions[0]
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    with pytest.raises(QuizRefused, match="Only practice quizzes"):
        attempt_answers_save(
            user=student,
            attempt_id=attempt.pk,
            answers=correct_answers(questions),
            check=single.pk,
        )
    attempt.refresh_from_db()
    assert attempt.raw_response_json["answers"] == {}


def test_flags_are_kept_with_the_attempt_and_replaced_by_each_save():
    offering, item, _bank, questions, student = qf.quiz_setup()
    single, multiple, _tf, numeric, _text = questions
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    result = attempt_answers_save(
        user=student, attempt_id=attempt.pk, answers={}, flagged=[numeric.pk, single.pk]
    )
    assert result.flagged == [single.pk, numeric.pk]
    attempt.refresh_from_db()
    assert attempt.raw_response_json["flagged"] == [single.pk, numeric.pk]
    attempt_answers_save(user=student, attempt_id=attempt.pk, answers={}, flagged=[multiple.pk])
    attempt.refresh_from_db()
    assert attempt.raw_response_json["flagged"] == [multiple.pk]
    # Leaving `flagged` out keeps them as they were.
    attempt_answers_save(user=student, attempt_id=attempt.pk, answers={numeric.pk: "1"})
    attempt.refresh_from_db()
    assert attempt.raw_response_json["flagged"] == [multiple.pk]


def test_flagging_a_question_of_another_attempt_is_refused():
    offering, item, _bank, _questions, student = qf.quiz_setup()
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    with pytest.raises(QuizRefused, match="not for questions of this attempt"):
        attempt_answers_save(user=student, attempt_id=attempt.pk, answers={}, flagged=[10**9])
    attempt.refresh_from_db()
    assert "flagged" not in attempt.raw_response_json
