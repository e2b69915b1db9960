"""A student's week, small parts, in Chromium: sign-up preselects the browser's time zone (and
keeps UTC without JavaScript), a changed catalog filter or sort order applies at once, and the
grades page's "what if" shows the grade a hypothetical score would give. At desktop and 360 px,
where nothing scrolls sideways. Screenshots in test-artifacts/screenshots/week-*.png."""

import pytest
from django.urls import reverse

from assessments.tests.grading_data import graded_course, worked_example
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from community.tests.factories import ReviewFactory
from portal.tests.test_quiz_browser import log_in
from tenancy.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "violet-lantern-harbour-42"


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def both_widths(page, name: str) -> None:
    from conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        fits_the_phone(page)
        page.screenshot(path=str(ARTIFACTS / f"week-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_signup_takes_the_browser_time_zone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, timezone_id="Asia/Tokyo"
    )
    page = context.new_page()
    page.goto(reverse("accounts:signup"))
    assert page.locator("#id_time_zone").input_value() == "Asia/Tokyo"
    both_widths(page, "signup")
    page.fill("#id_full_name", "Ada Lovelace")
    page.fill("#id_email", "ada@example.edu")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('portal:catalog')}")
    assert User.objects.get(email="ada@example.edu").time_zone == "Asia/Tokyo"
    context.close()


def test_signup_without_javascript_keeps_utc(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, timezone_id="Asia/Tokyo", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(reverse("accounts:signup"))
    assert page.locator("#id_time_zone").input_value() == "UTC"
    context.close()


def test_a_changed_filter_or_sort_order_applies_at_once(page):
    for title, level, ratings in (
        ("Acoustics", "undergraduate", (3,)),
        ("Beams", "graduate", (5,)),
        ("Circuits", "graduate", ()),
    ):
        offering = OfferingFactory(course=CourseFactory(title=title, level=level))
        for rating in ratings:
            ReviewFactory(course_offering=offering, rating=rating)
    page.goto(reverse("portal:catalog"))
    cards = page.locator(".course-card h3")
    assert cards.all_inner_texts() == ["Acoustics", "Beams", "Circuits"]

    with page.expect_navigation():
        page.select_option("#id_level", "graduate")
    assert "level=graduate" in page.url
    assert cards.all_inner_texts() == ["Beams", "Circuits"]
    with page.expect_navigation():
        page.select_option("#id_sort", "rating")
    assert "sort=rating" in page.url and "level=graduate" in page.url
    assert cards.all_inner_texts() == ["Beams", "Circuits"]
    with page.expect_navigation():
        page.select_option("#id_level", "")
    assert cards.all_inner_texts() == ["Beams", "Acoustics", "Circuits"]
    both_widths(page, "catalog")


def test_what_if_shows_the_grade_a_hypothetical_score_gives(page, live_server):
    course = graded_course()
    learner = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, learner)
    _q1, _q2, ungraded = course.quizzes
    log_in(page, live_server, learner)
    page.goto(reverse("portal:grades", kwargs={"offering_id": course.offering.pk}))
    projected = page.locator('[data-grade="final"] strong').first.inner_text()

    page.fill(f"#id_score_{ungraded.pk}", "100")
    page.click("button[name=what_if]")
    page.wait_for_selector('[data-grade="what-if-final"]')
    what_if = page.locator('[data-grade="what-if-final"] strong').first.inner_text()
    assert what_if != projected
    assert page.locator(f"#id_score_{ungraded.pk}").input_value() == "100"
    both_widths(page, "what-if")

    page.fill(f"#id_score_{ungraded.pk}", "150")
    page.click("button[name=what_if]")
    page.wait_for_selector("#what-if .error")
    assert "Enter a percent from 0 to 100." in page.content()
    both_widths(page, "what-if-error")
