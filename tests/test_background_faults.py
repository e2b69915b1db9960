"""Background work heals itself (lms/outbox.py): with real workers on the local Redis, the
broker going away under the web process, and workers killed with SIGKILL in the middle of a
grade rollup and of certificate issuance, every grade ends right and every passing learner ends
with exactly one certificate, its PDF and one email, with nothing done by anyone.

The tests shorten the waits a production instance has (a sweep every 2 s instead of 60, leases
of a few seconds instead of each task's hard time limit and a minute);
test_production_waits_heal_within_five_minutes checks those production waits."""

import re
import socket
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments import triggers
from assessments.grades import tasks
from assessments.grades.models import Certificate, CourseGrade
from assessments.labs.models import LabSubmission
from assessments.quizzes.models import QuizAttempt
from assessments.tests.grading_data import graded_course, worked_example
from catalog.models import CourseEnrollment, CourseOffering, EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory
from demo.labs import SOLUTION
from lms import outbox
from lms.models import OutboxTask
from tests.demo_work import all_right, demo_work_to_do
from tests.faults import Relay, use_broker

pytestmark = [pytest.mark.worker, pytest.mark.fault, pytest.mark.django_db(transaction=True)]

LEASE = 4
HEALING = {
    "TASK_OUTBOX_SWEEP_SECONDS": "2",
    "TASK_OUTBOX_GRACE_SECONDS": "0",
    "TASK_OUTBOX_LEASE_SECONDS": str(LEASE),
}


@pytest.fixture
def healing(settings):
    """The test process records work with the same short leases as the workers."""
    settings.TASK_OUTBOX_LEASE_SECONDS = LEASE
    settings.TASK_OUTBOX_GRACE_SECONDS = 0


@pytest.fixture
def relayed_broker(settings):
    """Redis (broker and result store) reached through a relay by this process and by the
    workers started after this fixture, so the test can take it away from all of them and
    bring it back."""
    from lms.celery import app as celery_app

    redis_url = urlsplit(settings.CELERY_BROKER_URL)
    relay = Relay(redis_url.hostname or "127.0.0.1", redis_url.port or 6379)
    relay.up()
    before = (celery_app.conf.broker_url, celery_app.conf.result_backend)

    def relayed(url: str) -> str:
        return urlsplit(url)._replace(netloc=f"127.0.0.1:{relay.port}").geturl()

    settings.CELERY_BROKER_URL = relayed(settings.CELERY_BROKER_URL)
    settings.CELERY_RESULT_BACKEND = relayed(settings.CELERY_RESULT_BACKEND)
    use_broker(celery_app, settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND)
    yield relay
    relay.down()
    use_broker(celery_app, *before)


def test_production_waits_heal_within_five_minutes():
    """A killed worker's rollup or certificate comes back within five minutes: its lease (hard
    time limit and a minute) plus one sweep period."""
    assert settings.TASK_OUTBOX_LEASE_SECONDS is None
    for task in (tasks.grade_rollup_task, tasks.certificate_issue_task):
        assert outbox.lease_for(task.name) + settings.TASK_OUTBOX_SWEEP_SECONDS <= 5 * 60
    schedule = settings.CELERY_BEAT_SCHEDULE["task-outbox-sweep"]
    assert schedule["task"] == "lms.tasks.task_outbox_sweep_task"
    assert schedule["schedule"] == settings.TASK_OUTBOX_SWEEP_SECONDS == 60


def test_a_lab_upload_and_a_quiz_submit_without_a_broker_are_graded_once_it_is_back(
    start_worker, relayed_broker, healing
):
    work = demo_work_to_do()
    student, offering, quiz, lab = work.student, work.offering, work.quiz, work.lab
    worker = start_worker(beat=True, env=HEALING)
    before = CourseGrade.objects.get(user=student, course_offering=offering).current_score
    client = Client()
    client.force_login(student)

    # The broker goes away (after the web process and the worker started): the pages answer
    # at once.
    relayed_broker.down()
    started = time.monotonic()
    begun = client.post(reverse("portal:quiz-start", args=[offering.pk, quiz.pk]))
    attempt = QuizAttempt.objects.get(user=student, content_item=quiz, submitted_at=None)
    submitted = client.post(begun.url, all_right(attempt))
    assert submitted.status_code == 302
    uploaded = client.post(
        reverse("portal:lab", args=[offering.pk, lab.pk]),
        {"files": SimpleUploadedFile("analysis.py", SOLUTION.encode())},
        follow=True,
    )
    assert uploaded.status_code == 200
    assert time.monotonic() - started < 15
    assert "Submitted and queued" in uploaded.content.decode()
    submission = LabSubmission.objects.get(user=student, content_item=lab)
    assert submission.status == "submitted"
    waiting = OutboxTask.objects.filter(sent_at__isnull=True)
    assert set(waiting.values_list("task", flat=True)) == {
        "assessments.labs.tasks.lab_submission_grade_task",
        "assessments.tasks.grade_rollup_task",
    }
    # A second upload is refused plainly while the first waits: it is kept, not lost.
    again = client.post(
        reverse("portal:lab", args=[offering.pk, lab.pk]),
        {"files": SimpleUploadedFile("analysis.py", SOLUTION.encode())},
    )
    assert again.status_code == 400

    # The broker is back: the worker reconnects and its sweep sends what waited.
    relayed_broker.up()
    worker.wait_for(
        lambda: LabSubmission.objects.filter(pk=submission.pk, status="graded").exists(),
        90,
        "the lab to be graded",
    )
    submission.refresh_from_db()
    assert submission.score_obtained == submission.max_score == Decimal(100)
    grade = worker.wait_for(
        lambda: CourseGrade.objects.filter(
            user=student, course_offering=offering, current_score__gt=before
        ).first(),
        60,
        "the grade to roll up the quiz and the lab",
    )
    # Graded work only, from the category percents shown: (40 * 91.67 + 40 * 100) / 80.
    assert grade.current_score == Decimal("95.84")
    worker.wait_for(lambda: not OutboxTask.objects.exists(), 30, "the outbox to empty")


