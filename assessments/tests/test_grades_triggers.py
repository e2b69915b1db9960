"""What starts a rollup: scores changing (coalesced per learner in the task outbox), and the
Celery set-up."""

import logging
from decimal import Decimal

import pytest
from django.conf import settings

from assessments import triggers
from assessments.grades import tasks
from assessments.grades.models import CourseGrade
from assessments.tests.grading_data import graded_course, worked_example
from catalog.tests.factories import EnrollmentFactory
from lms import celery as lms_celery
from lms import outbox
from lms.celery import app as celery_app
from lms.models import OutboxTask


@pytest.fixture
def eager(request):
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = request.param
    yield request.param
    celery_app.conf.task_always_eager = before


@pytest.mark.django_db
@pytest.mark.parametrize("eager", [True], indirect=True)
def test_a_scored_attempt_rolls_the_grade_up_in_process(eager, django_capture_on_commit_callbacks):
    course = graded_course()
    learner = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, learner)

    with django_capture_on_commit_callbacks(execute=True):
        triggers.grade_rollup_soon(offering_id=course.offering.pk, user_id=learner.pk)

    assert CourseGrade.objects.get(user=learner).final_score == Decimal("63.67")
    # The rollup ran to the end: nothing is left for the sweep.
    assert not OutboxTask.objects.exists()


@pytest.mark.django_db
def test_a_burst_of_scores_asks_for_one_rollup(settings):
    settings.GRADE_ROLLUP_COALESCE_SECONDS = 5
    rows = {triggers.grade_rollup_soon(offering_id=41, user_id=7) for _ in range(3)}

    assert len(rows) == 1
    row = OutboxTask.objects.get()
    assert (row.task, row.args, row.key, row.version) == (
        triggers.ROLLUP_TASK,
        [41, 7],
        "grade-rollup:41:7",
        1,
    )
    # Another learner, and the offering as a whole, are requests of their own.
    triggers.grade_rollup_soon(offering_id=41, user_id=8)
    triggers.offering_grades_rollup_soon(offering_id=41)
    assert OutboxTask.objects.count() == 3


def test_tasks_are_bounded_and_finish_well_before_the_broker_redelivers():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    for task in (
        tasks.grade_rollup_task,
        tasks.grades_rollup_nightly_task,
        tasks.certificate_issue_task,
    ):
        # The sweep sends a task again once its hard time limit and a minute have passed.
        assert outbox.lease_for(task.name) == task.time_limit + 60
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
