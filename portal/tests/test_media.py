"""Uploaded files reach exactly those who may see them: library assets through the items that
show them, submitted work to its owner and the offering's staff; everyone else gets a 404."""

import importlib
import io
from dataclasses import dataclass

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from django.views.static import serve as static_serve
from PIL import Image

from assessments.labs.models import LabSubmission
from assessments.tests import trees
from catalog.models import CourseOffering, CourseOfferingInstructor, EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from content.models import Asset, ContentItem
from content.selectors import outline_cache_clear
from content.services import asset_upload
from portal.views.media import item_asset_url
from tenancy.models import Role, User
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

VIDEO_BYTES = bytes(range(256)) * 40  # 10 240 bytes


def png_bytes(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEDIA_SERVE_MODE = "django"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    outline_cache_clear()
    yield tmp_path / "media"
    outline_cache_clear()


@dataclass
class World:
    offering: CourseOffering
    image: Asset
    video: Asset
    text: ContentItem
    hidden_text: ContentItem
    video_item: ContentItem
    student: User

    def url(self, item: ContentItem, asset: Asset) -> str:
        return item_asset_url(self.offering.pk, item.pk, asset.pk)


def image_payload(asset_id: int) -> dict:
    return {
        "layout": "rich_text_v1",
        "title": "Forces",
        "blocks": [
            {"type": "paragraph", "text": "A free-body diagram."},
            {"type": "image", "asset_id": asset_id, "alt": "Forces on a block"},
        ],
    }


def build_world() -> World:
    offering = OfferingFactory()
    university_id = offering.course.university_id
    image = asset_upload(
        university_id=university_id,
        upload=SimpleUploadedFile("forces.png", png_bytes(), "image/png"),
        meta={"alt": "Forces on a block"},
    )
    video = asset_upload(
        university_id=university_id,
        upload=SimpleUploadedFile("lecture.mp4", VIDEO_BYTES, "video/mp4"),
    )
    root = trees.root(offering.course)
    unit = trees.module(root, "Unit 1")
    draft = trees.module(root, "Unit 2", published=False)
    text = trees.item(unit, "Reading", data=image_payload(image.pk))
    hidden_text = trees.item(draft, "Draft reading", data=image_payload(image.pk))
    video_item = trees.item(
        unit, "Lecture", "video", data={"provider": "internal", "asset_id": video.pk}
    )
    student = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.ACTIVE).user
    return World(offering, image, video, text, hidden_text, video_item, student)


@pytest.fixture
def world() -> World:
    return build_world()


def instructor_of(offering: CourseOffering) -> User:
    user = UserFactory()
    RoleFactory(user=user, university=offering.university, role=Role.INSTRUCTOR)
    CourseOfferingInstructor.objects.create(course_offering=offering, user=user)
    return user


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# Library assets in the player -------------------------------------------------------------


def test_an_enrolled_student_gets_the_image_with_its_type_and_length(client, world):
    client.force_login(world.student)

    response = client.get(world.url(world.text, world.image))

    assert response.status_code == 200
    assert body(response) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Length"] == str(len(png_bytes()))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="forces.png"'


def test_the_player_page_links_assets_only_through_the_checking_view(client, world):
    client.force_login(world.student)

    text = client.get(reverse("portal:item", args=[world.offering.pk, world.text.pk]))
    video = client.get(reverse("portal:item", args=[world.offering.pk, world.video_item.pk]))

    assert f'src="{world.url(world.text, world.image)}"' in text.content.decode()
    assert f'src="{world.url(world.video_item, world.video)}"' in video.content.decode()
    assert b"/media/" not in text.content + video.content


def test_the_raw_media_address_serves_nothing(client, world):
    client.force_login(world.student)
    name = world.image.meta_json["storage_name"]
    assert default_storage.exists(name)

    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(world.image.url).status_code == 404


def test_no_route_serves_the_media_folder_even_with_debug_on(settings):
    settings.DEBUG = True
    try:
        urls = importlib.reload(importlib.import_module("lms.urls"))
        views = {getattr(p, "callback", None) for p in urls.urlpatterns}
        with pytest.raises(Resolver404):
            resolve("/media/assets/1/abc/forces.png", urlconf=urls)
    finally:
        settings.DEBUG = False
        importlib.reload(urls)

    assert static_serve not in views


def test_anonymous_visitors_get_a_404(client, world):
    response = client.get(world.url(world.text, world.image))

    assert response.status_code == 404


