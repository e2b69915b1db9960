"""A student works through a course in Chromium: outline, video with transcript, text with
math, completions, and the progress on the outline and the dashboard; then the same pages on a
phone-sized screen."""

import io
import wave

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.progress.models import UserContentProgress
from assessments.tests import trees
from catalog.models import EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from content.selectors import outline_cache_clear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO = {
    "provider": "internal",
    "url": "/static/img/lecture-1.mp4",
    "duration_seconds": 754,
    "transcript": {
        "language": "en",
        "segments": [
            {"start": 0.0, "end": 6.0, "text": "Welcome to Engineering Statics."},
            {"start": 6.0, "end": 14.5, "text": "A body is in equilibrium when the net force"},
            {"start": 14.5, "end": 22.0, "text": "and the net moment acting on it are both zero."},
            {"start": 22.0, "end": 31.0, "text": "We start with particles, then rigid bodies."},
        ],
    },
}

TEXT = {
    "layout": "rich_text_v1",
    "title": "Equilibrium of a particle",
    "blocks": [
        {
            "type": "paragraph",
            "text": "For a particle in equilibrium the forces cancel out.\n"
            "In two dimensions that gives two scalar equations:",
        },
        {"type": "math", "latex": r"\sum F_x = 0, \quad \sum F_y = 0"},
        {"type": "paragraph", "text": "For a cable at angle θ carrying tension T:"},
        {"type": "math", "latex": r"T_x = T\cos\theta = \frac{W}{2\tan\theta}"},
        {
            "type": "link_list",
            "items": [
                {"label": "Worked examples", "url": "https://example.edu/statics/examples"},
                {"label": "Formula sheet", "url": "/static/formula-sheet.pdf"},
            ],
        },
    ],
}


@pytest.fixture
def course():
    outline_cache_clear()
    offering = OfferingFactory(
        course=CourseFactory(title="Engineering Statics", code="ME201"), term_name="Fall 2026"
    )
    root = trees.root(offering.course)
    unit1 = trees.module(root, "Unit 1: Forces and equilibrium")
    lesson = trees.module(unit1, "Lesson 1.1: Particles", module_type="lesson")
    video = trees.item(lesson, "Lecture: equilibrium", "video", data=VIDEO)
    text = trees.item(lesson, "Reading: equilibrium of a particle", "text", data=TEXT)
    unit2 = trees.module(root, "Unit 2: Rigid bodies")
    resource = trees.item(unit2, "Further reading", "resource")
    trees.item(trees.module(unit2, "Lesson 2.1: Moments", module_type="lesson"), "Quiz", "quiz")
    student = EnrollmentFactory(course_offering=offering).user
    for title, status in (
        ("Fluid Mechanics", EnrollmentStatus.WAITLISTED),
        ("Materials Science", EnrollmentStatus.COMPLETED),
    ):
        other = OfferingFactory(course=CourseFactory(title=title), term_name="Spring 2026")
        trees.item(trees.module(trees.root(other.course), "Unit 1"), "Introduction")
        EnrollmentFactory(user=student, course_offering=other, status=status)
    return {
        "offering": offering,
        "student": student,
        "video": video,
        "text": text,
        "resource": resource,
    }


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_student_works_through_the_course(page, live_server, screenshot, course):
    offering = course["offering"]
    outline = reverse("portal:outline", kwargs={"offering_id": offering.pk})
    log_in(page, live_server, course["student"])

    page.goto(outline)
    assert page.locator("h1").inner_text() == "Engineering Statics"
    assert page.locator(".course-progress-text").inner_text() == "0% · 0 of 4 items completed"
    screenshot("outline-start")

    page.get_by_role("link", name="Video: Lecture: equilibrium").click()
    page.wait_for_url(f"**/items/{course['video'].pk}/")
    line = page.locator(".transcript-line").nth(2)
    line.click()
    assert line.get_attribute("aria-current") == "true"
    assert page.locator(".transcript-line.active").count() == 1
    assert page.evaluate("document.querySelector('video').currentTime") == 14.5
    track = page.locator("video track")
    assert track.get_attribute("src").endswith("/captions.vtt")
    captions = page.request.get(track.get_attribute("src"))
    assert captions.headers["content-type"] == "text/vtt; charset=utf-8"
    assert captions.text().startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:06.000\n")
    screenshot("video-item")
    page.get_by_role("button", name="Mark as complete").click()
    assert page.locator(".completion-done").inner_text().startswith("✓ Completed on")
    assert page.locator(".message-success").inner_text() == "Marked as complete."

    page.locator("a[rel=next]").click()
    page.wait_for_url(f"**/items/{course['text'].pk}/")
    assert page.locator("math").first.is_visible()
    assert page.locator("math").count() == 2
    assert page.locator("math mfrac").count() == 1
    assert page.locator(".link-list a").count() == 2
    breadcrumbs = page.locator(".breadcrumbs li").all_inner_texts()
    assert breadcrumbs == [
        "Engineering Statics",
        "Unit 1: Forces and equilibrium",
        "Lesson 1.1: Particles",
    ]
    screenshot("text-item")
    page.get_by_role("button", name="Mark as complete").click()
    assert page.locator(".completion-done").is_visible()

    page.get_by_role("link", name="Outline", exact=True).last.click()
    page.wait_for_url(f"**{outline}")
    assert page.locator(".course-progress-text").inner_text() == "50% · 2 of 4 items completed"
    lesson = page.locator("li.m", has_text="Lesson 1.1: Particles").first
    assert "done" in lesson.get_attribute("class")
    assert lesson.locator(".mp").first.inner_text().startswith("100%")
    unit1 = page.locator("li.m", has_text="Unit 1: Forces and equilibrium").first
    assert unit1.locator(".mp").first.inner_text().startswith("100%")
    unit2 = page.locator("li.m", has_text="Unit 2: Rigid bodies").first
    assert unit2.locator(".mp").first.inner_text() == "0%"
    assert page.locator("li.i.done").count() == 2
    resume = page.get_by_role("link", name="Continue where you left off")
    assert resume.get_attribute("href").endswith(f"/items/{course['text'].pk}/")
    screenshot("outline")

    page.get_by_role("link", name="My learning").click()
    card = page.locator(".course-card", has_text="Engineering Statics")
    assert card.locator(".pct").inner_text() == "50%"
    assert (
        card.get_by_role("link", name="Resume")
        .get_attribute("href")
        .endswith(f"/items/{course['text'].pk}/")
    )
    assert (
        page.locator(".course-card", has_text="Fluid Mechanics")
        .get_by_text("Position 1 on the waitlist")
        .is_visible()
    )
    screenshot("dashboard")


