"""Course pictures on the catalog cards and the course page, with their alternative text and
sizes, and the picture's file for whoever may see the course."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from catalog.tests.factories import CourseFactory as BareCourseFactory
from catalog.tests.factories import OfferingFactory
from content.tests.factories import AssetFactory, CourseImageFactory
from portal.tests.catalog_views.support import CATALOG, titles
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def CourseFactory(**fields):
    """A course the catalog lists: it has an offering."""
    return OfferingFactory(course=BareCourseFactory(**fields)).course


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def stored_png(course) -> tuple[CourseImageFactory, bytes]:
    out = io.BytesIO()
    Image.new("RGB", (320, 180), (30, 90, 160)).save(out, "PNG")
    name = default_storage.save("assets/1/abc/wing.png", ContentFile(out.getvalue()))
    asset = AssetFactory(
        university=course.university,
        url=f"/media/{name}",
        meta_json={"storage_name": name, "filename": "wing.png", "width": 320, "height": 180},
    )
    return CourseImageFactory(course=course, asset=asset, alt_text="A wing in a wind tunnel"), (
        out.getvalue()
    )


def test_cards_show_each_picture_with_its_words_and_size_and_courses_without_one_plainly(
    client,
):
    pictured = CourseFactory(title="Aerodynamics")
    stored_png(pictured)
    outside = CourseImageFactory(
        course=CourseFactory(title="Botany"),
        asset=AssetFactory(url="https://images.example.org/leaf.jpg", meta_json={}),
    )
    outside.asset.university = outside.course.university
    outside.asset.save()
    CourseFactory(title="Chemistry")
    response = client.get(CATALOG)
    page = response.content.decode()
    assert titles(response) == ["Aerodynamics", "Botany", "Chemistry"]
    image_url = reverse("portal:course-image", args=[pictured.pk])
    assert (
        f'<img class="course-card-image" src="{image_url}" alt="A wing in a wind tunnel" '
        'width="320" height="180" loading="lazy" decoding="async">'
    ) in page
    # A picture stored elsewhere keeps its address; without its size, a 16:9 frame.
    assert (
        f'src="https://images.example.org/leaf.jpg" alt="{outside.alt_text}" '
        'width="640" height="360" loading="lazy"'
    ) in page
    assert page.count('<img class="course-card-image"') == 2


def test_the_course_page_shows_its_picture_and_serves_the_file(client):
    course = CourseFactory()
    _image, data = stored_png(course)
    page = client.get(reverse("portal:course-detail", args=[course.pk])).content.decode()
    image_url = reverse("portal:course-image", args=[course.pk])
    assert (
        f'<img class="course-image" src="{image_url}" alt="A wing in a wind tunnel" '
        'width="320" height="180" loading="lazy"'
    ) in page
    response = client.get(image_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == data


def test_a_draft_s_picture_and_a_course_without_one_are_not_found(client):
    draft = CourseFactory(is_published=False)
    stored_png(draft)
    bare = CourseFactory()
    for course in (draft, bare):
        assert client.get(reverse("portal:course-image", args=[course.pk])).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("portal:course-image", args=[draft.pk])).status_code == 404
