"""One whole term in Chromium, on a real Celery worker (the root conftest's `worker`).

A student finds the course and enrolls, reads a text and marks it complete, takes a quiz whose
answers survive a reload, runs out of time on a timed exam (the page submits at zero), submits
a lab that the worker autogrades and an assignment that the instructor grades in the admin.
After every score the learner's grades page and the instructor's gradebook show the same
current and projected grade, which the worker has stored; the grade stays provisional, and
passing in the middle of the term completes nothing. Then the term ends: the hourly beat task
runs on the worker, the grade is final, the enrollment completed, and the certificate the
worker issued is valid on its public page. A second walk has the instructor finalise early in
the gradebook: only the learner whose final grade passes completes.

The policy is the default one: quizzes 40 %, labs 40 %, assignments 20 %, best attempt, pass at
60 %, A/B/C/D from 90/80/70/60.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.grades.models import Certificate, CourseGrade
from assessments.grades.tasks import grades_finalize_due_task
from assessments.labs.models import LabFile, LabSubmission
from assessments.progress.models import UserContentProgress
from assessments.quizzes.models import Question, QuizAttempt
from assessments.tests import lab_data, trees
from assessments.tests import quiz_factories as qf
from assessments.tests.grading_data import attempt, graded_course, worked_example
from catalog.models import CourseEnrollment, CourseOffering, CourseOfferingInstructor
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from content.models import ContentItem
from portal.tests.test_quiz_autosave_browser import answer_every_question_right, saved, start
from portal.tests.test_quiz_browser import log_in
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]

TITLE = "Thermodynamics for Engineers"
EXAM_SECONDS = 8
ROLLUP_TIMEOUT = 20


@dataclass
class Term:
    offering: CourseOffering
    reading: ContentItem
    quiz: ContentItem
    exam: ContentItem
    lab: ContentItem
    essay: ContentItem
    questions: list[Question]


def build_term() -> Term:
    course = CourseFactory(
        title=TITLE,
        code="ME310",
        description="Energy, entropy and the engines that turn one into work.",
    )
    offering = OfferingFactory(course=course, term_name="Autumn term")
    bank = qf.pool(course)
    questions = qf.every_type(bank)
    unit = trees.module(trees.root(course), "Unit 1: First law")
    reading = trees.item(unit, "Reading: Energy balances", "text")
    quiz = trees.item(unit, "Weekly quiz", "quiz", data=qf.quiz_payload(bank.pk))
    exam = trees.item(
        unit, "Timed exam", "quiz", data=qf.quiz_payload(bank.pk, time_limit_seconds=EXAM_SECONDS)
    )
    lab = trees.item(unit, "Adding numbers", "engineering_lab", data=lab_data.lab_payload())
    LabFile.objects.create(content_item=lab, path="solution.py", content=lab_data.STARTER)
    LabFile.objects.create(
        content_item=lab, path="tests/test_hidden.py", content=lab_data.HIDDEN_TEST
    )
    essay = trees.item(
        unit,
        "Essay: Heat engines",
        "assignment",
        data={
            "instructions": "Explain why no heat engine reaches the Carnot efficiency.",
            "due_at": (timezone.now() + timedelta(days=14)).isoformat(),
            "max_points": 20,
            "submission_types": ["text"],
            "allow_late": False,
        },
    )
    return Term(offering, reading, quiz, exam, lab, essay, questions)


def issued_certificate(worker, offering, user) -> Certificate:
    """The learner's certificate once the worker has stored its PDF and e-mailed it."""
    certificate = worker.wait_for(
        lambda: Certificate.objects.filter(
            user=user, course_offering=offering, emailed_at__isnull=False
        ).first(),
        ROLLUP_TIMEOUT,
        "the certificate",
    )
    assert (worker.media / certificate.pdf_path).read_bytes().startswith(b"%PDF-")
    return certificate


def grade_totals(page, offering_id: int) -> dict[str, str]:
    page.goto(reverse("portal:grades", args=[offering_id]))
    summary = page.locator(".grade-summary")
    return {
        "current": summary.locator("[data-grade=current] strong").inner_text(),
        "final": summary.locator("[data-grade=final]").inner_text(),
        "badge": summary.locator("h2 .badge").inner_text(),
        "labels": " / ".join(summary.locator("dt").all_inner_texts()),
    }


def gradebook_totals(staff, offering_id: int, email: str) -> dict[str, str]:
    staff.goto(reverse("admin:assessments_coursegrade_gradebook", args=[offering_id]))
    row = staff.locator(".gradebook tbody tr", has_text=email)
    return {
        "current": row.locator("[data-grade=current]").inner_text(),
        "final": row.locator("[data-grade=final]").inner_text(),
        "letter": row.locator("[data-grade=letter]").inner_text(),
        "passed": row.locator("[data-grade=passed]").inner_text(),
        "status": row.locator("[data-grade=status]").inner_text(),
    }


