"""Addresses under /media/ are served by nothing (uploads go through the views that check who
may open them), so no payload may point there: the item is refused with the field named and
nothing is written."""

import pytest
from django.core.exceptions import ValidationError

from catalog.tests.factories import CourseFactory
from content.models import ContentItem
from content.payloads import payload_errors
from content.services import content_item_create
from syllabus.services import course_root

pytestmark = pytest.mark.django_db

MESSAGE = (
    "Addresses under /media/ are not served; upload the file to the asset library and pick it."
)


@pytest.mark.parametrize(
    ("content_type", "data", "errors"),
    [
        (
            "video",
            {"provider": "internal", "url": "/media/lectures/intro.mp4"},
            [f"url: {MESSAGE}"],
        ),
        (
            "video",
            {"provider": "vimeo", "video_id": "76979871", "thumbnail_url": "/media/t.jpg"},
            [f"thumbnail_url: {MESSAGE}"],
        ),
        (
            "resource",
            {"resources": [{"label": "Slides", "url": "/media/s.pdf", "kind": "pdf"}]},
            [f"resources[0].url: {MESSAGE}"],
        ),
        ("video", {"provider": "internal", "url": "/static/demo/intro.mp4"}, []),
        ("video", {"provider": "internal", "url": "https://cdn.example.org/media/a.mp4"}, []),
    ],
)
def test_payload_addresses_under_media_are_refused(content_type, data, errors):
    assert payload_errors(content_type, data) == errors


def test_an_item_pointing_under_media_is_not_written():
    module = course_root(course=CourseFactory())
    with pytest.raises(ValidationError) as raised:
        content_item_create(
            module=module,
            content_type="video",
            title="Lecture",
            data_json={"provider": "internal", "url": "/media/lectures/intro.mp4"},
        )
    assert raised.value.message_dict == {"data_json": [f"url: {MESSAGE}"]}
    assert ContentItem.objects.count() == 0
