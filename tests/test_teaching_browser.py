"""The demo instructor in Chromium: logs in to the admin, lands on My teaching, opens a course
home, walks every tab and opens the grading queue from To grade, at desktop width and at 360 px
(no sideways scrolling). Screenshots in test-artifacts/screenshots/teaching-*.png."""

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import CourseOffering
from content.selectors import outline_cache_clear
from demo.data import LOGINS, PASSWORD
from demo.seed import seed_demo
from staff.teaching.views import TABS
from tenancy.models import Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email: str) -> None:
    page.goto(reverse("admin:login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_instructor_walks_a_course_home(new_page, artifacts_dir):
    outline_cache_clear()
    assert seed_demo()
    login = next(login for login in LOGINS if login.role == Role.INSTRUCTOR)
    instructor = User.objects.get(email=login.email)
    taught = CourseOffering.objects.filter(instructors=instructor).select_related("course")
    for width, label in ((1280, "desktop"), (360, "360")):
        page = new_page(width=width)
        log_in(page, login.email)
        page.wait_for_url("**/admin/")
        cards = page.locator(".teaching-card h2")
        shown = set(cards.all_inner_texts())
        running = {
            f"{o.course.code}: {o.course.title}"
            for o in taught
            if o.ends_at is None or o.ends_at >= timezone.now()
        }
        assert shown and shown <= running
        assert page.locator("#content-main .teaching-counts").first.is_visible()
        page.screenshot(path=str(artifacts_dir / f"teaching-home-{label}.png"), full_page=True)
        if width == 360:
            no_sideways_scroll(page)
        cards.first.get_by_role("link").click()
        page.wait_for_url("**/admin/teaching/offering/*/")
        for slug, tab_label in TABS:
            page.locator(".teaching-tabs").get_by_role("link", name=str(tab_label)).click()
            page.wait_for_url(f"**/{slug}/")
            heading = page.locator("#tab-heading")
            assert heading.inner_text() == str(tab_label)
            current = page.locator('.teaching-tabs a[aria-current="page"]')
            assert current.inner_text() == str(tab_label)
            page.screenshot(
                path=str(artifacts_dir / f"teaching-{slug}-{label}.png"), full_page=True
            )
            if width == 360:  # wide tables scroll inside their own box
                no_sideways_scroll(page)
        # To grade opens the queue: one submission at a time, the next a click away.
        page.locator(".teaching-tabs").get_by_role("link", name="To grade").click()
        page.locator(".teaching-table").get_by_role("link", name="Grade").first.click()
        page.wait_for_url("**/grade/*/*/")
        assert "Submission 1 of" in page.locator(".teaching-queue-nav").inner_text()
        assert page.get_by_label("Score").is_visible()
        page.screenshot(path=str(artifacts_dir / f"teaching-queue-{label}.png"), full_page=True)
        if width == 360:
            no_sideways_scroll(page)
        next_link = page.locator('.teaching-queue-nav a[rel="next"]')
        if next_link.count():
            next_link.click()
            page.wait_for_selector(".teaching-queue-nav a[rel=prev]")
            assert "Submission 2 of" in page.locator(".teaching-queue-nav").inner_text()
        # Back to the course by the breadcrumbs; its outline links into the module tree.
        page.locator(".breadcrumbs a").nth(2).click()
        page.wait_for_url("**/to-grade/")
        page.locator(".teaching-tabs").get_by_role("link", name="Outline").click()
        page.get_by_role("link", name="Open the module tree to edit").click()
        page.wait_for_url("**/tree/")
        page.context.close()
