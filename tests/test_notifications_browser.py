"""In Chromium: a student asks to join an offering that needs approval, a department admin
approves it on the roster, and the student's bell counts the news and opens it; a waitlisted
student is told when a seat frees. Screenshots at desktop width and at 360 px."""

from pathlib import Path

import pytest
from django.urls import reverse

from catalog.models import CourseEnrollment, EnrollmentStatus
from catalog.services.enrollment import enrollment_create, enrollment_drop
from catalog.tests.factories import CourseFactory, OfferingFactory, staff_member
from community.announcements.services import announcement_post
from notifications.models import Notification
from syllabus.tests.browser import log_in
from tenancy.tests.factories import UserFactory

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shoot(page, name: str) -> None:
    """A full-page screenshot beside those of the `screenshot` fixture, of any page."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _bell(page):
    return page.locator(".site-nav .bell")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_request_approved_on_the_roster_rings_the_students_bell(
    page, new_page, live_server, screenshot
):
    course = CourseFactory(title="Fluid Mechanics", is_published=True)
    offering = OfferingFactory(course=course, requires_approval=True, capacity=10, term_name="Fall")
    student = UserFactory(full_name="Noor Haddad")
    admin = staff_member(course.department, full_name="Dana Dept")

    log_in(page, live_server, student)
    page.goto(reverse("portal:course-detail", args=[course.pk]))
    assert _bell(page).get_attribute("data-unread") == "0"
    page.get_by_role("button", name="Request to enroll").click()
    assert "waiting for approval" in page.locator(".messages").inner_text()
    request = CourseEnrollment.objects.get(user=student)
    assert request.status == EnrollmentStatus.PENDING

    staff = new_page()
    log_in(staff, live_server, admin)
    staff.goto(reverse("admin:catalog_courseoffering_roster", args=[offering.pk]))
    staff.locator(f"#pick-{request.pk}").check()
    staff.locator("#roster-decision").select_option("approve")
    staff.get_by_role("button", name="Go").click()
    staff.locator(".submit-row input[type=submit]").click()
    staff.wait_for_selector(".messagelist")
    request.refresh_from_db()
    assert request.status == EnrollmentStatus.ACTIVE

    announcement_post(
        offering=offering, author=admin, title="Lab safety briefing", body="Bring **goggles**."
    )
    page.goto(reverse("portal:dashboard"))
    assert _bell(page).locator(".bell-count").inner_text() == "2"
    shown = page.locator("#announcements .announcement")
    assert shown.locator("h3").inner_text() == "Lab safety briefing"
    assert shown.locator("strong").inner_text() == "goggles"
    screenshot("notifications-bell-desktop")
    _bell(page).click()
    page.wait_for_url("**/notifications/")
    assert page.locator(".notification").count() == 2
    item = page.locator(".notification", has_text="enrollment")
    assert "unread" in item.get_attribute("class")
    assert item.locator(".notification-title strong").inner_text() == (
        "Your enrollment in Fluid Mechanics (Fall) is approved"
    )
    screenshot("notifications-list-desktop")
    item.get_by_role("button", name="Open").click()
    page.wait_for_url(f"**{reverse('portal:outline', args=[offering.pk])}")
    assert _bell(page).locator(".bell-count").inner_text() == "1"
    assert Notification.objects.get(user=student, kind="enrollment_approved").read_at
    assert page.locator("#announcements h3").inner_text() == "Lab safety briefing"

    phone = new_page(width=360, height=780)
    log_in(phone, live_server, student)
    phone.goto(reverse("portal:notifications"))
    assert phone.locator(".notification.unread").count() == 1
    assert _fits(phone)
    _shoot(phone, "notifications-list-360")
    phone.goto(reverse("portal:dashboard"))
    assert phone.locator("#announcements .announcement").count() == 1
    assert _fits(phone)
    _shoot(phone, "notifications-dashboard-announcement-360")


def test_a_waitlisted_student_hears_when_a_seat_frees(new_page, live_server):
    course = CourseFactory(title="Thermodynamics", is_published=True)
    offering = OfferingFactory(course=course, capacity=1, term_name="Spring")
    holder, waiting = UserFactory(), UserFactory(full_name="Ravi Waits")
    seat = enrollment_create(offering=offering, user=holder).enrollment
    assert enrollment_create(offering=offering, user=waiting).enrollment.status == "waitlisted"

    phone = new_page(width=360, height=780)
    log_in(phone, live_server, waiting)
    phone.goto(reverse("portal:dashboard"))
    assert _bell(phone).locator(".bell-count").count() == 0

    enrollment_drop(enrollment=seat)  # the seat frees; the waitlist moves up in that write

    phone.reload()
    assert _bell(phone).locator(".bell-count").inner_text() == "1"
    assert _fits(phone)
    _shoot(phone, "notifications-waitlist-bell-360")
    _bell(phone).click()
    title = phone.locator(".notification .notification-title strong").inner_text()
    assert title == "A seat in Thermodynamics (Spring) is yours"
    phone.get_by_role("button", name="Mark read").click()
    phone.wait_for_url("**/notifications/")
    assert _bell(phone).locator(".bell-count").count() == 0
    assert CourseEnrollment.objects.get(user=waiting).status == EnrollmentStatus.ACTIVE
