"""The demo tour in Chromium, on the seeded demo: the demo student finds the timed exam of
Linear Algebra, submits a web address to a problem set, reads the locked study-group thread of
Thermodynamics I; anyone sees the revoked certificate as revoked; the instructor lands on what
they teach. Screenshots at desktop and phone width in test-artifacts/screenshots/tour-*.png."""

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

from assessments.grades.models import Certificate
from assessments.labs.models import LabSubmission
from catalog.models import CourseEnrollment
from community.models import DiscussionThread
from content.models import ContentItem, ContentType
from content.selectors import outline_cache_clear
from demo.data import PASSWORD
from demo.seed import seed_demo
from tenancy.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo():
    outline_cache_clear()
    assert seed_demo()


def log_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto(reverse("accounts:login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/my/")


def both_widths(page, screenshot, name: str) -> None:
    """Screenshots at both widths; at phone width nothing scrolls sideways."""
    screenshot(f"tour-{name}-desktop")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (name, width)
    screenshot(f"tour-{name}-phone")
    page.set_viewport_size(DESKTOP)


def offering_of(email: str, code: str):
    return (
        CourseEnrollment.objects.select_related("course_offering")
        .get(user__email=email, course_offering__course__code=code, status="active")
        .course_offering
    )


def test_the_demo_tour_as_student_and_instructor(page, screenshot, demo):
    student = "student@demo.lms"
    log_in(page, student)
    assert page.locator(".course-card", has_text="Linear Algebra").is_visible()
    both_widths(page, screenshot, "student-dashboard")

    # The timed exam, released in Linear Algebra.
    math = offering_of(student, "MATH210")
    exam = ContentItem.objects.non_polymorphic().get(
        course_id=math.course_id, title="Practice exam: Linear Algebra"
    )
    page.goto(reverse("portal:outline", args=[math.pk]))
    assert "Practice exam: Linear Algebra" in page.locator("main").inner_text()
    both_widths(page, screenshot, "student-outline-with-exam")
    page.goto(reverse("portal:quiz", args=[math.pk, exam.pk]))
    terms = page.locator("dl.facts dt").all_text_contents()
    values = page.locator("dl.facts dd").all_text_contents()
    assert page.locator(".eyebrow").first.text_content().strip() == "Exam"
    # The exam closes on one of the demo's coming deadlines (demo.deadlines), at 23:59 in the
    # student's zone.
    closes = parse_datetime(exam.data_json["closes_at"])
    zone = ZoneInfo(User.objects.get(email=student).time_zone)
    assert dict(zip(terms, [v.strip() for v in values], strict=True)) == {
        "Closes": date_format(closes.astimezone(zone), "DATETIME_FORMAT"),
        "Questions per attempt": "20",
        "Time limit": "1 hour",
        "Correct answers shown": "After the last attempt",
        "Attempts": "2 attempts left",
        "Mastery": "1 correct answer in a row · 100 points",
    }
    assert page.get_by_role("button", name="Start the quiz").is_visible()
    both_widths(page, screenshot, "student-timed-exam")

    # A problem set that takes a web address.
    problem_set = next(
        item
        for item in ContentItem.objects.non_polymorphic()
        .filter(course_id=math.course_id, content_type=ContentType.ASSIGNMENT)
        .order_by("pk")
        if "url" in item.data_json["submission_types"]
    )
    page.goto(reverse("portal:assignment", args=[math.pk, problem_set.pk]))
    address = "https://notebooks.example.edu/sam-rivera/gaussian-elimination"
    page.get_by_label("Web address of your work").fill(address)
    both_widths(page, screenshot, "student-url-assignment")
    page.get_by_role("button", name="Submit").click()
    submission = LabSubmission.objects.get(user__email=student, content_item_id=problem_set.pk)
    assert submission.auto_grade_json["url"] == address
    assert page.locator(".lab-submission").count() == 1

    # The locked study-group thread of Thermodynamics I.
    thermo = offering_of(student, "ME201")
    thread = DiscussionThread.objects.get(course_offering=thermo, is_locked=True)
    page.goto(reverse("portal:discussions", args=[thermo.pk]))
    assert page.get_by_role("link", name="Sign convention for work in the first law").is_visible()
    both_widths(page, screenshot, "student-forum")
    page.goto(reverse("portal:thread", args=[thermo.pk, thread.pk]))
    assert page.locator("p.notice[role=note]").inner_text() == (
        "This thread is locked: it takes no new replies."
    )
    assert page.locator("#reply-body").count() == 0
    both_widths(page, screenshot, "student-locked-thread")

    # The revoked certificate's public page.
    revoked = Certificate.objects.get(revoked_at__isnull=False)
    page.goto(reverse("portal:certificate-verify", args=[revoked.certificate_code]))
    assert "Revoked" in page.locator("main").inner_text()
    both_widths(page, screenshot, "revoked-certificate")

    # The instructor lands on what they teach.
    log_in(page, "instructor@demo.lms")
    teaching = page.locator("#section-staff").locator("..")
    assert teaching.get_by_role("link", name="Open the staff pages").is_visible()
    running = teaching.locator(".course-card", has_text=f"ME201 · {thermo.term_name}")
    assert running.locator("h3").all_text_contents() == ["Thermodynamics I"]
    both_widths(page, screenshot, "instructor-dashboard")
    running.get_by_role("link", name="Discussions").click()
    page.wait_for_url(f"**{reverse('portal:discussions', args=[thermo.pk])}")
    rows = page.locator(".thread-row")
    badges = {
        rows.nth(n).locator(".thread-title").inner_text(): rows.nth(n)
        .locator(".badge")
        .all_text_contents()
        for n in range(rows.count())
    }
    assert badges == {
        "Sign convention for work in the first law": ["Answered"],
        "Study group for the first-law problem sets": ["Locked"],
    }
    both_widths(page, screenshot, "instructor-forum")
