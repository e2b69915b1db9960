"""A student in Chromium. In a self-paced course: a first quiz attempt that does not pass the
course, then a second that does; the grades page follows each score, and once everything is
graded and the grade passes it is final and links to the certificate, whose public
verification page says it is valid. In a running term: a passing grade stays provisional
(no certificate) until the instructor finalises the grades from the gradebook.

Tasks run in-process here (a real worker is assessments/tests/test_worker.py): each scored
attempt rolls the grade up as soon as it commits, and a final passing grade issues the
certificate.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from assessments.grades.models import Certificate, CourseGrade
from assessments.tests import quiz_factories as qf
from catalog.models import CourseEnrollment, EnrollmentStatus
from catalog.tests.factories import OfferingFactory
from portal.tests.test_quiz_browser import log_in
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def attempt_then_grades(page, quiz_url: str, *, answer_all: bool, questions) -> str:
    """Start an attempt, answer one question or all, submit, then follow the result page's
    link to the grades page. Returns the score line of the result page."""
    _single, _multiple, true_false, numeric, text = questions
    page.goto(quiz_url)
    page.get_by_role("button", name=re.compile(r"^Start")).click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    page.get_by_label("Newton").check()
    if answer_all:
        page.get_by_label("Force").check()
        page.get_by_label("Velocity").check()
        page.locator(f"#question-{true_false.pk}").get_by_label("False").check()
        page.locator(f"#q{numeric.pk}").fill("9.81")
        page.locator(f"#q{text.pk}").fill("joule")
    page.get_by_role("button", name="Submit the attempt").click()
    page.wait_for_url(re.compile(r"/result/(#.*)?$"))
    score = page.locator("#quiz-score").inner_text()
    page.get_by_role("link", name="Your grades").click()
    page.wait_for_url("**/grades/")
    return score


def test_student_passes_the_course_with_a_quiz_and_opens_the_certificate(
    page, live_server, screenshot, tasks_in_process
):
    offering, item, _bank, questions, student = qf.quiz_setup(OfferingFactory(ends_at=None))
    student.full_name = "Grace Hopper"
    student.save(update_fields=["full_name"])
    log_in(page, live_server, student)
    quiz = reverse("portal:quiz", kwargs={"offering_id": offering.pk, "item_id": item.pk})
    summary = page.locator(".grade-summary:not(.what-if)")

    # Attempt 1: one of five questions right, 1 of 6 points; the course grade does not pass.
    score = attempt_then_grades(page, quiz, answer_all=False, questions=questions)
    assert score.startswith("Your score: 1 / 6")
    assert "16.67%" in summary.inner_text()
    assert "Not passed yet (pass at 60%)" in summary.inner_text()
    assert page.get_by_role("link", name="View your certificate").count() == 0
    # The only graded category carries the whole grade, whatever the policy's 40%.
    assert "Quizzes · 100% of the total" in page.locator("#cat-quizzes").inner_text()
    screenshot("grades-not-passed")

    # Attempt 2: everything right. The best attempt counts: 100%, passed, certificate issued.
    score = attempt_then_grades(page, quiz, answer_all=True, questions=questions)
    assert score.startswith("Your score: 6 / 6")
    assert "100.00%" in summary.inner_text() and "Passed" in summary.inner_text()
    assert "Letter A" in summary.inner_text()
    screenshot("grades-passed")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("grades-passed-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})

    certificate = Certificate.objects.get(user=student, course_offering=offering)
    assert certificate.pdf_path and certificate.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[student.email]]
    assert CourseGrade.objects.get(user=student).passed is True
    enrollment = CourseEnrollment.objects.get(user=student, course_offering=offering)
    assert enrollment.status == EnrollmentStatus.COMPLETED

    page.get_by_role("link", name="View your certificate").click()
    page.wait_for_url(f"**/certificates/{certificate.certificate_code}/")
    assert page.locator("h1").inner_text() == "Certificate verification"
    assert page.locator(".certificate-status").inner_text() == "Valid"
    facts = page.locator(".certificate-facts").inner_text()
    assert "Grace Hopper" in facts
    assert f"{offering.course.code}: {offering.course.title}" in facts
    assert offering.university.name in facts
    assert certificate.certificate_code in facts
    screenshot("certificate-verification")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("certificate-verification-mobile")
    pdf = page.request.get(
        reverse("portal:certificate-pdf", kwargs={"code": certificate.certificate_code})
    )
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")

    # Anyone can check it: a visitor without a session sees the same page.
    page.context.clear_cookies()
    page.reload()
    assert page.locator(".certificate-status").inner_text() == "Valid"


def test_a_passing_grade_mid_term_is_provisional_until_the_instructor_finalises(
    page, live_server, screenshot, tasks_in_process
):
    offering, item, _bank, questions, student = qf.quiz_setup()  # ends in 80 days
    instructor = RoleFactory(university=offering.university, role=Role.INSTRUCTOR).user
    offering.instructors.add(instructor)
    log_in(page, live_server, student)
    quiz = reverse("portal:quiz", kwargs={"offering_id": offering.pk, "item_id": item.pk})
    summary = page.locator(".grade-summary:not(.what-if)")

    attempt_then_grades(page, quiz, answer_all=True, questions=questions)
    text = summary.inner_text()
    assert "Provisional" in text and "Projected final grade" in text and "Current grade" in text
    assert page.locator('[data-grade="final"] strong').first.inner_text() == "100.00%"
    assert page.locator('[data-grade="current"] strong').first.inner_text() == "100.00%"
    assert page.get_by_role("link", name="View your certificate").count() == 0
    grades_page = page.url
    screenshot("grades-provisional")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot("grades-provisional-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not Certificate.objects.exists()
    assert CourseEnrollment.objects.get(user=student).status == EnrollmentStatus.ACTIVE

    page.context.clear_cookies()
    log_in(page, live_server, instructor)
    page.goto(reverse("admin:assessments_coursegrade_gradebook", args=[offering.pk]))
    assert page.locator('td[data-grade="final"]').inner_text() == "100.00"
    assert page.locator('td[data-grade="status"]').inner_text() == "provisional"
    screenshot("gradebook-provisional")
    page.get_by_role("button", name="Finalise grades").click()
    page.wait_for_load_state()
    assert "Grades are final." in page.locator("#content-main").inner_text()
    assert page.locator('td[data-grade="status"]').inner_text() == "final"
    screenshot("gradebook-final")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot("gradebook-final-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.context.clear_cookies()
    log_in(page, live_server, student)
    page.goto(grades_page)
    assert "Final grade" in summary.inner_text()
    assert "Provisional" not in summary.inner_text()
    assert page.get_by_role("link", name="View your certificate").count() == 1
    screenshot("grades-final")
    assert CourseEnrollment.objects.get(user=student).status == EnrollmentStatus.COMPLETED
