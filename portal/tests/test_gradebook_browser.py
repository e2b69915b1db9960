"""The staff gradebook in Chromium: at 1280 px the totals (current and projected grade, letter,
passed, status) are on screen next to the learner's name without scrolling the table sideways;
at 360 px the page itself does not scroll sideways, only the table does."""

import pytest
from django.urls import reverse

from assessments.grades.services import grades_rollup
from assessments.tests.grading_data import graded_course, worked_example
from catalog.tests.factories import EnrollmentFactory
from content.models import ContentItem
from portal.tests.test_quiz_browser import log_in
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Graded work only: 0.4 * (90 + 50) / 2 + 0.4 * (80 + 70) / 2 + 0.2 * 75 = 73.
TOTALS = {"current": "73.00", "final": "63.67", "letter": "D", "passed": "yes"}


def test_the_totals_are_on_screen_at_desktop_width(page, live_server, screenshot):
    course = graded_course()
    for item in ContentItem.objects.filter(course=course.offering.course):
        ContentItem.objects.filter(pk=item.pk).update(title=f"Week {item.pk}: {item.title} review")
    learner = UserFactory(full_name="Ada Lovelace")
    EnrollmentFactory(user=learner, course_offering=course.offering)
    worked_example(course, learner)
    grades_rollup(offering_id=course.offering.pk)
    staff = RoleFactory(university=course.offering.university, role=Role.UNIVERSITY_ADMIN).user
    log_in(page, live_server, staff)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(
        live_server.url
        + reverse("admin:assessments_coursegrade_gradebook", args=[course.offering.pk])
    )

    row = page.locator(".gradebook tbody tr", has_text=learner.email)
    shown = {key: row.locator(f"[data-grade={key}]").inner_text() for key in TOTALS}
    assert shown == TOTALS
    assert row.locator("[data-grade=status]").inner_text() == "provisional"
    for key in [*TOTALS, "status"]:
        box = row.locator(f"[data-grade={key}]").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280, key
    assert page.evaluate("document.querySelector('.gradebook-wrap').scrollLeft") == 0
    screenshot("gradebook-desktop")

    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    name = row.locator("th").bounding_box()
    assert name is not None and name["x"] >= 0
    screenshot("gradebook-phone")