def test_pages_fit_a_phone_screen(browser, artifacts_dir, live_server, course):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, device_scale_factor=2
    )
    page = context.new_page()
    try:
        log_in(page, live_server, course["student"])
        offering = course["offering"]
        pages = {
            "outline-mobile": reverse("portal:outline", kwargs={"offering_id": offering.pk}),
            "video-item-mobile": reverse(
                "portal:item", kwargs={"offering_id": offering.pk, "item_id": course["video"].pk}
            ),
            "text-item-mobile": reverse(
                "portal:item", kwargs={"offering_id": offering.pk, "item_id": course["text"].pk}
            ),
            "dashboard-mobile": reverse("portal:dashboard"),
        }
        for name, url in pages.items():
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (name, width)
            page.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=True)
        page.goto(pages["video-item-mobile"])
        video_box = page.locator("video").bounding_box()
        transcript_box = page.locator(".transcript").bounding_box()
        assert transcript_box["y"] >= video_box["y"] + video_box["height"]  # stacked
    finally:
        context.close()


def silent_wav(seconds: int) -> bytes:
    """A short silent PCM WAV: Chromium plays it in a <video> element like any media file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000 * seconds)
    return buffer.getvalue()


def test_watching_an_internal_video_completes_it(page, live_server, course):
    offering, video = course["offering"], course["video"]
    page.route(
        "**/static/img/lecture-1.mp4",
        lambda route: route.fulfill(status=200, content_type="audio/wav", body=silent_wav(4)),
    )
    log_in(page, live_server, course["student"])
    page.goto(reverse("portal:item", kwargs={"offering_id": offering.pk, "item_id": video.pk}))
    page.wait_for_function("() => document.querySelector('video').readyState >= 1")
    page.evaluate(
        "() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }"
    )
    page.locator(".completion-done").wait_for(state="visible", timeout=15_000)
    assert page.locator(".completion-form").is_hidden()
    row = UserContentProgress.objects.get(user=course["student"], content_item=video)
    assert row.completed_at is not None
    assert row.progress_percent == 100


def test_a_large_outline_loads_a_closed_branch_when_opened(
    browser, artifacts_dir, live_server, course, monkeypatch
):
    """With and without JavaScript, on a desktop and a 360 px wide screen."""
    monkeypatch.setattr("portal.views.player.OUTLINE_FULL_UP_TO", 2)
    url = reverse("portal:outline", kwargs={"offering_id": course["offering"].pk})
    for javascript, width in ((True, 1280), (False, 360)):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
        )
        page = context.new_page()
        try:
            log_in(page, live_server, course["student"])
            page.goto(url)
            # The way to the first item is open; Lesson 2.1 is closed and not on the page yet.
            assert page.get_by_role("link", name="Text: Reading: equilibrium of a particle")
            assert page.get_by_role("link", name="Quiz: Quiz").count() == 0
            page.get_by_text("Lesson 2.1: Moments").click()
            if not javascript:
                page.get_by_role("link", name="Show what is in this part").click()
                assert "?branch=" in page.url
            page.get_by_role("link", name="Quiz: Quiz").wait_for()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            name = "outline-large-opened" + ("" if javascript else "-no-js-360")
            page.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=True)
        finally:
            context.close()
