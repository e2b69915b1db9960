"""An instructor uploads an image to the library in the admin, and a student sees it in the
player, with the site running as documented (DEBUG off, nothing serving MEDIA_ROOT)."""

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from assessments.tests import trees
from catalog.models import CourseOfferingInstructor, EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from content.models import Asset
from portal.tests.test_media import media
from portal.tests.test_player_browser import log_in
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["media"]  # the autouse fixture: uploads go to a scratch folder


def test_a_student_sees_the_image_an_instructor_uploaded(page, live_server, screenshot, tmp_path):
    assert settings.DEBUG is False
    offering = OfferingFactory(course__title="Engineering Statics")
    instructor = UserFactory()
    RoleFactory(user=instructor, university=offering.university, role=Role.INSTRUCTOR)
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    student = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.ACTIVE).user
    picture = tmp_path / "free-body.png"
    Image.new("RGB", (320, 200), (30, 110, 60)).save(picture, "PNG")

    log_in(page, live_server, instructor)
    page.goto(reverse("admin:content_asset_add"))
    page.select_option("#id_university", str(offering.university_id))
    page.set_input_files("#id_file", str(picture))
    page.fill("#id_alt", "Free-body diagram of a block")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/content/asset/")
    asset = Asset.objects.get()
    assert asset.meta_json["filename"] == "free-body.png"

    unit = trees.module(trees.root(offering.course), "Unit 1")
    item = trees.item(
        unit,
        "Forces",
        data={
            "layout": "rich_text_v1",
            "title": "Forces",
            "blocks": [
                {"type": "paragraph", "text": "The forces on the block:"},
                {"type": "image", "asset_id": asset.pk, "caption": "Figure 1"},
            ],
        },
    )

    page.context.clear_cookies()
    log_in(page, live_server, student)
    for width, name in ((1280, "media-image-desktop"), (360, "media-image-phone")):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(reverse("portal:item", args=[offering.pk, item.pk]))
        image = page.locator("figure img")
        image.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('figure img').complete")
        assert image.get_attribute("alt") == "Free-body diagram of a block"
        assert image.evaluate("img => img.naturalWidth") == 320
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(name)

    outsider = UserFactory()
    page.context.clear_cookies()
    log_in(page, live_server, outsider)
    response = page.goto(image.get_attribute("src"))
    assert response.status == 404
