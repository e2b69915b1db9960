"""Submitting quizzes: scoring once on the server, mastery and regrading."""

from decimal import Decimal

import pytest

from assessments.progress.models import UserContentProgress
from assessments.quizzes.models import QuizAttempt, QuizMastery, QuizRegrade
from assessments.quizzes.regrade import attempts_regrade
from assessments.quizzes.services import attempt_answers_save, attempt_start, attempt_submit
from assessments.tests import quiz_factories as qf
from assessments.tests.quiz_factories import correct_answers
from assessments.triggers import ROLLUP_TASK, rollup_key
from catalog.tests.factories import EnrollmentFactory
from lms.models import OutboxTask
from tenancy.tests.factories import UserFactory


def rollups_asked() -> list[tuple]:
    """The grade rollups recorded in the task outbox: (task args, key)."""
    return [
        (tuple(row.args), row.key)
        for row in OutboxTask.objects.filter(task=ROLLUP_TASK).order_by("pk")
    ]


# Submitting, mastery and regrading ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_submit_scores_on_the_server_once_and_announces_it_after_commit(scored_events):
    offering, item, _bank, questions, student = qf.quiz_setup()
    multiple, numeric = questions[1], questions[3]
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    answers = correct_answers(questions)
    answers[multiple.pk] = answers[multiple.pk][:1]  # half of the two right options: 1 of 2
    answers[numeric.pk] = "10.5"  # outside the tolerance
    attempt_answers_save(user=student, attempt_id=attempt.pk, answers=answers)
    done = attempt_submit(user=student, attempt_id=attempt.pk)
    # 1 + 1 (one of two right options) + 1 + 0 + 1
    assert (done.score_obtained, done.max_score) == (Decimal("4.00"), Decimal("6.00"))
    assert done.raw_response_json["longest_run"] == 1
    assert done.passed is False  # a run of 3 is needed
    assert done.raw_response_json["results"][str(multiple.pk)] == {
        "points": "1.00",
        "max_points": "2.00",
        "correct": False,
    }
    asked = [
        (
            (offering.pk, student.pk),
            rollup_key(offering_id=offering.pk, user_id=student.pk),
        )
    ]
    assert rollups_asked() == asked
    again = attempt_submit(user=student, attempt_id=attempt.pk)
    assert (again.submitted_at, again.score_obtained) == (done.submitted_at, done.score_obtained)
    assert rollups_asked() == asked
    assert not QuizMastery.objects.exists()
    assert not UserContentProgress.objects.filter(completed_at__isnull=False).exists()


@pytest.mark.django_db
def test_a_run_of_correct_answers_masters_the_quiz_once():
    offering, item, _bank, questions, student = qf.quiz_setup(mastery={"points": 40})
    for _ in range(2):
        attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
        attempt_answers_save(
            user=student, attempt_id=attempt.pk, answers=correct_answers(questions)
        )
        done = attempt_submit(user=student, attempt_id=attempt.pk)
        assert done.passed is True
    mastery = QuizMastery.objects.get()
    assert (mastery.user_id, mastery.points_awarded) == (student.pk, 40)
    assert mastery.attempt_id == QuizAttempt.objects.get(attempt_number=1).pk
    progress = UserContentProgress.objects.get(user=student, content_item=item)
    assert progress.completed_at is not None
    assert progress.progress_percent == Decimal(100)


@pytest.mark.django_db
def test_without_a_threshold_half_the_points_pass():
    offering, item, _bank, questions, student = qf.quiz_setup(
        mastery={"threshold_correct_in_row": None}
    )
    single, multiple, *_rest = questions
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    answers = correct_answers(questions)
    attempt_answers_save(
        user=student, attempt_id=attempt.pk, answers={multiple.pk: answers[multiple.pk]}
    )
    assert attempt_submit(user=student, attempt_id=attempt.pk).passed is False  # 2 of 6
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    attempt_answers_save(
        user=student,
        attempt_id=attempt.pk,
        answers={q: answers[q] for q in (single.pk, multiple.pk)},
    )
    assert attempt_submit(user=student, attempt_id=attempt.pk).passed is True  # 3 of 6
    assert not QuizMastery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_regrade_after_fixing_a_key_records_the_change(scored_events):
    offering, item, _bank, questions, student = qf.quiz_setup(
        mastery={"threshold_correct_in_row": 5}
    )
    single, *_rest, numeric, _text = questions
    staff = UserFactory()
    answers = correct_answers(questions)
    answers[numeric.pk] = "9.9"  # wrong with the current key
    attempts = []
    for user in (student, EnrollmentFactory(course_offering=offering).user):
        attempt = attempt_start(user=user, offering=offering, item_id=item.pk).attempt
        attempt_answers_save(user=user, attempt_id=attempt.pk, answers=answers)
        attempts.append(attempt_submit(user=user, attempt_id=attempt.pk))
    assert [a.score_obtained for a in attempts] == [Decimal("5.00")] * 2
    open_one = attempt_start(
        user=EnrollmentFactory(course_offering=offering).user, offering=offering, item_id=item.pk
    ).attempt
    scored_events.clear()

    numeric.numeric_answer = Decimal("9.9")
    numeric.save()
    result = attempts_regrade(question_ids=[numeric.pk, single.pk], actor=staff)
    assert (result.regraded, result.changed) == (2, 2)
    for attempt in attempts:
        attempt.refresh_from_db()
        assert (attempt.score_obtained, attempt.passed) == (Decimal("6.00"), True)
    records = list(QuizRegrade.objects.order_by("attempt_id"))
    assert [
        (r.attempt_id, r.question_id, r.old_score, r.new_score, r.old_passed, r.new_passed)
        for r in records
    ] == [(a.pk, numeric.pk, Decimal("5.00"), Decimal("6.00"), False, True) for a in attempts]
    assert {r.regraded_by_id for r in records} == {staff.pk}
    assert sorted(e["user_id"] for e in scored_events) == sorted(a.user_id for a in attempts)
    assert QuizMastery.objects.count() == 2  # the new run of five is mastery
    open_one.refresh_from_db()
    assert open_one.submitted_at is None and open_one.score_obtained is None

    again = attempts_regrade(question_ids=[numeric.pk], actor=staff)
    assert (again.regraded, again.changed) == (2, 0)
    assert QuizRegrade.objects.count() == 2
