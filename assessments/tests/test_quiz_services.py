"""Taking quizzes: drawing questions, saving answers, deadlines, attempt limits (also with
concurrent requests on real parallel connections), double submission, mastery, regrading."""

import random
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from assessments.progress.models import UserContentProgress
from assessments.quizzes import services as quiz_services
from assessments.quizzes.models import Choice, QuizAttempt, QuizMastery, QuizRegrade
from assessments.quizzes.regrade import attempts_regrade
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
from assessments.triggers import ROLLUP_TASK, rollup_key
from catalog.tests.factories import EnrollmentFactory
from lms.models import OutboxTask
from tenancy.tests.factories import UserFactory


def snapshot():
    return (
        list(QuizAttempt.objects.order_by("pk").values()),
        list(QuizMastery.objects.order_by("pk").values()),
        list(UserContentProgress.objects.order_by("pk").values()),
    )


@pytest.fixture
def scored_events(monkeypatch):
    """Each scoring's request for the learner's grade rollup (made in its transaction)."""
    events: list[dict] = []
    ask = quiz_services.grade_rollup_soon

    def record(**kwargs):
        events.append(kwargs)
        return ask(**kwargs)

    monkeypatch.setattr(quiz_services, "grade_rollup_soon", record)
    return events


def rollups_asked() -> list[tuple]:
    """The grade rollups recorded in the task outbox: (task args, key)."""
    return [
        (tuple(row.args), row.key)
        for row in OutboxTask.objects.filter(task=ROLLUP_TASK).order_by("pk")
    ]


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
