"""A student in two courses, like the demo's, sees this week's deadlines in Chromium: on My
learning (Coming up with the course, kind, local time and done badge; Overdue), then on the
calendar, month grid and agenda, and gets a feed address. At desktop and 360 px, where nothing
scrolls sideways. Screenshots in test-artifacts/screenshots/deadlines-*.png."""

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from assessments.assignments.models import AssignmentSubmission
from assessments.deadlines.models import CalendarFeed
from assessments.tests import trees
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from lms.dates import display_datetime
from portal.tests.test_quiz_browser import log_in
from tenancy.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
BERLIN = ZoneInfo("Europe/Berlin")


def iso(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def both_widths(page, screenshot, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    fits_the_phone(page)  # nor at desktop width
    screenshot(f"deadlines-{name}-desktop")
    page.set_viewport_size(PHONE)
    fits_the_phone(page)
    screenshot(f"deadlines-{name}-phone")
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def week(db):
    """Ada, in Europe/Berlin, in Linear Algebra and Thermodynamics I, with an exam closing and
    two problem sets due this week (one handed in) and a lab report overdue."""
    student = UserFactory(full_name="Ada Student", time_zone="Europe/Berlin")
    now = timezone.now().replace(second=0, microsecond=0)
    algebra = OfferingFactory(course=CourseFactory(title="Linear Algebra", code="MATH 221"))
    thermo = OfferingFactory(course=CourseFactory(title="Thermodynamics I", code="ME 301"))
    moments = {}
    for offering in (algebra, thermo):
        EnrollmentFactory(user=student, course_offering=offering)
    unit = trees.module(trees.root(algebra.course), "Week 5: Eigenvalues")
    moments["exam"] = now + timedelta(days=2, hours=3)
    trees.item(
        unit,
        "Midterm exam",
        "quiz",
        data=trees.payload("quiz") | {"closes_at": iso(moments["exam"])},
    )
    moments["set"] = now + timedelta(days=4)
    trees.item(
        unit,
        "Problem set 5",
        "assignment",
        data=trees.payload("assignment") | {"due_at": iso(moments["set"])},
    )
    heat = trees.module(trees.root(thermo.course), "Week 5: Entropy")
    moments["handed"] = now + timedelta(days=1)
    handed = trees.item(
        heat,
        "Entropy worksheet",
        "assignment",
        data=trees.payload("assignment") | {"due_at": iso(moments["handed"])},
    )
    AssignmentSubmission.objects.create(user=student, course_offering=thermo, content_item=handed)
    trees.item(
        heat,
        "Lab report: calorimetry",
        "assignment",
        data=trees.payload("assignment")
        | {"due_at": iso(now - timedelta(days=1)), "allow_late": True},
    )
    return student, moments


def test_student_sees_this_weeks_deadlines_and_the_calendar(page, live_server, screenshot, week):
    student, moments = week
    log_in(page, live_server, student)
    page.goto("/my/")

    coming = page.locator("section[aria-labelledby='section-coming-up']")
    rows = coming.locator("li.deadline")
    titles = rows.locator(".deadline-title").all_inner_texts()
    assert titles[:3] == ["Entropy worksheet", "Midterm exam", "Problem set 5"]
    exam = rows.filter(has_text="Midterm exam")
    local = display_datetime(moments["exam"], BERLIN)
    assert f"MATH 221 · Quiz closes · {local}" in exam.inner_text()
    assert rows.filter(has_text="Entropy worksheet").locator(".badge").inner_text() == "Done"
    assert exam.locator(".badge").inner_text() == "To do"
    overdue = page.locator("section[aria-labelledby='section-overdue'] li.deadline")
    assert overdue.locator(".deadline-title").all_inner_texts() == ["Lab report: calorimetry"]
    assert "Late work accepted" in overdue.inner_text()
    both_widths(page, screenshot, "my-learning")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    page.wait_for_url("**/my/calendar/")
    grid = page.locator("table.month-grid")
    assert grid.locator("thead th").count() == 7
    # This week's deadlines sit in the grid (one past the month's end is on the next page).
    this_month = timezone.localtime(timezone.now(), BERLIN).month
    in_month = [
        name
        for name, key in (("Midterm exam", "exam"), ("Problem set 5", "set"))
        if timezone.localtime(moments[key], BERLIN).month == this_month
    ]
    for name in in_month:
        assert grid.get_by_role("link", name=name).count() == 1
    both_widths(page, screenshot, "calendar-month")

    page.get_by_role("link", name="Agenda view").click()
    page.wait_for_url("**view=agenda")
    assert page.locator("table.month-grid").count() == 0
    agenda = page.locator("section.agenda li.deadline .deadline-title").all_inner_texts()
    assert in_month == [name for name in agenda if name in in_month]
    both_widths(page, screenshot, "calendar-agenda")

    page.get_by_role("button", name="Get my feed address").click()
    page.wait_for_url("**/my/calendar/#feed")
    feed = CalendarFeed.objects.get(user=student)
    assert page.get_by_label("Feed address").input_value().endswith(f"/calendar/{feed.token}.ics")
    both_widths(page, screenshot, "calendar-feed")
