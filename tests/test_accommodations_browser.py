"""The demo instructor in Chromium gives one learner extra time from the course home's People
tab at desktop width, and at 360 px (no sideways scrolling) is told in words that the learner
already has it. Screenshots in
test-artifacts/screenshots/accommodation-*.png."""

import pytest
from django.urls import reverse

from assessments.accommodations.models import Accommodation
from catalog.models import CourseOffering
from content.selectors import outline_cache_clear
from demo.data import LOGINS, PASSWORD
from demo.seed import seed_demo
from tenancy.models import Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_instructor_gives_a_learner_extra_time(new_page, artifacts_dir):
    outline_cache_clear()
    assert seed_demo()
    login = next(login for login in LOGINS if login.role == Role.INSTRUCTOR)
    instructor = User.objects.get(email=login.email)
    offering = CourseOffering.objects.filter(instructors=instructor, enrollments__isnull=False)[0]
    people = reverse("teaching:offering-tab", args=[offering.pk, "people"])
    for n, (width, label) in enumerate(((1280, "desktop"), (360, "360")), start=1):
        page = new_page(width=width)
        page.goto(reverse("admin:login"))
        page.get_by_label("Email").fill(login.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/admin/")
        page.goto(people)
        page.screenshot(path=str(artifacts_dir / f"accommodation-people-{label}.png"))
        if width == 360:
            no_sideways_scroll(page)
        page.locator(".teaching-table").get_by_role("link", name="Add").first.click()
        page.wait_for_url("**/accommodation/add/**")
        page.get_by_label("Extra minutes").fill("30")
        page.locator('input[name="_save"]').click()
        if n == 1:
            page.wait_for_selector(".messagelist .success")
        else:  # the same learner again: refused in words, nothing stored
            page.wait_for_selector(".errornote")
            assert "already has an accommodation for every quiz" in page.content()
            page.screenshot(
                path=str(artifacts_dir / f"accommodation-refused-{label}.png"), full_page=True
            )
            no_sideways_scroll(page)
        assert Accommodation.objects.filter(course_offering=offering).count() == 1
    saved = Accommodation.objects.get(course_offering=offering)
    assert saved.extra_minutes == 30 and saved.content_item_id is None
