"""A new visitor's whole first session on the demo data, in Chromium: sign up, set a time zone,
find a course by a word of its description, enroll, study a video and a text with math, mark
them complete, see the progress on the dashboard, log out and log in again."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from assessments.progress.models import UserContentProgress
from catalog.models import CourseEnrollment, EnrollmentStatus
from content.models import ContentItem
from content.selectors import outline_cache_clear
from demo.seed import seed_demo
from tenancy.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "noor.haddad@example.org"
PASSWORD = "quiet-meadow-lantern-71"


@pytest.fixture
def demo():
    outline_cache_clear()
    assert seed_demo()
    items = ContentItem.objects.non_polymorphic().filter(module__course__code="MATH101")
    return {
        "video": items.get(title="Walkthrough video: Integration by parts"),
        "text": items.get(title="Worked examples: Integration by parts"),
        "published_items": items.filter(module__is_published=True).count(),
    }


def test_a_new_visitor_signs_up_studies_and_logs_out(page, live_server, screenshot, demo):
    page.goto("/")
    nav = page.locator(".site-nav")
    assert nav.get_by_role("link", name="Log in").is_visible()
    nav.get_by_role("link", name="Sign up").click()

    # Sign up: a mismatch first, then the real thing.
    page.wait_for_url("**/accounts/signup/")
    page.get_by_label("Full name").fill("Noor Haddad")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD + "x")
    page.get_by_role("button", name="Sign up").click()
    assert page.locator(".errorlist").inner_text() == "The two password fields didn\u2019t match."
    assert page.locator("#id_password2").get_attribute("aria-invalid") == "true"
    screenshot("journey-signup-error")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".message-success").inner_text() == "Welcome! Your account is ready."
    assert nav.get_by_role("button", name="Log out").is_visible()
    assert nav.get_by_role("link", name="Log in").count() == 0

    # Profile: the time zone every date is shown in.
    nav.get_by_role("link", name="Profile").click()
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("Language").select_option("de")
    screenshot("journey-profile")
    page.get_by_role("button", name="Save").click()
    assert page.locator(".message-success").inner_text() == "Profile saved."
    assert page.locator(".time-zone-hint").inner_text() == "Times are shown in Europe/Berlin."
    user = User.objects.get(email=EMAIL)
    assert (user.full_name, user.time_zone, user.locale) == ("Noor Haddad", "Europe/Berlin", "de")

    # Search by a word of the description only.
    nav.get_by_role("link", name="Catalog").click()
    page.get_by_label("Search courses").fill("riemann")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?q=riemann**")
    card = page.locator(".course-card", has_text="Calculus I")
    assert card.locator(".course-summary mark").first.inner_text() == "Riemann"
    screenshot("journey-search")

    card.get_by_role("link", name="Calculus I").click()
    assert page.locator("h1").inner_text() == "Calculus I"
    screenshot("journey-course")
    page.get_by_role("button", name="Enroll").first.click()
    assert (
        page.locator(".message-success")
        .inner_text()
        .startswith("You are enrolled in MATH101 Calculus I")
    )
    enrollment = CourseEnrollment.objects.get(user=user)
    assert enrollment.status == EnrollmentStatus.ACTIVE
    page.get_by_role("link", name="Go to the course").click()
    assert page.locator(".course-progress-text").inner_text() == (
        f"0% · 0 of {demo['published_items']} items completed"
    )
    screenshot("journey-outline")

    # A video, then the text with math before it.
    video, text = demo["video"], demo["text"]
    page.get_by_role("link", name=f"Video: {video.title}").click()
    page.wait_for_url(f"**/items/{video.pk}/")
    assert page.locator("video").is_visible()
    segments = video.data_json["transcript"]["segments"]
    assert page.locator(".transcript-line").count() == len(segments)
    page.get_by_role("button", name="Mark as complete").click()
    # Shown in the zone chosen on the profile, not in UTC.
    completed_at = UserContentProgress.objects.get(user=user, content_item=video).completed_at
    berlin = timezone.localtime(completed_at, ZoneInfo("Europe/Berlin"))
    assert page.locator(".completion-done").inner_text() == (
        f"✓ Completed on {date_format(berlin, 'DATETIME_FORMAT')}"
    )
    # On this wide page the message spans the content, and both neighbours' titles show whole.
    message = page.locator(".messages").bounding_box()
    content = page.locator("article.item").bounding_box()
    assert (message["x"], message["width"]) == (content["x"], content["width"])
    titles = page.locator(".pager-title")
    assert titles.all_inner_texts() == [
        "Worked examples: Integration by parts",
        "Problem set: Integration by parts",
    ]
    for title in titles.all():
        assert title.evaluate("e => e.scrollWidth <= e.clientWidth")
    screenshot("journey-video")

    page.locator("a[rel=prev]").click()
    page.wait_for_url(f"**/items/{text.pk}/")
    assert page.locator("math").first.is_visible()
    assert page.locator("math").count() >= 1
    page.get_by_role("button", name="Mark as complete").click()
    assert page.locator(".completion-done").is_visible()
    screenshot("journey-text-math")

    # The dashboard shows the progress.
    nav.get_by_role("link", name="My learning").click()
    card = page.locator(".course-card", has_text="Calculus I")
    total = demo["published_items"]
    assert card.locator(".pct").inner_text() == f"{200 // total}%"  # rounded down
    assert card.get_by_text(f"2 of {total} items completed").is_visible()
    resume = reverse(
        "portal:item", kwargs={"offering_id": enrollment.course_offering_id, "item_id": text.pk}
    )
    assert card.get_by_role("link", name="Resume").get_attribute("href").endswith(resume)
    screenshot("journey-dashboard")

    # Log out, then back in through the login page.
    nav.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".message-info").inner_text() == "You are logged out."
    assert nav.get_by_role("link", name="Log in").is_visible()
    assert page.locator(".time-zone-hint").count() == 0

    nav.get_by_role("link", name="Log in").click()
    assert page.get_by_role("link", name="Forgot password?").is_visible()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Log in").click()
    assert "Please enter a correct email and password" in page.locator(".errorlist").inner_text()
    screenshot("journey-login-error")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/my/")
    assert page.locator(".course-card", has_text="Calculus I").is_visible()


def test_forgotten_password_and_lockout(page, live_server, screenshot, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = User.objects.create_user(
        email=EMAIL, password="old-password-that-is-long", full_name="Noor Haddad"
    )
    page.goto(reverse("accounts:login"))
    for _ in range(3):
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill("a-wrong-guess")
        page.get_by_role("button", name="Log in").click()
    assert page.locator("h1").inner_text() == "Too many failed log-ins"
    assert "paused for 15 minutes" in page.locator(".message-error").inner_text()
    screenshot("account-locked-out")

    page.get_by_role("link", name="Reset your password").click()
    page.get_by_label("Email").fill(EMAIL.upper())
    screenshot("account-password-reset")
    page.get_by_role("button", name="Send the link").click()
    assert page.locator("h1").inner_text() == "Check your email"
    screenshot("account-password-reset-sent")

    link = re.search(rf"{settings.SITE_URL}(/\S+/)", mail.outbox[0].body.splitlines()[4])[1]
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    screenshot("account-password-reset-confirm")
    page.get_by_role("button", name="Set password").click()
    assert page.locator("h1").inner_text() == "Your password is set"
    page.get_by_role("link", name="Log in", exact=True).last.click()

    # The reset ended the lockout: the new password works straight away.
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/my/")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_account_pages_fit_a_phone(browser, artifacts_dir, live_server):
    user = User.objects.create_user(email=EMAIL, password=PASSWORD, full_name="Noor Haddad")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, device_scale_factor=2
    )
    page = context.new_page()
    try:
        for name, url in (
            ("signup-mobile", reverse("accounts:signup")),
            ("login-mobile", reverse("accounts:login")),
        ):
            page.goto(url)
            page.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/my/")
        page.goto(reverse("accounts:profile"))
        page.screenshot(path=str(artifacts_dir / "profile-mobile.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.get_by_label("Time zone").is_visible()
    finally:
        context.close()
