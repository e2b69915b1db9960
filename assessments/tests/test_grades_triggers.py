"""What starts a rollup: scores changing (coalesced per learner), and the Celery set-up."""

import logging
from decimal import Decimal

import pytest
import redis
from django.conf import settings

from assessments import receivers, tasks
from assessments.models import CourseGrade
from assessments.signals import attempt_scored, submission_graded
from assessments.tests.grading_data import graded_course, worked_example
from catalog.tests.factories import EnrollmentFactory
from lms import celery as lms_celery
from lms.celery import app as celery_app


@pytest.fixture
def eager(request):
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = request.param
    yield request.param
    celery_app.conf.task_always_eager = before


@pytest.fixture
def scheduled(monkeypatch):
    calls = []
    monkeypatch.setattr(
        tasks.grade_rollup_task,
        "apply_async",
        lambda args, countdown: calls.append((args, countdown)),
    )
    return calls


@pytest.fixture
def fresh_key():
    key = receivers.coalesce_key(offering_id=41, user_id=7)
    receivers._redis().delete(key)
    yield key
    receivers._redis().delete(key)


@pytest.mark.django_db
@pytest.mark.parametrize("eager", [True], indirect=True)
def test_a_scored_attempt_rolls_the_grade_up_in_process(eager):
    course = graded_course()
    learner = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, learner)

    attempt_scored.send(
        sender=None, attempt_id=1, user_id=learner.pk, offering_id=course.offering.pk, item_id=1
    )

    assert CourseGrade.objects.get(user=learner).final_score == Decimal("63.67")


@pytest.mark.parametrize("eager", [False], indirect=True)
def test_a_burst_of_scores_schedules_one_rollup(eager, scheduled, fresh_key, settings):
    settings.GRADE_ROLLUP_COALESCE_SECONDS = 5
    for signal in (attempt_scored, submission_graded, attempt_scored):
        signal.send(sender=None, user_id=7, offering_id=41, item_id=3)

    assert scheduled == [((41, 7), 5)]
    ttl = receivers._redis().pttl(fresh_key)
    assert 0 < ttl <= 4500  # gone before the rollup runs

    receivers._redis().delete(fresh_key)  # expired
    submission_graded.send(sender=None, user_id=7, offering_id=41, submission_id=9)

    assert scheduled == [((41, 7), 5), ((41, 7), 5)]


@pytest.mark.parametrize("eager", [False], indirect=True)
def test_without_redis_every_score_schedules_a_rollup(eager, scheduled, monkeypatch, settings):
    settings.GRADE_ROLLUP_COALESCE_SECONDS = 5

    class Down:
        def set(self, *args, **kwargs):
            raise redis.ConnectionError("down")

    monkeypatch.setattr(receivers, "_redis", lambda: Down())

    assert receivers.grade_rollup_soon(offering_id=41, user_id=7)
    assert receivers.grade_rollup_soon(offering_id=41, user_id=7)
    assert scheduled == [((41, 7), 5), ((41, 7), 5)]


def test_tasks_are_bounded_and_finish_well_before_the_broker_redelivers():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    for task in (
        tasks.grade_rollup_task,
        tasks.grades_rollup_nightly_task,
        tasks.certificate_issue_task,
    ):
        assert task.acks_late and task.reject_on_worker_lost
        assert task.max_retries == 5
        # A task ends (or is killed) at least a minute before the broker hands it out again.
        assert task.soft_time_limit < task.time_limit <= visibility - 60
    # A killed worker's tasks come back within about half an hour, not hours.
    assert visibility == 31 * 60
    beat = settings.CELERY_BEAT_SCHEDULE["grades-rollup-nightly"]
    assert beat["task"] == tasks.grades_rollup_nightly_task.name


def test_tasks_run_in_process_with_a_warning_when_the_broker_is_down(settings, monkeypatch, caplog):
    before = celery_app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = None
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    try:
        with caplog.at_level(logging.WARNING, logger="lms.celery"):
            assert lms_celery.configure_eager_mode() is True
        assert celery_app.conf.task_always_eager is True
        assert "not reachable: tasks run in-process" in caplog.text
    finally:
        celery_app.conf.task_always_eager = before