def _waiting_on_advisory_lock(dsn: str) -> bool:
    with psycopg.connect(dsn, autocommit=True) as watcher:
        return bool(
            watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND query LIKE %s",
                ["%pg_advisory_xact_lock%"],
            ).fetchone()[0]
        )


def _silent_smtp_server() -> socket.socket:
    """A port that accepts connections and never greets: an email send hangs on it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    return server


def _emails_to(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    recipients = []
    for path in sorted(folder.iterdir()):
        recipients += re.findall(r"^To: (.+)$", path.read_text(), flags=re.MULTILINE)
    return recipients


def test_workers_killed_mid_rollup_and_mid_issuance_leave_nothing_half_done(
    start_worker, healing, tmp_path
):
    course = graded_course()
    offering = course.offering
    learners = [EnrollmentFactory(course_offering=offering).user for _ in range(2)]
    for learner in learners:
        worked_example(course, learner)
    failing = EnrollmentFactory(course_offering=offering).user
    database = connection.settings_dict
    dsn = (
        f"host={database['HOST'] or '127.0.0.1'} port={database['PORT'] or 5432}"
        f" user={database['USER']} dbname={database['NAME']}"
    )

    # Mid-rollup: the rollup waits on the offering's grade lock, held here; its worker dies.
    first = start_worker(env=HEALING)
    with psycopg.connect(dsn) as holder:
        holder.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('course_grades', %s))", [offering.pk]
        )
        triggers.offering_grades_rollup_soon(offering_id=offering.pk)
        first.wait_for(lambda: _waiting_on_advisory_lock(dsn), 30, "the rollup to start")
        first.kill()
        holder.rollback()
    assert not CourseGrade.objects.exists()
    second = start_worker(beat=True, env=HEALING)
    second.wait_for(
        lambda: CourseGrade.objects.filter(course_offering=offering).count() == 3,
        60,
        "the rollup to run again",
    )
    scores = dict(CourseGrade.objects.values_list("user_id", "final_score"))
    assert scores == {learners[0].pk: Decimal("63.67"), learners[1].pk: Decimal("63.67")} | {
        failing.pk: Decimal("0.00")
    }
    second.stop()

    # Mid-issuance: the term ends; issuing hangs on a mail server that never answers, after the
    # PDFs, and the worker dies.
    CourseOffering.objects.filter(pk=offering.pk).update(ends_at=offering.starts_at)
    silent = _silent_smtp_server()
    third = start_worker(
        env={
            **HEALING,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(silent.getsockname()[1]),
            "EMAIL_TIMEOUT": "600",
        }
    )
    triggers.grades_finalize_soon(offering_id=offering.pk)
    third.wait_for(
        lambda: Certificate.objects.filter(pdf_path__gt="", emailed_at__isnull=True).count() == 2,
        60,
        "both certificates to reach their email",
    )
    time.sleep(0.5)
    third.kill()
    silent.close()
    assert Certificate.objects.filter(emailed_at__isnull=False).count() == 0

    mail = tmp_path / "mail"
    fourth = start_worker(
        beat=True,
        env={
            **HEALING,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail),
        },
    )
    fourth.wait_for(
        lambda: Certificate.objects.filter(emailed_at__isnull=False).count() == 2,
        60,
        "the certificates to be finished",
    )
    fourth.wait_for(lambda: not OutboxTask.objects.exists(), 30, "the outbox to empty")
    time.sleep(LEASE + 3)  # a sweep more: nothing is sent twice
    certificates = Certificate.objects.order_by("user_id")
    assert [c.user_id for c in certificates] == [learner.pk for learner in learners]
    for certificate in certificates:
        assert (fourth.media / certificate.pdf_path).read_bytes().startswith(b"%PDF-")
    assert sorted(_emails_to(mail)) == sorted(learner.email for learner in learners)
    assert set(
        CourseEnrollment.objects.filter(user__in=learners).values_list("status", flat=True)
    ) == {EnrollmentStatus.COMPLETED}
