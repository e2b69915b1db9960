"""A student searches a course in Chromium for a phrase spoken in a demo lecture video, opens the
transcript hit and lands on the video at that moment, with the line spoken then marked. At
desktop and 360 px, where nothing scrolls sideways. Screenshots in
test-artifacts/screenshots/course-search-*.png."""

import pytest
from django.urls import reverse

from assessments.tests import trees
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from demo.payloads import video
from portal.tests.test_player_browser import silent_wav
from portal.tests.test_quiz_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
MEDIA = "/static/img/search-lecture.mp4"


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def serve_media(route) -> None:
    """45 s of silence, answering byte ranges as a file server does, so the video can seek."""
    body = silent_wav(45)
    headers = {"Content-Type": "audio/wav", "Accept-Ranges": "bytes"}
    asked = route.request.headers.get("range", "")
    if not asked.startswith("bytes="):
        route.fulfill(status=200, headers=headers, body=body)
        return
    first, _, last = asked.removeprefix("bytes=").partition("-")
    start, end = int(first or 0), int(last) if last else len(body) - 1
    headers["Content-Range"] = f"bytes {start}-{end}/{len(body)}"
    route.fulfill(status=206, headers=headers, body=body[start : end + 1])


@pytest.fixture
def course():
    """Thermodynamics I with a lecture whose transcript is the demo's, a line every 5 s, played
    from the platform's own video store, and a reading beside it."""
    offering = OfferingFactory(course=CourseFactory(title="Thermodynamics I", language_code="en"))
    unit = trees.module(trees.root(offering.course), "Week 3: Entropy")
    data = video(
        language="en",
        course="Thermodynamics I",
        chapter="Week 2",
        lesson="Entropy",
        n=0,
        asset_id=None,
    )
    for i, segment in enumerate(data["transcript"]["segments"]):
        segment.update(start=i * 5.0, end=i * 5.0 + 4.5)
    data = {
        "provider": "internal",
        "url": MEDIA,
        "duration_seconds": 45,
        "transcript": data["transcript"],
    }
    lecture = trees.item(unit, "Lecture: entropy", "video", data=data)
    trees.item(unit, "Reading: entropy tables")
    student = EnrollmentFactory(course_offering=offering).user
    return {"offering": offering, "lecture": lecture, "student": student}


def test_a_spoken_phrase_opens_the_video_at_that_moment(page, live_server, screenshot, course):
    offering, lecture = course["offering"], course["lecture"]
    page.route(f"**{MEDIA}", serve_media)
    log_in(page, live_server, course["student"])
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("portal:outline", kwargs={"offering_id": offering.pk}))
    page.get_by_label("Search this course").fill("typical exam problem")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=typical+exam+problem")
    hit = page.locator(".search-hit").first
    assert hit.locator(".search-hit-title").inner_text() == "Lecture: entropy"
    assert hit.locator(".search-hit-moment").inner_text() == "in the transcript at 0:20"
    marked = hit.locator("mark").all_inner_texts()
    assert marked == ["typical", "exam", "problem"]
    fits_the_phone(page)
    screenshot("course-search-results-desktop")
    page.set_viewport_size(PHONE)
    fits_the_phone(page)
    screenshot("course-search-results-phone")

    hit.locator(".search-hit-title").click()
    page.wait_for_url(f"**/items/{lecture.pk}/?t=20")
    page.wait_for_function(
        "() => document.querySelector('video').currentTime === 20", timeout=10_000
    )
    active = page.locator(".transcript-line.active")
    assert active.locator(".tx").inner_text() == (
        "Then we work through a typical exam problem step by step."
    )
    fits_the_phone(page)
    screenshot("course-search-video-phone")
    page.set_viewport_size(DESKTOP)
    fits_the_phone(page)
    screenshot("course-search-video-desktop")
