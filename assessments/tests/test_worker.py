"""End to end on a real Celery worker: a subprocess consuming the local Redis (REDIS_URL) and
reading the test database, so it sees what the test commits."""

import re
import threading
import time
from decimal import Decimal

import pytest
from celery._state import _set_task_join_will_block, task_join_will_block
from celery.result import denied_join_result
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments import receivers
from assessments.models import (
    Certificate,
    CourseGrade,
    LabSubmission,
    Question,
    QuizAttempt,
)
from assessments.tasks import (
    certificate_issue_task,
    grade_rollup_task,
    grades_finalize_due_task,
    grades_finalize_task,
)
from assessments.tests.grading_data import graded_course, worked_example
from assessments.tests.quiz_factories import correct_answers
from catalog.models import CourseEnrollment, CourseOffering, EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory
from content.models import ContentItem
from demo.activity import KNOWN_STUDENT
from demo.labs import SOLUTION
from demo.seed import seed_demo
from tenancy.models import User

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


def test_on_the_demo_data_a_student_passes_with_a_quiz_and_a_lab(worker):
    """On the demo, mid-term, the student takes a quiz and submits a lab that the worker
    autogrades; the worker rolls the grade up to a pass, which stays provisional (no completion,
    no certificate) until the term ends: then the beat task finalises it and the certificate,
    whose public page says it is valid, is issued."""
    media = worker.media
    assert seed_demo()
    student = User.objects.get(email=KNOWN_STUDENT)
    enrollment = CourseEnrollment.objects.get(
        user=student, course_offering__course__code="ME201", status=EnrollmentStatus.ACTIVE
    )
    offering = enrollment.course_offering
    items = ContentItem.objects.non_polymorphic().filter(course_id=offering.course_id)
    # The quiz and the lab the student has not done yet (the demo scored the others).
    quiz = (
        items.filter(content_type="quiz")
        .exclude(pk__in=QuizAttempt.objects.filter(user=student).values("content_item_id"))
        .order_by("pk")
        .first()
    )
    lab = (
        items.filter(content_type="engineering_lab")
        .exclude(pk__in=LabSubmission.objects.filter(user=student).values("content_item_id"))
        .order_by("pk")
        .first()
    )
    provisional = CourseGrade.objects.get(user=student, course_offering=offering)
    assert (provisional.passed, provisional.is_final) == (False, False)
    receivers._redis().delete(receivers.coalesce_key(offering_id=offering.pk, user_id=student.pk))
    client = Client()
    client.force_login(student)

    # The quiz, through its pages, every answer right.
    started = client.post(reverse("portal:quiz-start", args=[offering.pk, quiz.pk]))
    attempt = QuizAttempt.objects.get(user=student, content_item=quiz, submitted_at=None)
    assert started.url == reverse("portal:quiz-attempt", args=[offering.pk, quiz.pk, attempt.pk])
    questions = Question.objects.filter(pk__in=attempt.raw_response_json["question_ids"])
    form: dict[str, object] = {"action": "submit"}
    for question, answer in correct_answers(questions).items():
        form[f"q{question}"] = answer
    for question in questions.filter(text_match="regex"):
        assert re.fullmatch(question.text_answer, "Hertz")  # "Give the unit of frequency"
        form[f"q{question.pk}"] = "Hertz"
    client.post(started.url, form)
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert attempt.score_obtained == attempt.max_score > 0

    # The lab: the reference solution uploaded as the starter file it replaces.
    uploaded = client.post(
        reverse("portal:lab", args=[offering.pk, lab.pk]),
        {"files": SimpleUploadedFile("analysis.py", SOLUTION.encode())},
    )
    assert uploaded.status_code == 302
    submission = LabSubmission.objects.get(user=student, content_item=lab)
    worker.wait_for(
        lambda: LabSubmission.objects.filter(pk=submission.pk, status="graded").exists(),
        20,
        "the lab to be graded",
    )
    submission.refresh_from_db()
    assert (submission.score_obtained, submission.max_score) == (Decimal(100), Decimal(100))
    assert (submission.auto_grade_json["passed"], submission.auto_grade_json["failed"]) == (6, 0)

    grade = worker.wait_for(
        lambda: CourseGrade.objects.filter(
            user=student, course_offering=offering, passed=True
        ).first(),
        20,
        "the passing grade",
    )
    # Quizzes 40 % (5 of 6 points from the demo and 100 % now: 91.67 shown), labs 40 % (100 and
    # 100), assignments 20 % (two not graded yet): 0.4 * 91.67 + 0.4 * 100 + 0.2 * 0.
    assert (grade.final_score, grade.letter_grade, grade.is_final) == (Decimal("76.67"), "C", False)
    # Graded work only, from the category percents shown: (40 * 91.67 + 40 * 100) / 80.
    assert grade.current_score == Decimal("95.84")
    time.sleep(settings.GRADE_ROLLUP_COALESCE_SECONDS + 1)  # any rollup still due has run
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert not Certificate.objects.filter(user=student, course_offering=offering).exists()

    # The term ends; the hourly beat task finalises it on the worker.
    CourseOffering.objects.filter(pk=offering.pk).update(ends_at=offering.starts_at)
    assert grades_finalize_due_task.delay().get(timeout=20) == 1
    certificate = worker.wait_for(
        lambda: Certificate.objects.filter(
            user=student, course_offering=offering, emailed_at__isnull=False
        ).first(),
        20,
        "the certificate",
    )
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert (media / certificate.pdf_path).read_bytes().startswith(b"%PDF-")

    page = client.get(reverse("portal:grades", args=[offering.pk]))
    verify_url = reverse("portal:certificate-verify", args=[certificate.certificate_code])
    assert verify_url in page.content.decode()
    public = Client().get(verify_url)
    assert public.status_code == 200
    assert public.context["verification"].status == "valid"
    assert student.full_name in public.content.decode()
