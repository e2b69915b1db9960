"""On the demo data, end to end on a real Celery worker: a student's quiz and lab through the
pages, graded and rolled up by the worker, finalised when the term ends, and the certificate."""

import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.grades.models import Certificate, CourseGrade
from assessments.grades.tasks import grades_finalize_due_task
from assessments.labs.models import LabSubmission
from assessments.quizzes.models import QuizAttempt
from catalog.models import CourseOffering, EnrollmentStatus
from demo.labs import SOLUTION
from tests.demo_work import all_right, demo_work_to_do

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_on_the_demo_data_a_student_passes_with_a_quiz_and_a_lab(worker):
    """On the demo, mid-term, the student takes a quiz and submits a lab that the worker
    autogrades; the worker rolls the grade up to a pass, which stays provisional (no completion,
    no certificate) until the term ends: then the beat task finalises it and the certificate,
    whose public page says it is valid, is issued."""
    media = worker.media
    work = demo_work_to_do()
    student, enrollment, offering = work.student, work.enrollment, work.offering
    quiz, lab = work.quiz, work.lab
    provisional = CourseGrade.objects.get(user=student, course_offering=offering)
    assert (provisional.passed, provisional.is_final) == (False, False)
    client = Client()
    client.force_login(student)

    # The quiz, through its pages, every answer right.
    started = client.post(reverse("portal:quiz-start", args=[offering.pk, quiz.pk]))
    attempt = QuizAttempt.objects.get(user=student, content_item=quiz, submitted_at=None)
    assert started.url == reverse("portal:quiz-attempt", args=[offering.pk, quiz.pk, attempt.pk])
    client.post(started.url, all_right(attempt))
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
