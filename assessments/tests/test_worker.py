"""End to end on a real Celery worker: a subprocess consuming the local Redis (REDIS_URL) and
reading the test database, so it sees what the test commits."""

import threading

import pytest
from celery._state import _set_task_join_will_block, task_join_will_block
from celery.result import denied_join_result

from assessments.grades.models import Certificate, CourseGrade
from assessments.grades.tasks import (
    certificate_issue_task,
    grade_rollup_task,
    grades_finalize_task,
)
from assessments.tests.grading_data import graded_course, worked_example
from catalog.models import CourseEnrollment, EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory

# The worker and the test roll a learner's grade up this soon after a score (5 s by default).
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def join_flag_left_set():
    """What two threads running eager tasks at once (a browser test and its live server) leave
    behind: each marks "joining would block" in one process-wide flag and restores what it saw,
    so the second to leave sets it again for good."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first():
        with denied_join_result():
            first_in.set()
            second_in.wait()
        first_out.set()

    def second():
        first_in.wait()
        with denied_join_result():
            second_in.set()
            first_out.wait()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert task_join_will_block()
    yield
    _set_task_join_will_block(False)


def test_results_can_be_awaited_after_overlapping_eager_tasks(join_flag_left_set, worker):
    course = graded_course()
    EnrollmentFactory(course_offering=course.offering)
    assert grade_rollup_task.delay(course.offering.pk).get(timeout=20) == 1


def status_of(user, offering) -> str:
    return CourseEnrollment.objects.get(user=user, course_offering=offering).status


def test_a_real_worker_rolls_up_then_finalises_and_issues_the_certificate(worker):
    media = worker.media
    course = graded_course()
    learner = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, learner)
    failing = EnrollmentFactory(course_offering=course.offering).user

    # Mid-term: the grade passes but is provisional.
    assert grade_rollup_task.delay(course.offering.pk).get(timeout=20) == 2
    grade = CourseGrade.objects.get(user=learner)
    assert (str(grade.final_score), grade.passed, grade.is_final) == ("63.67", True, False)
    assert status_of(learner, course.offering) == EnrollmentStatus.ACTIVE
    assert not Certificate.objects.exists()

    # Staff finalise: the worker completes the enrollment and issues the certificate.
    assert grades_finalize_task.delay(course.offering.pk).get(timeout=20) == 1
    certificate = worker.wait_for(
        lambda: Certificate.objects.filter(
            user=learner, emailed_at__isnull=False, course_offering=course.offering
        ).first(),
        20,
        "the certificate",
    )
    assert (media / certificate.pdf_path).read_bytes().startswith(b"%PDF-")
    grade = CourseGrade.objects.get(user=learner)
    assert (str(grade.final_score), grade.letter_grade, grade.passed) == ("63.67", "D", True)
    assert grade.is_final
    assert CourseGrade.objects.get(user=failing).passed is False
    assert status_of(learner, course.offering) == EnrollmentStatus.COMPLETED
    assert status_of(failing, course.offering) == EnrollmentStatus.ACTIVE
    # Finalised again: nothing more is completed.
    assert grades_finalize_task.delay(course.offering.pk).get(timeout=20) == 0

    # Delivered again: the task finishes and nothing new appears.
    result = certificate_issue_task.delay(course.offering.pk, learner.pk)
    assert result.get(timeout=20) == certificate.pk
    assert Certificate.objects.count() == 1
    assert Certificate.objects.get().emailed_at == certificate.emailed_at
