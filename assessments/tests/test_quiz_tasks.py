"""The beat task that submits quiz attempts whose time ran out while the learner was away."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from assessments.grades.models import CourseGrade
from assessments.quizzes import tasks
from assessments.quizzes.models import QuizAttempt
from assessments.quizzes.services import attempt_answers_save, attempt_start
from assessments.tests import quiz_factories as qf
from lms.celery import app as celery_app


@pytest.fixture
def eager():
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.mark.django_db
def test_the_task_submits_expired_attempts_once_and_their_scores_count(
    eager, django_capture_on_commit_callbacks
):
    offering, item, _bank, questions, student = qf.quiz_setup(time_limit_seconds=60)
    single = questions[0]
    start = timezone.now() - timedelta(minutes=5)
    expired = attempt_start(user=student, offering=offering, item_id=item.pk, now=start).attempt
    right = str(single.choices.get(is_correct=True).pk)
    attempt_answers_save(
        user=student,
        attempt_id=expired.pk,
        answers={single.pk: right},
        now=start + timedelta(seconds=30),
    )
    o2, i2, *_rest, s2 = qf.quiz_setup(time_limit_seconds=600)
    running = attempt_start(user=s2, offering=o2, item_id=i2.pk).attempt

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.quiz_attempts_expire_task.apply().get() == 1

    expired.refresh_from_db()
    assert expired.submitted_at == start + timedelta(seconds=60)
    assert expired.raw_response_json["submitted_by"] == "deadline"
    assert (expired.score_obtained, expired.max_score) == (Decimal("1.00"), Decimal("6.00"))
    running.refresh_from_db()
    assert running.submitted_at is None and running.score_obtained is None
    # The scored attempt rolled the learner's grade up: the one quiz of the course, 1 of 6.
    grade = CourseGrade.objects.get(user=student, course_offering=offering)
    assert (grade.final_score, grade.passed) == (Decimal("16.67"), False)
    assert not CourseGrade.objects.filter(user=s2).exists()

    # Delivered again (or the next minute's run): nothing left to do, nothing changes.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert tasks.quiz_attempts_expire_task.apply().get() == 0
    assert callbacks == []
    assert QuizAttempt.objects.get(pk=expired.pk).submitted_at == expired.submitted_at


def test_beat_runs_the_task_every_minute_within_its_time_limit():
    entry = settings.CELERY_BEAT_SCHEDULE["quiz-attempts-expire"]
    assert entry["task"] == tasks.quiz_attempts_expire_task.name
    assert entry["schedule"] == 60.0
    # A run not started before the next one is due is dropped, not queued up behind it.
    assert entry["options"]["expires"] < entry["schedule"]
    task = tasks.quiz_attempts_expire_task
    assert task.acks_late and task.reject_on_worker_lost
    assert task.soft_time_limit < task.time_limit <= entry["schedule"]