def test_a_student_not_enrolled_gets_a_404(client, world):
    outsider = UserFactory()
    RoleFactory(user=outsider, university=world.offering.university, role=Role.STUDENT)
    client.force_login(outsider)

    assert client.get(world.url(world.text, world.image)).status_code == 404


@pytest.mark.parametrize(
    "status", [EnrollmentStatus.PENDING, EnrollmentStatus.WAITLISTED, EnrollmentStatus.DROPPED]
)
def test_enrollments_that_do_not_learn_get_a_404(client, world, status):
    student = EnrollmentFactory(course_offering=world.offering, status=status).user
    client.force_login(student)

    assert client.get(world.url(world.text, world.image)).status_code == 404


def test_an_unpublished_item_hides_its_image_from_students_not_from_staff(client, world):
    client.force_login(world.student)
    denied = client.get(world.url(world.hidden_text, world.image))
    client.force_login(instructor_of(world.offering))
    allowed = client.get(world.url(world.hidden_text, world.image))

    assert denied.status_code == 404
    assert allowed.status_code == 200
    assert body(allowed) == png_bytes()


def test_an_asset_the_item_does_not_show_is_a_404(client, world):
    client.force_login(world.student)

    assert client.get(world.url(world.text, world.video)).status_code == 404
    assert client.get(world.url(world.video_item, world.image)).status_code == 404


def test_another_universitys_asset_is_a_404_even_when_an_item_names_it(client, world):
    other = build_world()
    world.text.data_json = image_payload(other.image.pk)
    world.text.save()
    client.force_login(world.student)

    assert client.get(world.url(world.text, other.image)).status_code == 404


def test_an_item_of_another_course_is_a_404(client, world):
    other = build_world()
    client.force_login(world.student)

    response = client.get(item_asset_url(world.offering.pk, other.text.pk, other.image.pk))

    assert response.status_code == 404


def test_a_student_of_another_university_gets_a_404(client, world):
    other = build_world()
    client.force_login(other.student)

    assert client.get(world.url(world.text, world.image)).status_code == 404


def test_a_file_gone_from_storage_is_a_404(client, world):
    default_storage.delete(world.image.meta_json["storage_name"])
    client.force_login(world.student)

    assert client.get(world.url(world.text, world.image)).status_code == 404


# Videos: ranges and lengths -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=10000-", 10000, 10239),
        ("bytes=-40", 10200, 10239),
        ("bytes=10200-99999", 10200, 10239),
    ],
)
def test_a_video_range_gets_exactly_those_bytes(client, world, header, first, last):
    client.force_login(world.student)

    response = client.get(world.url(world.video_item, world.video), headers={"Range": header})

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/10240"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == VIDEO_BYTES[first : last + 1]


def test_a_whole_video_has_its_length_and_accepts_ranges(client, world):
    client.force_login(world.student)

    response = client.get(world.url(world.video_item, world.video))
    head = client.head(world.url(world.video_item, world.video))

    assert response.status_code == 200
    assert response["Content-Length"] == "10240"
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == VIDEO_BYTES
    assert head.status_code == 200
    assert head["Content-Length"] == "10240"
    assert head.content == b""


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=500-100", "bytes=-0"])
def test_a_range_past_the_end_is_416_with_the_size(client, world, header):
    client.force_login(world.student)

    response = client.get(world.url(world.video_item, world.video), headers={"Range": header})

    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */10240"


@pytest.mark.parametrize("header", ["bytes=0-1,5-9", "items=0-4", "bytes=x-y"])
def test_ranges_it_does_not_handle_get_the_whole_file(client, world, header):
    client.force_login(world.student)

    response = client.get(world.url(world.video_item, world.video), headers={"Range": header})

    assert response.status_code == 200
    assert body(response) == VIDEO_BYTES


# Submitted work -----------------------------------------------------------------------------


@pytest.fixture
def submission(world) -> LabSubmission:
    lab = trees.item(world.text.module, "Lab", "engineering_lab")
    name = default_storage.save(
        f"labs/u{world.offering.university_id}/o{world.offering.pk}/i{lab.pk}/work.zip",
        io.BytesIO(b"PK-zip-bytes"),
    )
    return LabSubmission.objects.create(
        user=world.student,
        course_offering=world.offering,
        content_item=lab,
        artifacts_url=name,
    )


def portal_download(submission: LabSubmission) -> str:
    return reverse(
        "portal:lab-submission-download",
        kwargs={
            "offering_id": submission.course_offering_id,
            "item_id": submission.content_item_id,
            "submission_id": submission.pk,
        },
    )


