"""Saving quiz answers, practice feedback, and what deadlines do to an attempt."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from assessments.quizzes.services import (
    QuizRefused,
    attempt_answers_save,
    attempt_close_if_expired,
    attempt_start,
    attempt_submit,
    expired_attempts_submit,
)
from assessments.tests import quiz_factories as qf
from assessments.tests.quiz_factories import correct_answers
from assessments.tests.quiz_services.support import snapshot
from tenancy.tests.factories import UserFactory

# Saving and deadlines --------------------------------------------------------------------


@pytest.mark.django_db
def test_exam_answers_are_saved_as_given_and_can_change():
    offering, item, _bank, questions, student = qf.quiz_setup()
    single, multiple, _tf, numeric, text = questions
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    wrong = str(single.choices.get(text="Joule").pk)
    result = attempt_answers_save(
        user=student,
        attempt_id=attempt.pk,
        answers={single.pk: wrong, numeric.pk: " 9,8 ", text.pk: "Joule "},
    )
    assert result.feedback == {}  # exam: no feedback before submission
    assert sorted(result.saved) == sorted([single.pk, numeric.pk, text.pk])
    attempt.refresh_from_db()
    answers = attempt.raw_response_json["answers"]
    assert answers[str(numeric.pk)]["value"] == "9,8"
    assert answers[str(text.pk)]["value"] == "Joule "
    assert "mark" not in answers[str(single.pk)]
    right = str(single.choices.get(is_correct=True).pk)
    attempt_answers_save(
        user=student, attempt_id=attempt.pk, answers={single.pk: right, text.pk: ""}
    )
    attempt.refresh_from_db()
    answers = attempt.raw_response_json["answers"]
    assert answers[str(single.pk)]["value"] == int(right)
    assert str(text.pk) not in answers  # cleared
    assert str(multiple.pk) not in answers


@pytest.mark.django_db
def test_an_invalid_answer_saves_nothing():
    offering, item, _bank, questions, student = qf.quiz_setup()
    single, _m, _tf, numeric, _t = questions
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    before = snapshot()
    right = str(single.choices.get(is_correct=True).pk)
    with pytest.raises(QuizRefused) as caught:
        attempt_answers_save(
            user=student, attempt_id=attempt.pk, answers={single.pk: right, numeric.pk: "ten"}
        )
    assert caught.value.errors == {numeric.pk: "Enter a number, such as 12.5."}
    with pytest.raises(QuizRefused, match="not for questions of this attempt"):
        attempt_answers_save(user=student, attempt_id=attempt.pk, answers={10**9: "1"})
    with pytest.raises(PermissionDenied):
        attempt_answers_save(user=UserFactory(), attempt_id=attempt.pk, answers={})
    assert snapshot() == before


@pytest.mark.django_db
def test_practice_mode_gives_feedback_per_question_and_keeps_the_first_answer():
    offering, item, _bank, questions, student = qf.quiz_setup(quiz_mode="practice")
    single, *_rest, numeric, _text = questions
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    wrong = str(single.choices.get(text="Watt").pk)
    result = attempt_answers_save(
        user=student,
        attempt_id=attempt.pk,
        answers={single.pk: wrong, numeric.pk: ""},
        check=single.pk,
    )
    assert set(result.feedback) == {single.pk}
    assert not result.feedback[single.pk].correct
    right = str(single.choices.get(is_correct=True).pk)
    again = attempt_answers_save(
        user=student, attempt_id=attempt.pk, answers={single.pk: right}, check=single.pk
    )
    assert again.feedback == {} and again.saved == []
    attempt.refresh_from_db()
    entry = attempt.raw_response_json["answers"][str(single.pk)]
    assert entry["value"] == int(wrong)
    assert entry["mark"] == {"points": "0", "max_points": "1.00", "correct": False}


@pytest.mark.django_db
def test_answers_after_the_deadline_are_refused_and_the_attempt_is_submitted(
    scored_events, django_capture_on_commit_callbacks
):
    offering, item, _bank, questions, student = qf.quiz_setup(time_limit_seconds=60)
    single, multiple, *_rest = questions
    start = timezone.now()
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk, now=start).attempt
    right = str(single.choices.get(is_correct=True).pk)
    attempt_answers_save(
        user=student,
        attempt_id=attempt.pk,
        answers={single.pk: right},
        now=start + timedelta(seconds=59),
    )
    with django_capture_on_commit_callbacks(execute=True):
        late = attempt_answers_save(
            user=student,
            attempt_id=attempt.pk,
            answers={multiple.pk: [str(c.pk) for c in multiple.choices.filter(is_correct=True)]},
            now=start + timedelta(seconds=61),
        )
    assert late.expired and late.saved == []
    attempt.refresh_from_db()
    assert attempt.submitted_at == start + timedelta(seconds=60)
    assert attempt.raw_response_json["submitted_by"] == "deadline"
    assert list(attempt.raw_response_json["answers"]) == [str(single.pk)]
    assert (attempt.score_obtained, attempt.max_score) == (Decimal("1.00"), Decimal("6.00"))
    assert len(scored_events) == 1
    with pytest.raises(QuizRefused, match="already submitted"):
        attempt_answers_save(user=student, attempt_id=attempt.pk, answers={})


@pytest.mark.django_db
def test_submitting_late_scores_what_was_saved_as_of_the_deadline():
    offering, item, _bank, questions, student = qf.quiz_setup(time_limit_seconds=60)
    start = timezone.now()
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk, now=start).attempt
    attempt_answers_save(user=student, attempt_id=attempt.pk, answers=correct_answers(questions))
    done = attempt_submit(user=student, attempt_id=attempt.pk, now=start + timedelta(hours=2))
    assert done.submitted_at == start + timedelta(seconds=60)
    assert done.score_obtained == Decimal("6.00")


@pytest.mark.django_db
def test_coming_back_after_the_deadline_submits_the_attempt():
    offering, item, _bank, _questions, student = qf.quiz_setup(
        time_limit_seconds=60, mastery={"max_attempts": 1}
    )
    start = timezone.now() - timedelta(minutes=5)
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk, now=start).attempt
    closed = attempt_close_if_expired(attempt=attempt)
    assert closed.submitted_at == start + timedelta(seconds=60)
    assert closed.score_obtained == Decimal(0)
    # A start after the deadline also closes it first, then counts it as used.
    other_offering, other_item, *_r, other = qf.quiz_setup(
        time_limit_seconds=60, mastery={"max_attempts": 1}
    )
    late = attempt_start(user=other, offering=other_offering, item_id=other_item.pk, now=start)
    with pytest.raises(QuizRefused, match="used all 1 attempts"):
        attempt_start(user=other, offering=other_offering, item_id=other_item.pk)
    late.attempt.refresh_from_db()
    assert late.attempt.submitted_at == start + timedelta(seconds=60)


@pytest.mark.django_db
def test_sweep_submits_expired_attempts_only():
    offering, item, *_rest, student = qf.quiz_setup(time_limit_seconds=60)
    old = timezone.now() - timedelta(minutes=5)
    expired = attempt_start(user=student, offering=offering, item_id=item.pk, now=old).attempt
    o2, i2, *_r, s2 = qf.quiz_setup(time_limit_seconds=600)
    running = attempt_start(user=s2, offering=o2, item_id=i2.pk).attempt
    assert expired_attempts_submit() == 1
    assert expired_attempts_submit() == 0
    expired.refresh_from_db()
    running.refresh_from_db()
    assert expired.submitted_at is not None and running.submitted_at is None
