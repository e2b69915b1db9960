"""Course pictures: only an image of the course's own university, always with alternative
text, one per course; read for a page of courses in one query; chosen in the admin within the
user's tenants."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.tests.factories import CourseFactory
from catalog.tests.tenants import build_tenants
from content.models import CourseImage
from content.selectors import course_images
from content.services import course_image_set
from content.tests.factories import AssetFactory, CourseImageFactory

pytestmark = pytest.mark.django_db


def test_a_course_gets_one_picture_which_a_second_choice_replaces():
    course = CourseFactory()
    first, second = (AssetFactory(university=course.university) for _ in range(2))
    course_image_set(course=course, asset=first, alt_text="  A wind tunnel  ")
    course_image_set(course=course, asset=second, alt_text="A turbine blade")
    assert list(CourseImage.objects.values_list("course_id", "asset_id", "alt_text")) == [
        (course.pk, second.pk, "A turbine blade")
    ]


@pytest.mark.parametrize(
    ("asset", "alt_text", "errors"),
    [
        ("foreign", "A lab", {"asset": ["Choose an image of the course's own university."]}),
        ("shared", "A lab", {"asset": ["Choose an image of the course's own university."]}),
        ("pdf", "A lab", {"asset": ["Choose an image."]}),
        (
            "own",
            "   ",
            {"alt_text": ["Say what the image shows, for readers who cannot see it."]},
        ),
    ],
)
def test_bad_choices_are_refused_with_a_message_and_change_nothing(asset, alt_text, errors):
    course = CourseFactory()
    kept = CourseImageFactory(course=course)
    chosen = {
        "foreign": lambda: AssetFactory(university=CourseFactory().university),
        "shared": lambda: AssetFactory(university=None),
        "pdf": lambda: AssetFactory(university=course.university, asset_type="pdf"),
        "own": lambda: AssetFactory(university=course.university),
    }[asset]()
    with pytest.raises(ValidationError) as refused:
        course_image_set(course=course, asset=chosen, alt_text=alt_text)
    assert refused.value.message_dict == errors
    assert list(CourseImage.objects.values_list("asset_id", "alt_text")) == [
        (kept.asset_id, kept.alt_text)
    ]


def test_the_pictures_of_a_page_of_courses_are_one_query(django_assert_num_queries):
    images = [CourseImageFactory() for _ in range(3)]
    bare = CourseFactory()
    # A picture whose asset moved to another university since is left out.
    moved = CourseImageFactory()
    moved.asset.university = CourseFactory().university
    moved.asset.save()
    with django_assert_num_queries(1):
        found = course_images(course_ids=[*(i.course_id for i in images), bare.pk, moved.pk])
    assert {
        pk: (row.asset.id, row.alt_text, row.width, row.height) for pk, row in found.items()
    } == {i.course_id: (i.asset_id, i.alt_text, 640, 480) for i in images}


@pytest.fixture
def tenants(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()


ADD = reverse("admin:content_courseimage_add")


def test_the_admin_offers_the_own_university_images_and_saves_through_the_service(client, tenants):
    own = AssetFactory(university=tenants.university_a, meta_json={"title": "Own lab photo"})
    AssetFactory(university=tenants.course_b1.university, meta_json={"title": "Other photo"})
    AssetFactory(university=tenants.university_a, asset_type="pdf", meta_json={"title": "Notes"})
    client.force_login(tenants.user("university_admin"))
    form = client.get(ADD).content.decode()
    assert "Own lab photo" in form
    assert "Other photo" not in form and "Notes" not in form
    assert "HIS101" in form and tenants.course_b1.code not in form

    response = client.post(
        ADD, {"course": tenants.course_a1.pk, "asset": own.pk, "alt_text": "Our lab"}
    )
    assert response.status_code == 302
    assert list(CourseImage.objects.values_list("course_id", "asset_id", "alt_text")) == [
        (tenants.course_a1.pk, own.pk, "Our lab")
    ]


def test_the_admin_refuses_another_university_s_course_or_image(client, tenants):
    own = AssetFactory(university=tenants.university_a)
    foreign = AssetFactory(university=tenants.course_b1.university)
    client.force_login(tenants.user("university_admin"))
    for course, asset in ((tenants.course_b1, own), (tenants.course_a1, foreign)):
        response = client.post(ADD, {"course": course.pk, "asset": asset.pk, "alt_text": "x"})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not CourseImage.objects.exists()