def admin_download(submission: LabSubmission) -> str:
    return reverse("admin:assessments_labsubmission_files", args=[submission.pk])


def test_the_owner_downloads_their_submission_as_an_attachment(client, world, submission):
    client.force_login(world.student)

    response = client.get(portal_download(submission))

    assert response.status_code == 200
    assert body(response) == b"PK-zip-bytes"
    assert response["Content-Type"] == "application/zip"
    assert (
        response["Content-Disposition"] == f'attachment; filename="submission-{submission.pk}.zip"'
    )


def test_others_get_a_404_for_a_submission_in_the_portal(client, world, submission):
    classmate = EnrollmentFactory(
        course_offering=world.offering, status=EnrollmentStatus.ACTIVE
    ).user
    anonymous = client.get(portal_download(submission))
    client.force_login(classmate)
    by_classmate = client.get(portal_download(submission))
    client.force_login(UserFactory())
    by_stranger = client.get(portal_download(submission))

    assert (anonymous.status_code, by_classmate.status_code, by_stranger.status_code) == (
        404,
        404,
        404,
    )


def test_the_offerings_instructor_downloads_it_from_the_admin(client, world, submission):
    client.force_login(instructor_of(world.offering))

    page = client.get(reverse("admin:assessments_labsubmission_change", args=[submission.pk]))
    response = client.get(admin_download(submission))

    assert admin_download(submission) in page.content.decode()
    assert response.status_code == 200
    assert body(response) == b"PK-zip-bytes"
    assert response["Content-Disposition"].startswith("attachment;")


def test_staff_of_another_offering_or_university_get_a_404_in_the_admin(client, world, submission):
    other = build_world()
    other_instructor = instructor_of(other.offering)
    same_university = instructor_of(OfferingFactory(course__university=world.offering.university))
    other_admin = UserFactory()
    RoleFactory(user=other_admin, university=other.offering.university, role=Role.UNIVERSITY_ADMIN)
    statuses = []
    for user in (other_instructor, same_university, other_admin, world.student):
        client.force_login(user)
        statuses.append(client.get(admin_download(submission)).status_code)
    client.logout()
    anonymous = client.get(admin_download(submission))

    assert statuses[:3] == [404, 404, 404]
    assert statuses[3] in (302, 404)
    assert anonymous.status_code == 302
    assert "/admin/login/" in anonymous["Location"]


# The asset library in the admin ------------------------------------------------------------


def test_library_staff_open_an_asset_and_its_thumbnail_in_the_admin(client, world):
    admin = UserFactory()
    RoleFactory(user=admin, university=world.offering.university, role=Role.UNIVERSITY_ADMIN)
    client.force_login(admin)

    change = client.get(reverse("admin:content_asset_change", args=[world.image.pk]))
    file = client.get(reverse("admin:content_asset_file", args=[world.image.pk]))
    thumb = client.get(reverse("admin:content_asset_thumbnail", args=[world.image.pk]))

    assert (
        reverse("admin:content_asset_thumbnail", args=[world.image.pk]) in change.content.decode()
    )
    assert b'src="/media/' not in change.content
    assert world.image.url not in change.content.decode()
    file_url = reverse("admin:content_asset_file", args=[world.image.pk])
    assert f'<a href="{file_url}">{file_url}</a>' in change.content.decode()
    assert (file.status_code, thumb.status_code) == (200, 200)
    assert body(file) == png_bytes()
    assert thumb["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(body(thumb))) as image:
        assert image.size == (64, 48)


def test_staff_of_another_university_get_a_404_for_an_asset(client, world):
    other = build_world()
    admin = UserFactory()
    RoleFactory(user=admin, university=other.offering.university, role=Role.UNIVERSITY_ADMIN)
    client.force_login(admin)

    file = client.get(reverse("admin:content_asset_file", args=[world.image.pk]))
    thumb = client.get(reverse("admin:content_asset_thumbnail", args=[world.image.pk]))

    assert (file.status_code, thumb.status_code) == (404, 404)


def test_the_admin_preview_of_an_item_links_images_through_the_admin(client, world):
    admin = UserFactory()
    RoleFactory(user=admin, university=world.offering.university, role=Role.UNIVERSITY_ADMIN)
    client.force_login(admin)

    response = client.get(reverse("admin:content_contentitem_preview", args=[world.text.pk]))

    assert response.status_code == 200
    assert reverse("admin:content_asset_file", args=[world.image.pk]) in response.content.decode()
    assert b'src="/media/' not in response.content
