"""End to end on a real Celery worker: a subprocess consuming the local Redis (REDIS_URL) and
reading the test database, so it sees what the test commits."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from assessments.models import Certificate, CourseGrade
from assessments.tasks import certificate_issue_task, grade_rollup_task
from assessments.tests.grading_data import graded_course, worked_example
from catalog.models import CourseEnrollment, EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory
from lms.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()[-4000:]}")


@pytest.fixture
def worker(tmp_path):
    try:
        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.fail(f"Redis at {settings.CELERY_BROKER_URL} does not answer")
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DATABASE_CONN_MAX_AGE": "0",
    }
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    celery_app.control.purge()
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lms",
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                f"--hostname=grade-test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        wait_for(lambda: b"ready." in log.read_bytes(), 20, "the worker to start", log)
        yield tmp_path / "media", log
    finally:
        celery_app.conf.task_always_eager = eager
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_real_worker_rolls_up_and_issues_the_certificate(worker):
    media, log = worker
    course = graded_course()
    learner = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, learner)
    failing = EnrollmentFactory(course_offering=course.offering).user

    grade_rollup_task.delay(course.offering.pk)

    certificate = wait_for(
        lambda: Certificate.objects.filter(
            user=learner, emailed_at__isnull=False, course_offering=course.offering
        ).first(),
        20,
        "the certificate",
        log,
    )
    assert (media / certificate.pdf_path).read_bytes().startswith(b"%PDF-")
    grade = CourseGrade.objects.get(user=learner)
    assert (str(grade.final_score), grade.letter_grade, grade.passed) == ("63.67", "D", True)
    assert CourseGrade.objects.get(user=failing).passed is False
    assert (
        CourseEnrollment.objects.get(user=learner, course_offering=course.offering).status
        == EnrollmentStatus.COMPLETED
    )

    # Delivered again: the task finishes and nothing new appears.
    result = certificate_issue_task.delay(course.offering.pk, learner.pk)
    assert result.get(timeout=20) == certificate.pk
    assert Certificate.objects.count() == 1
    assert Certificate.objects.get().emailed_at == certificate.emailed_at
