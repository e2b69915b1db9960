"""No demo course refers to another course's material, and its self-hosted lectures play: every
quiz draws from a pool of its own course, every lab's files are its own, the templates name no
pool, and the internal videos stream an uploaded asset through the item to those enrolled."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.labs.models import LabFile
from assessments.quizzes.models import QuestionPool
from catalog.models import CourseEnrollment, EnrollmentStatus
from content.models import Asset, ContentItem, ContentType
from content.rendering import asset_ids
from demo.data import LECTURE_VIDEO_FILE
from demo.tests.test_demo_showcase import KNOWN_STUDENT, known_student_items
from demo.tests.test_seed_demo import seeded  # noqa: F401
from syllabus.models import ModuleTemplate
from tenancy.models import Role, User, UserUniversityRole

pytestmark = pytest.mark.django_db


def quiz_stubs(layout: dict) -> list[dict]:
    stubs = [s for s in layout.get("content", []) if s["content_type"] == ContentType.QUIZ]
    for child in layout.get("children", []):
        stubs += quiz_stubs(child)
    return stubs


def test_every_quiz_draws_from_a_pool_of_its_own_course(seeded):  # noqa: F811
    quizzes = list(ContentItem.objects.non_polymorphic().filter(content_type=ContentType.QUIZ))
    pools = QuestionPool.objects.in_bulk([q.data_json["question_pool_id"] for q in quizzes])
    assert len(quizzes) > 30
    assert [q.pk for q in quizzes if q.data_json["question_pool_id"] not in pools] == []
    assert [
        q.pk for q in quizzes if pools[q.data_json["question_pool_id"]].course_id != q.course_id
    ] == []
    assert [q.pk for q in quizzes if not q.is_active] == []
    # One pool per quiz: no two quizzes, in a course or across courses, share one.
    assert len({q.data_json["question_pool_id"] for q in quizzes}) == len(quizzes)
    assert QuestionPool.objects.count() == len(quizzes)


def test_templates_name_no_question_pool(seeded):  # noqa: F811
    stubs = [s for t in ModuleTemplate.objects.all() for s in quiz_stubs(t.default_data)]
    assert stubs
    assert [s for s in stubs if "data_json" in s] == []


def test_every_lab_has_its_own_files(seeded):  # noqa: F811
    labs = list(
        ContentItem.objects.non_polymorphic().filter(content_type=ContentType.ENGINEERING_LAB)
    )
    assert labs
    files: dict[int, set[str]] = {}
    for item_id, path in LabFile.objects.values_list("content_item_id", "path"):
        files.setdefault(item_id, set()).add(path)
    assert set(files) == {lab.pk for lab in labs}
    for lab in labs:
        listed = {f["path"] for f in lab.data_json["files"]}
        hidden = {f["path"] for f in lab.data_json["files"] if f["role"] == "hidden_test"}
        # Every file a lab has is one its own payload lists, its hidden tests among them
        # (MATLAB labs get only their test scripts, see demo/labs.py).
        assert hidden <= files[lab.pk] <= listed
        assert lab.is_active


def test_every_asset_an_item_shows_is_its_universitys_or_shared(seeded):  # noqa: F811
    owners = dict(Asset.objects.values_list("pk", "university_id"))
    items = ContentItem.objects.non_polymorphic().values_list(
        "pk", "content_type", "data_json", "university_id"
    )
    foreign = [
        (pk, asset_id)
        for pk, kind, data, university_id in items
        for asset_id in asset_ids(kind, data)
        if owners.get(asset_id, -1) not in (None, university_id)
    ]
    assert foreign == []


def self_hosted(_student, item: ContentItem) -> bool:
    return item.data_json["provider"] == "internal"


def test_self_hosted_demo_videos_stream_to_the_enrolled_student_only(seeded):  # noqa: F811
    videos = ContentItem.objects.non_polymorphic().filter(content_type=ContentType.VIDEO)
    internal = [v for v in videos if v.data_json["provider"] == "internal"]
    assert internal
    assert [v.pk for v in internal if v.data_json.get("url") or not v.data_json["asset_id"]] == []
    student, found = known_student_items(ContentType.VIDEO, self_hosted)
    offering, item = found[0]
    client = Client()
    client.force_login(student)
    page = client.get(
        reverse("portal:item", kwargs={"offering_id": offering.pk, "item_id": item.pk})
    )
    assert page.status_code == 200
    src = reverse(
        "portal:item-asset",
        kwargs={
            "offering_id": offering.pk,
            "item_id": item.pk,
            "asset_id": item.data_json["asset_id"],
        },
    )
    assert re.findall(r'<video[^>]* src="([^"]+)"', page.content.decode()) == [src]
    video = LECTURE_VIDEO_FILE.read_bytes()
    whole = client.get(src)
    assert whole.status_code == 200
    assert whole["Content-Type"] == "video/mp4"
    assert whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == video
    part = client.get(src, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 0-99/{len(video)}"
    assert b"".join(part.streaming_content) == video[:100]

    enrolled = CourseEnrollment.objects.filter(course_offering=offering).values_list("user_id")
    stranger = (
        User.objects.filter(
            pk__in=UserUniversityRole.objects.filter(
                role=Role.STUDENT, university_id=offering.university_id
            ).values_list("user_id")
        )
        .exclude(pk__in=enrolled)
        .exclude(email=KNOWN_STUDENT)
        .order_by("pk")
        .first()
    )
    assert stranger is not None
    other = Client()
    other.force_login(stranger)
    assert other.get(src).status_code == 404
    assert other.get(src, headers={"Range": "bytes=0-99"}).status_code == 404
    assert Client().get(src).status_code == 404
    assert EnrollmentStatus.ACTIVE in set(
        CourseEnrollment.objects.filter(user=student, course_offering=offering).values_list(
            "status", flat=True
        )
    )
