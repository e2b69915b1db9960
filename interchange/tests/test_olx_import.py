"""Importing an Open edX OLX export: the tree, items, questions, assets and transcripts it
creates, what it reports, and all or nothing."""

import io
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from assessments.quizzes.models import Question, QuestionPool
from catalog.models import Course
from catalog.tests.tenants import build_tenants
from content.models import Asset, ContentItem
from content.rendering import render_item
from content.selectors import assets_for_university
from content.types.base import RenderContext
from interchange.archives import PackageRefused
from interchange.courses.services import olx_import
from syllabus.models import Module

pytestmark = pytest.mark.django_db
PHYSICS = Path(__file__).parent / "fixtures" / "olx" / "physics"


@pytest.fixture
def tenants(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_tenants()


def packed(tmp_path: Path) -> Path:
    """The fixture as Open edX exports it: a .tar.gz with everything in one top folder."""
    target = tmp_path / "physics.tar.gz"
    with tarfile.open(target, "w:gz") as archive:
        archive.add(PHYSICS, arcname="course")
    return target


def outline(course: Course) -> list[tuple[int, str, str]]:
    return [
        (m.depth, m.module_type, m.title)
        for m in Module.objects.filter(course=course).order_by("tree_id", "lft")
    ]


def test_import_builds_the_tree_in_order(tenants, tmp_path):
    report = olx_import(path=packed(tmp_path), university=tenants.university_a, course_code="P1")
    course = Course.objects.get(university=tenants.university_a, code="P1")
    assert report.course == course
    assert (course.title, course.language_code) == ("Introductory Physics", "fr")
    assert course.description == (
        "About This Course\n\nForces, motion and waves for first-year students."
    )
    rows = outline(course)
    assert [row[1:] for row in rows] == [
        ("course_root", "Introductory Physics"),
        ("unit", "Mechanics"),
        ("chapter", "Motion"),
        ("lesson", "Newton's laws"),
        ("quiz", "Check your understanding"),
        ("unit", "Waves"),
        ("chapter", "Wave motion"),
        ("lesson", "Waves on a string"),
    ]
    assert [row[0] for row in rows] == [0, 1, 2, 3, 3, 1, 2, 3]


def test_html_becomes_sanitised_text_blocks_with_math_and_images(tenants, tmp_path):
    olx_import(path=PHYSICS, university=tenants.university_a, course_code="P1")
    text = ContentItem.objects.get(module__course__code="P1", title="Welcome to mechanics")
    diagram = Asset.objects.get(university=tenants.university_a, meta_json__title="diagram.png")
    assert text.data_json == {
        "layout": "rich_text_v1",
        "title": "Welcome to mechanics",
        "blocks": [
            {"type": "paragraph", "text": "Forces"},
            {"type": "paragraph", "text": "Newton's second law says"},
            {"type": "math", "latex": "F = ma", "display": False},
            {"type": "paragraph", "text": "for a body of constant mass."},
            {"type": "math", "latex": "E_k = \\frac{1}{2} m v^2", "display": True},
            {"type": "paragraph", "text": "Momentum is"},
            {"type": "math", "latex": "p = mv", "display": False},
            {"type": "paragraph", "text": "; read more on momentum."},
            {
                "type": "link_list",
                "items": [
                    {"label": "more on momentum", "url": "https://en.wikipedia.org/wiki/Momentum"}
                ],
            },
            {"type": "image", "asset_id": diagram.pk, "alt": "A free-body diagram"},
            {"type": "paragraph", "text": "Forces add as vectors."},
        ],
    }
    assert "alert" not in str(text.data_json) and "steal" not in str(text.data_json)
    assert default_storage.exists(diagram.meta_json["storage_name"])


def test_videos_keep_youtube_ids_urls_and_transcripts(tenants):
    olx_import(path=PHYSICS, university=tenants.university_a, course_code="P1")
    newton = ContentItem.objects.get(module__course__code="P1", title="Newton's laws explained")
    assert newton.data_json == {
        "provider": "youtube",
        "video_id": "dQw4w9WgXcQ",
        "transcript": {
            "language": "en",
            "segments": [
                {"start": 0.0, "end": 3.5, "text": "An object at rest stays at rest."},
                {"start": 3.5, "end": 7.0, "text": "Force equals mass times acceleration."},
            ],
        },
    }
    wave = ContentItem.objects.get(module__course__code="P1", title="A standing wave")
    assert wave.data_json == {
        "provider": "internal",
        "url": "https://media.example.org/wave.mp4",
        "transcript": {
            "language": "en",
            "segments": [
                {"start": 0.0, "end": 2.5, "text": "A standing wave has nodes."},
                {"start": 2.5, "end": 6.0, "text": "Its ends do not move."},
            ],
        },
    }


def test_mapped_problems_become_questions_of_a_pool_and_a_quiz(tenants):
    olx_import(path=PHYSICS, university=tenants.university_a, course_code="P1")
    pool = QuestionPool.objects.get(course__code="P1", course__university=tenants.university_a)
    assert pool.title == "Check your understanding"
    questions = list(pool.questions.order_by("position").prefetch_related("choices"))
    summary = [
        (
            q.question_type,
            q.prompt,
            q.points,
            [(c.text, c.is_correct) for c in q.choices.order_by("position")],
            q.numeric_answer,
            q.numeric_tolerance,
            q.text_answer,
            q.text_match,
        )
        for q in questions
    ]
    assert summary == [
        (
            "single",
            "What is the SI unit of force?",
            2,
            [("Joule", False), ("Newton", True), ("Watt", False)],
            None,
            None,
            None,
            None,
        ),
        (
            "multiple",
            "Which of these are vectors?",
            1,
            [("Velocity", True), ("Mass", False), ("Force", True)],
            None,
            None,
            None,
            None,
        ),
        (
            "single",
            "A body at rest stays at rest unless acted on by a net force. This is Newton's ...",
            1,
            [("first law", True), ("second law", False), ("third law", False)],
            None,
            None,
            None,
            None,
        ),
        (
            "numeric",
            "What is the acceleration of free fall near the Earth's surface, in m/s²?",
            1,
            [],
            Decimal("9.81"),
            Decimal("0.05"),
            None,
            None,
        ),
        (
            "short_text",
            "Who wrote the Principia (1687)?",
            1,
            [],
            None,
            None,
            "(?i)(?:Isaac\\ Newton|Newton)",
            "regex",
        ),
    ]
    assert questions[0].explanation == "One newton is one kilogram metre per second squared."
    quiz = ContentItem.objects.get(module__course__code="P1", title="Check your understanding")
    assert quiz.data_json == {
        "question_pool_id": pool.pk,
        "quiz_mode": "practice",
        "num_questions_per_attempt": 5,
        "review_policy": "immediately",
    }


def test_report_counts_by_kind_and_names_every_unmapped_part(tenants):
    report = olx_import(path=PHYSICS, university=tenants.university_a, course_code="P1")
    assert dict(report.modules) == {"unit": 2, "chapter": 2, "lesson": 2, "quiz": 1}
    assert dict(report.items) == {"text": 1, "video": 2, "quiz": 1}
    assert (report.questions, report.assets, report.transcripts) == (5, 2, 2)
    assert report.warnings == [
        "video/intro_video.xml: the fr transcript is not kept (one per video)",
        "discussion/intro_discussion: inline discussions are not imported",
        "problem/p_custom.xml: customresponse: custom Python grading cannot run here",
        "problem/p_jsinput.xml: jsinput: JavaScript input problems cannot run here",
        "problem/p_image.xml: imageresponse: image-region problems are not supported",
        "openassessment/ora_essay: open response assessments (ORA) are not imported",
        "lti_consumer/lti_sim: LTI tools are not imported",
    ]


def test_dry_run_writes_nothing(tenants, tmp_path):
    before = (Course.objects.count(), Module.objects.count(), Asset.objects.count())
    report = olx_import(
        path=packed(tmp_path), university=tenants.university_a, course_code="P1", dry_run=True
    )
    assert report.course is None and report.questions == 5
    assert (Course.objects.count(), Module.objects.count(), Asset.objects.count()) == before


def test_a_taken_course_code_is_refused(tenants):
    before = (Course.objects.count(), Asset.objects.count())
    with pytest.raises(PackageRefused, match="already has a course with the code PHY101"):
        olx_import(path=PHYSICS, university=tenants.university_a)
    assert (Course.objects.count(), Asset.objects.count()) == before
    report = olx_import(path=PHYSICS, university=tenants.university_b, dry_run=True)
    assert report.code == "PHY101"


def _copy_with(tmp_path: Path, name: str, text: str) -> Path:
    import shutil

    target = tmp_path / "physics"
    shutil.copytree(PHYSICS, target)
    (target / name).write_text(text)
    return target


def test_a_failure_part_way_writes_nothing_and_removes_stored_files(tenants, tmp_path):
    """A video's item fails validation after the course, assets and modules were written."""
    broken = _copy_with(
        tmp_path,
        "video/intro_video.xml",
        '<video display_name="x"><source src="https://media.example.org/a wave.mp4"/></video>',
    )
    before = (Course.objects.count(), Module.objects.count(), Asset.objects.count())
    with pytest.raises(PackageRefused, match=r"^video/intro_video\.xml cannot be imported: "):
        olx_import(path=broken, university=tenants.university_a, course_code="P1")
    assert (Course.objects.count(), Module.objects.count(), Asset.objects.count()) == before
    assert Question.objects.filter(pool__course__code="P1").count() == 0
    media = Path(default_storage.location)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_a_malformed_problem_refuses_the_package(tenants, tmp_path):
    broken = _copy_with(
        tmp_path,
        "problem/p_choice.xml",
        "<problem><multiplechoiceresponse><label>Q</label><choicegroup>"
        '<choice correct="false">A</choice><choice correct="false">B</choice>'
        "</choicegroup></multiplechoiceresponse></problem>",
    )
    with pytest.raises(PackageRefused, match=r"problem/p_choice.xml: "):
        olx_import(path=broken, university=tenants.university_a, course_code="P1")
    assert not Course.objects.filter(code="P1").exists()


def test_xxe_in_course_xml_is_refused(tenants, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    hostile = _copy_with(
        tmp_path,
        "course.xml",
        f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<course url_name="2026_T1" org="DemoX" course="&x;"/>',
    )
    with pytest.raises(PackageRefused, match=r"course\.xml: The file declares XML entities"):
        olx_import(path=hostile, university=tenants.university_a, course_code="P1")
    assert not Course.objects.filter(code__in=["P1", "top secret"]).exists()


def test_not_an_olx_package(tenants, tmp_path):
    archive = tmp_path / "x.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("readme.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(PackageRefused, match=r"there is no course\.xml"):
        olx_import(path=archive, university=tenants.university_a)


def test_imported_text_and_video_render_with_math_image_and_transcript(tenants):
    olx_import(path=PHYSICS, university=tenants.university_a, course_code="P1")
    text = ContentItem.objects.get(module__course__code="P1", title="Welcome to mechanics")
    diagram = Asset.objects.get(university=tenants.university_a, meta_json__title="diagram.png")
    assets = assets_for_university(ids={diagram.pk}, university_id=tenants.university_a.pk)
    html = render_item("text", text.data_json, RenderContext(assets=assets))
    assert html.count("<math") == 3 and f'src="{diagram.url}"' in html
    assert 'alt="A free-body diagram"' in html and "alert" not in html
    video = ContentItem.objects.get(module__course__code="P1", title="Newton's laws explained")
    html = render_item("video", video.data_json, RenderContext(title=video.title))
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert "Force equals mass times acceleration." in html


def test_a_video_uploaded_to_open_edx_plays_from_its_asset(tenants, tmp_path):
    folder = _copy_with(
        tmp_path,
        "video/intro_video.xml",
        '<video display_name="Lab film"><source src="/static/lab.mp4"/>'
        '<transcript language="en" src="newton-en.srt"/></video>',
    )
    (folder / "static" / "lab.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    report = olx_import(path=folder, university=tenants.university_a, course_code="P1")
    film = Asset.objects.get(university=tenants.university_a, meta_json__title="lab.mp4")
    item = ContentItem.objects.get(module__course__code="P1", title="Lab film")
    assert film.asset_type == "video"
    assert item.data_json["provider"] == "internal"
    assert item.data_json["asset_id"] == film.pk
    assert item.data_json["transcript"]["segments"][0]["text"] == "An object at rest stays at rest."
    assert (report.assets, report.transcripts, report.items["video"]) == (3, 2, 2)
