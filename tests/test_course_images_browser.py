"""Course pictures in Chromium: the catalog card and the course page load the uploaded picture
(its natural size is the file's), at desktop and 360 px, where nothing scrolls sideways.
Screenshots in test-artifacts/screenshots/course-images-*.png."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.tests.factories import CourseFactory, OfferingFactory
from content.services import asset_upload, course_image_set
from demo.course_pictures import title_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def pictured(title: str, code: str, colour: tuple[int, int, int]):
    course = OfferingFactory(course=CourseFactory(title=title, code=code)).course
    upload = SimpleUploadedFile(f"{code}.png", title_card(course, colour), "image/png")
    asset = asset_upload(university_id=course.university_id, upload=upload)
    course_image_set(course=course, asset=asset, alt_text=f"Title card of {title}")
    return course


def loaded(page, selector: str) -> tuple[int, int]:
    image = page.locator(selector).first
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "s => { const i = document.querySelector(s); return i && i.complete }", arg=selector
    )
    return image.evaluate("i => [i.naturalWidth, i.naturalHeight]")


def test_pictures_load_on_the_cards_and_the_course_page(media, page):
    from conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    course = pictured("Thermodynamics I", "ME201", (14, 116, 144))
    pictured("Linear Algebra", "MATH101", (190, 18, 60))
    OfferingFactory(course=CourseFactory(title="Statics without a picture"))
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.goto("/")
        assert page.get_by_alt_text("Title card of Thermodynamics I").is_visible()
        assert loaded(page, ".course-card-image") == [480, 270]
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(ARTIFACTS / f"course-images-catalog-{label}.png"), full_page=True)
        page.goto(reverse("portal:course-detail", args=[course.pk]))
        assert loaded(page, ".course-image") == [480, 270]
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(ARTIFACTS / f"course-images-course-{label}.png"))