@pytest.fixture
def staff(new_page):
    """A second browser, for the instructor beside the student."""
    return new_page()


def test_one_whole_term_from_enrolling_to_a_valid_certificate(
    page, staff, live_server, screenshot, artifacts_dir, worker
):
    term = build_term()
    offering = term.offering
    student = UserFactory(full_name="Ada Lovelace", email="ada@example.edu")
    instructor = RoleFactory(university=offering.university, role=Role.INSTRUCTOR).user
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    log_in(staff, live_server, instructor)

    def stored_grade(final: str, current: str) -> CourseGrade:
        """The grade the worker rolled up after the last score."""
        return worker.wait_for(
            lambda: CourseGrade.objects.filter(
                user=student,
                course_offering=offering,
                final_score=Decimal(final),
                current_score=Decimal(current),
            ).first(),
            ROLLUP_TIMEOUT,
            f"the grade {final} / {current}",
        )

    def grades_agree(*, current: str, final: str, letter: str, passed: bool) -> None:
        """The stored grade, the learner's page and the gradebook say the same, provisional,
        and a pass in the middle of the term completes nothing."""
        grade = stored_grade(final, current)
        assert (grade.letter_grade, grade.passed, grade.is_final) == (letter, passed, False)
        mine = grade_totals(page, offering.pk)
        verdict = "Passed" if passed else "Not passed yet (pass at 60%)"
        assert mine == {
            "current": f"{current}%",
            "final": f"{final}% · Letter {letter} · {verdict}",
            "badge": "Provisional",
            "labels": "Current grade / Projected final grade",
        }
        book = gradebook_totals(staff, offering.pk, student.email)
        assert book == {
            "current": current,
            "final": final,
            "letter": letter,
            "passed": "yes" if passed else "no",
            "status": "provisional",
        }
        enrollment = CourseEnrollment.objects.get(user=student, course_offering=offering)
        assert (enrollment.status, enrollment.completed_at) == ("active", None)
        assert not Certificate.objects.filter(user=student).exists()

    log_in(page, live_server, student)

    # Enroll: find the course by a word of its description.
    page.goto(reverse("portal:catalog"))
    page.get_by_label("Search courses").fill("entropy")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?q=entropy**")
    card = page.locator(".course-card", has_text=TITLE)
    card.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Enroll").first.click()
    assert (
        page.locator(".message-success")
        .inner_text()
        .startswith("You are enrolled in ME310 Thermodynamics for Engineers")
    )
    enrollment = CourseEnrollment.objects.get(user=student, course_offering=offering)
    assert enrollment.status == "active"
    screenshot("term-01-enrolled")

    # Learn: the reading, marked complete, counts on the outline.
    page.get_by_role("link", name="Go to the course").click()
    assert page.locator(".course-progress-text").inner_text() == "0% · 0 of 5 items completed"
    page.get_by_role("link", name=re.compile(term.reading.title)).click()
    page.wait_for_url(f"**/items/{term.reading.pk}/")
    page.get_by_role("button", name="Mark as complete").click()
    assert page.locator(".completion-done").is_visible()
    progress = UserContentProgress.objects.get(user=student, content_item=term.reading)
    assert progress.completed_at is not None
    page.goto(reverse("portal:outline", args=[offering.pk]))
    assert page.locator(".course-progress-text").inner_text() == "20% · 1 of 5 items completed"
    screenshot("term-02-learning")

    # Before any score: nothing graded on either page.
    assert grade_totals(page, offering.pk)["current"] == "Not graded yet"
    assert gradebook_totals(staff, offering.pk, student.email)["current"] == "\u2013"

    # The weekly quiz: answers saved as she works survive a reload, then she submits.
    _single, _multiple, true_false, numeric, text = term.questions
    start(page, offering, term.quiz)
    answer_every_question_right(page, term.questions)
    saved(page)
    page.reload()
    assert page.get_by_label("Newton").is_checked()
    assert page.get_by_label("Force").is_checked() and page.get_by_label("Velocity").is_checked()
    assert page.locator(f"#question-{true_false.pk}").get_by_label("False").is_checked()
    assert page.locator(f"#q{numeric.pk}").input_value() == "9.81"
    assert page.locator(f"#q{text.pk}").input_value() == "joule"
    screenshot("term-03-quiz-reloaded")
    page.get_by_role("button", name="Submit the attempt").click()
    page.wait_for_url(re.compile(r"/result/(#.*)?$"))
    assert page.locator("#quiz-score").inner_text().startswith("Your score: 6 / 6")
    # Quizzes: 100 and a missing 0, so 50 projected; the graded work alone is 100.
    grades_agree(current="100.00", final="20.00", letter="F", passed=False)
    screenshot("term-04-grades-after-quiz")

    # The timed exam runs out: the page submits at zero with the saved answers (3 of 6).
    start(page, offering, term.exam)
    assert page.locator(".quiz-countdown").is_visible()
    page.get_by_label("Newton").check()
    page.get_by_label("Force").check()
    page.get_by_label("Velocity").check()
    saved(page)
    page.wait_for_url(re.compile(r"/result/(#.*)?$"), timeout=(EXAM_SECONDS + 6) * 1000)
    assert page.locator("#quiz-score").inner_text().startswith("Your score: 3 / 6")
    assert page.locator(".messages").inner_text().startswith("Time is up:")
    exam = QuizAttempt.objects.get(user=student, content_item=term.exam)
    assert (exam.score_obtained, exam.max_score) == (Decimal(3), Decimal(6))
    assert exam.passed is False  # two right in a row; the exam's mastery needs three
    screenshot("term-05-exam-timed-out")
    # Quizzes: (100 + 50) / 2 = 75; 40 % of it projected.
    grades_agree(current="75.00", final="30.00", letter="F", passed=False)

    # The lab: the worker runs the hidden tests on the upload.
    page.goto(reverse("portal:lab", args=[offering.pk, term.lab.pk]))
    page.get_by_label("Your files, or one .zip / .tar.gz archive of them").set_input_files(
        files=[{"name": "solution.py", "mimeType": "text/x-python", "buffer": lab_data.PASSING}]
    )
    page.get_by_role("button", name="Submit", exact=True).click()
    assert page.locator(".message-success").inner_text() == "Submitted. Grading starts in a moment."
    submission = LabSubmission.objects.get(user=student, content_item=term.lab)
    worker.wait_for(
        lambda: LabSubmission.objects.filter(pk=submission.pk, status="graded").exists(),
        ROLLUP_TIMEOUT,
        "the lab to be graded",
    )
    page.reload()
    assert page.locator(".lab-score").inner_text() == "40.00 / 40.00 points"
    assert page.get_by_text("2 of 2 tests passed").is_visible()
    screenshot("term-06-lab-graded")
    # 0.4 * 75 + 0.4 * 100 = 70 projected: a pass, provisional, which completes nothing.
    grades_agree(current="87.50", final="70.00", letter="C", passed=True)
    page.goto(reverse("portal:dashboard"))
    active = page.locator(".course-card[data-status=active]", has_text=TITLE)
    assert active.is_visible()
    # Graded work counts as done: the reading, the weekly quiz and the lab; not the failed exam.
    assert active.locator(".pct").inner_text() == "60%"
    assert page.locator(".course-card[data-status=completed]").count() == 0

    # The essay: submitted, then graded by the instructor in the admin.
    page.goto(reverse("portal:assignment", args=[offering.pk, term.essay.pk]))
    page.get_by_label("Your answer").fill("Because every real cycle generates entropy.")
    page.get_by_role("button", name="Submit", exact=True).click()
    assert page.locator(".message-success").inner_text() == (
        "Submitted. Your instructor grades this assignment."
    )
    essay = LabSubmission.objects.get(user=student, content_item=term.essay)
    staff.goto(reverse("admin:assessments_assignmentsubmission_change", args=[essay.pk]))
    staff.locator("#id_score_override").fill("15")
    staff.locator("#id_instructor_feedback").fill("Clear argument.")
    staff.get_by_role("button", name="Save", exact=True).click()
    staff.wait_for_url("**/assignmentsubmission/")
    essay.refresh_from_db()
    assert (essay.status, essay.score_obtained) == ("graded", Decimal("15.00"))
    # 0.4 * 75 + 0.4 * 100 + 0.2 * 75 = 85 on both totals now that everything is graded.
    grades_agree(current="85.00", final="85.00", letter="B", passed=True)
    page.goto(reverse("portal:grades", args=[offering.pk]))
    screenshot("term-07-grades-all-graded")
    staff.screenshot(path=str(artifacts_dir / "term-07-gradebook.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("term-08-grades-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Term end: the offering's end passes and the hourly beat task runs on the worker.
    now = timezone.now()
    CourseOffering.objects.filter(pk=offering.pk).update(
        enrollment_end=now - timedelta(minutes=2), ends_at=now - timedelta(minutes=1)
    )
    assert grades_finalize_due_task.delay().get(timeout=ROLLUP_TIMEOUT) == 1
    certificate = issued_certificate(worker, offering, student)
    grade = CourseGrade.objects.get(user=student, course_offering=offering)
    assert (grade.final_score, grade.letter_grade, grade.passed, grade.is_final) == (
        Decimal("85.00"),
        "B",
        True,
        True,
    )
    enrollment.refresh_from_db()
    assert enrollment.status == "completed" and enrollment.completed_at is not None

    assert grade_totals(page, offering.pk) == {
        "current": "85.00%",
        "final": "85.00% · Letter B · Passed",
        "badge": "Final",
        "labels": "Current grade / Final grade",
    }
    screenshot("term-09-grades-final")
    page.goto(reverse("portal:dashboard"))
    done = page.locator(".course-card[data-status=completed]", has_text=TITLE)
    assert done.locator(".badge").inner_text().startswith("Completed · ")
    assert done.locator(".pct").inner_text() == "80%"
    assert done.locator(".meta").nth(1).inner_text() == "4 of 5 items completed"
    assert page.locator(".course-card[data-status=active]").count() == 0
    screenshot("term-09-dashboard-completed")
    page.goto(reverse("portal:grades", args=[offering.pk]))
    book = gradebook_totals(staff, offering.pk, student.email)
    assert book == {
        "current": "85.00",
        "final": "85.00",
        "letter": "B",
        "passed": "yes",
        "status": "final",
    }
    assert staff.get_by_text("Grades are final.").is_visible()

    # The certificate the worker issued, valid on its public page.
    page.get_by_role("link", name="View your certificate").click()
    page.wait_for_url(f"**/certificates/{certificate.certificate_code}/")
    assert page.locator(".certificate-status").inner_text() == "Valid"
    facts = page.locator(".certificate-facts").inner_text()
    assert "Ada Lovelace" in facts
    assert "ME310: Thermodynamics for Engineers" in facts
    assert certificate.certificate_code in facts
    screenshot("term-10-certificate")
    page.context.clear_cookies()
    page.reload()
    assert page.locator(".certificate-status").inner_text() == "Valid"


def test_staff_finalise_early_and_only_the_passing_learner_completes(
    page, live_server, screenshot, worker
):
    """The instructor finalises in the gradebook before the end date: the worker completes the
    learner whose final grade passes and issues her certificate; the one who fails keeps an
    active enrollment, a final grade that says "Not passed" and no certificate."""
    course = graded_course()
    offering = course.offering
    passing = EnrollmentFactory(course_offering=offering, user__full_name="Grace Hopper").user
    worked_example(course, passing)  # 63.67, D: see assessments/tests/test_grades_rollup.py
    failing = EnrollmentFactory(course_offering=offering, user__full_name="Alan Turing").user
    attempt(failing, offering, course.quizzes[0], 2)  # quizzes (20 + 0 + 0) / 3, 40 % of it
    instructor = RoleFactory(university=offering.university, role=Role.INSTRUCTOR).user
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    log_in(page, live_server, instructor)

    assert gradebook_totals(page, offering.pk, failing.email)["status"] == "provisional"
    page.get_by_role("button", name="Finalise grades").click()
    assert (
        page.locator(".messagelist")
        .inner_text()
        .startswith("The offering's grades are being finalised")
    )
    certificate = issued_certificate(worker, offering, passing)
    assert gradebook_totals(page, offering.pk, passing.email) == {
        "current": "73.00",
        "final": "63.67",
        "letter": "D",
        "passed": "yes",
        "status": "final",
    }
    assert gradebook_totals(page, offering.pk, failing.email) == {
        "current": "20.00",
        "final": "2.67",
        "letter": "F",
        "passed": "no",
        "status": "final",
    }
    screenshot("term-finalised-gradebook")
    grades = {
        grade.user_id: (str(grade.final_score), grade.passed, grade.is_final)
        for grade in CourseGrade.objects.filter(course_offering=offering)
    }
    assert grades == {passing.pk: ("63.67", True, True), failing.pk: ("2.67", False, True)}
    statuses = dict(
        CourseEnrollment.objects.filter(course_offering=offering).values_list("user", "status")
    )
    assert statuses == {passing.pk: "completed", failing.pk: "active"}
    assert list(Certificate.objects.values_list("pk", flat=True)) == [certificate.pk]

    page.context.clear_cookies()
    log_in(page, live_server, failing)
    assert grade_totals(page, offering.pk) == {
        "current": "20.00%",
        "final": "2.67% · Letter F · Not passed (pass at 60%)",
        "badge": "Final",
        "labels": "Current grade / Final grade",
    }
    assert page.get_by_role("link", name="View your certificate").count() == 0
    screenshot("term-finalised-not-passed")
