"""Starting quizzes: drawing questions once, shuffling, time limits, refusals and attempt limits,
also with concurrent requests on real parallel connections."""

import random
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from assessments.quizzes.models import Choice, QuizAttempt, QuizMastery
from assessments.quizzes.services import (
    QuizRefused,
    attempt_answers_save,
    attempt_start,
    attempt_submit,
)
from assessments.tests import quiz_factories as qf
from assessments.tests.quiz_factories import correct_answers
from assessments.tests.quiz_services.support import snapshot
from catalog.tests.factories import EnrollmentFactory
from tenancy.tests.factories import UserFactory

# Starting --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_start_draws_the_questions_once_and_a_second_start_resumes():
    offering, item, _bank, questions, student = qf.quiz_setup(num_questions_per_attempt=3)
    first = attempt_start(user=student, offering=offering, item_id=item.pk)
    assert first.created
    drawn = first.attempt.raw_response_json["question_ids"]
    assert len(drawn) == 3 and len(set(drawn)) == 3
    assert set(drawn) <= {q.pk for q in questions}
    # Not randomized: drawn questions keep the pool order, options keep theirs.
    assert drawn == sorted(drawn)
    for qid, order in first.attempt.raw_response_json["choice_order"].items():
        assert order == list(
            Choice.objects.filter(question_id=int(qid))
            .order_by("position")
            .values_list("pk", flat=True)
        )
    again = attempt_start(user=student, offering=offering, item_id=item.pk)
    assert not again.created
    assert again.attempt.pk == first.attempt.pk
    assert again.attempt.raw_response_json["question_ids"] == drawn
    assert QuizAttempt.objects.count() == 1
    assert first.attempt.attempt_number == 1
    assert first.attempt.deadline_at is None


@pytest.mark.django_db
def test_randomize_order_shuffles_questions_and_options():
    offering, item, _bank, questions, student = qf.quiz_setup(randomize_order=True)
    attempt = attempt_start(
        user=student, offering=offering, item_id=item.pk, rng=random.Random(3)
    ).attempt
    raw = attempt.raw_response_json
    assert sorted(raw["question_ids"]) == sorted(q.pk for q in questions)
    orders = [raw["question_ids"], *raw["choice_order"].values()]
    assert any(order != sorted(order) for order in orders)


@pytest.mark.django_db
def test_start_with_a_time_limit_sets_the_deadline():
    offering, item, *_rest, student = qf.quiz_setup(time_limit_seconds=600)
    now = timezone.now()
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk, now=now).attempt
    assert attempt.deadline_at == now + timedelta(seconds=600)


@pytest.mark.django_db
def test_start_refusals_change_nothing():
    offering, item, bank, _questions, student = qf.quiz_setup()
    outsider = UserFactory()
    before = snapshot()
    with pytest.raises(PermissionDenied):
        attempt_start(user=outsider, offering=offering, item_id=item.pk)
    bank.questions.all().delete()
    with pytest.raises(QuizRefused, match="no questions yet"):
        attempt_start(user=student, offering=offering, item_id=item.pk)
    other_course = qf.quiz_setup()[0]
    EnrollmentFactory(user=student, course_offering=other_course)
    with pytest.raises(QuizRefused, match="does not exist in this course"):
        attempt_start(user=student, offering=other_course, item_id=item.pk)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_pool_of_another_course_is_not_used():
    offering, item, *_rest, student = qf.quiz_setup()
    foreign = qf.pool(qf.quiz_setup()[0].course)
    qf.single(foreign)
    item.data_json = {**item.data_json, "question_pool_id": foreign.pk}
    item.save()
    with pytest.raises(QuizRefused, match="no questions yet"):
        attempt_start(user=student, offering=offering, item_id=item.pk)


@pytest.mark.django_db
def test_max_attempts_is_enforced():
    offering, item, *_rest, student = qf.quiz_setup(mastery={"max_attempts": 2})
    for number in (1, 2):
        attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
        assert attempt.attempt_number == number
        attempt_submit(user=student, attempt_id=attempt.pk)
    before = snapshot()
    with pytest.raises(QuizRefused, match="used all 2 attempts"):
        attempt_start(user=student, offering=offering, item_id=item.pk)
    assert snapshot() == before


# Concurrency ------------------------------------------------------------------------------


def run_in_threads(n: int, work) -> tuple[list, list[BaseException]]:
    """Run `work()` in n threads at once, each on its own database connection."""
    barrier = threading.Barrier(n, timeout=60)
    results: list = []
    errors: list[BaseException] = []

    def target():
        try:
            barrier.wait()
            results.append(work())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_open_one_attempt():
    offering, item, *_rest, student = qf.quiz_setup(mastery={"max_attempts": 2})
    results, errors = run_in_threads(
        12, lambda: attempt_start(user=student, offering=offering, item_id=item.pk)
    )
    assert errors == []
    assert sum(1 for r in results if r.created) == 1
    assert len({r.attempt.pk for r in results}) == 1
    assert QuizAttempt.objects.filter(user=student).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_and_submits_never_exceed_max_attempts():
    offering, item, *_rest, student = qf.quiz_setup(mastery={"max_attempts": 3})

    def start_and_submit():
        outcomes = []
        for _ in range(4):
            try:
                started = attempt_start(user=student, offering=offering, item_id=item.pk)
            except QuizRefused:
                outcomes.append("refused")
                continue
            attempt_submit(user=student, attempt_id=started.attempt.pk)
            outcomes.append("submitted")
        return outcomes

    results, errors = run_in_threads(8, start_and_submit)
    assert errors == []
    rows = list(QuizAttempt.objects.filter(user=student).order_by("attempt_number"))
    assert [r.attempt_number for r in rows] == [1, 2, 3]
    assert all(r.submitted_at is not None for r in rows)
    assert sum(o.count("refused") for o in results) >= 8 * 4 - 3 * 8
    with pytest.raises(QuizRefused, match="used all 3 attempts"):
        attempt_start(user=student, offering=offering, item_id=item.pk)


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_score_once(scored_events):
    offering, item, _bank, questions, student = qf.quiz_setup()
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    attempt_answers_save(user=student, attempt_id=attempt.pk, answers=correct_answers(questions))
    results, errors = run_in_threads(6, lambda: attempt_submit(user=student, attempt_id=attempt.pk))
    assert errors == []
    assert {(r.submitted_at, r.score_obtained) for r in results} == {
        (results[0].submitted_at, Decimal("6.00"))
    }
    assert len(scored_events) == 1
    assert QuizMastery.objects.filter(user=student).count() == 1
