"""Typed editors: good payloads survive a round trip through the form, bad input gets field
errors and never a stored payload."""

import copy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import BaseFormSet

from catalog.tests.factories import CourseFactory
from content.models import Asset, ContentItem
from content.payloads import payload_errors
from content.services import content_item_create
from content.tests.factories import AssetFactory
from content.tests.test_models import VALID
from content.types import EDITOR_FORMS
from content.types import quiz as quiz_type
from content.types.editing import ItemEditorForm
from content.types.quiz import PoolOption
from syllabus.services import course_root, module_create

pytestmark = pytest.mark.django_db

ROUND_TRIP = {
    "video": {
        "provider": "youtube",
        "video_id": "dQw4w9WgXcQ",
        "duration_seconds": 212,
        "thumbnail_url": "https://img.example.edu/t.jpg",
        "transcript": {
            "language": "de",
            "segments": [
                {"start": 0.0, "end": 4.5, "text": "Willkommen."},
                {"start": 4.5, "end": 9.25, "text": "Heute: Gleichungen."},
            ],
        },
    },
    "quiz": {**VALID["quiz"], "time_limit_seconds": 1800},
    "engineering_lab": {**VALID["engineering_lab"], "env": {"VAR1": "value", "MODE": "a=b"}},
    "text": {
        "layout": "rich_text_v1",
        "title": "Linear equations",
        "blocks": [
            {"type": "paragraph", "text": "An equation of the first degree.\n\nTwo paragraphs."},
            {"type": "math", "latex": "2x + 1 = 5", "display": True},
            {"type": "math", "latex": "x = 2", "display": False},
            {"type": "image", "asset_id": None, "caption": "A line", "alt": "Graph of y = x"},
            {
                "type": "link_list",
                "items": [
                    {"label": "Notes", "url": "https://example.edu/notes"},
                    {"label": "Local | page", "url": "/courses/1/"},
                ],
            },
        ],
    },
    "assignment": {
        "instructions": "Solve problems 1-5.",
        "due_at": "2026-12-01T23:59:00Z",
        "max_points": 20,
        "submission_types": ["file", "text"],
        "allow_late": True,
    },
    "resource": {
        "resources": [
            {"label": "Lecture notes", "url": "https://example.edu/n.pdf", "kind": "pdf"},
            {"label": "Talk", "url": "https://example.edu/talk", "kind": "video"},
        ]
    },
}


@pytest.fixture(autouse=True)
def question_pools(monkeypatch):
    """Pools 12 and 3 in whichever course the quiz is in, as assessments would list them."""

    def pools(*, course_ids):
        return [
            PoolOption(
                id=12, course_id=course_ids[0], course_label="C", title="Bank", question_count=20
            ),
            PoolOption(
                id=3, course_id=course_ids[0], course_label="C", title="Small", question_count=5
            ),
        ]

    monkeypatch.setattr(quiz_type, "_pool_source", [pools])


@pytest.fixture
def module():
    course = CourseFactory()
    root = course_root(course=course)
    return module_create(course=course, parent=root, module_type="lesson", title="Lesson 1")


@pytest.fixture
def image(module):
    return AssetFactory(university=module.course.university, asset_type="image")


def editor(content_type: str, **kwargs) -> ItemEditorForm:
    form_class = EDITOR_FORMS[content_type]
    form_class = type(form_class.__name__, (form_class,), {"asset_queryset": Asset.objects.all()})
    return form_class(**kwargs)


def _field_data(form, data: dict) -> None:
    """What a browser submits for `form` left as it was rendered."""
    for bound in form:
        widget = bound.field.widget
        value = bound.value()
        if getattr(widget, "input_type", None) == "file":
            continue
        if widget.__class__.__name__ == "CheckboxInput":
            if value:
                data[bound.html_name] = "on"
        elif hasattr(widget, "decompress"):
            for i, part in enumerate(widget.decompress(value)):
                data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif value is not None:
            data[bound.html_name] = str(value)


def submitted(form: ItemEditorForm) -> dict:
    data: dict = {}
    _field_data(form, data)
    for formset in form.formsets.values():
        assert isinstance(formset, BaseFormSet)
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = str(value)
        for i, row in enumerate(formset.forms):
            _field_data(row, data)
            data[f"{row.prefix}-ORDER"] = str(i + 1)
            data.pop(f"{row.prefix}-DELETE", None)
    return data


@pytest.mark.parametrize("content_type", sorted(ROUND_TRIP))
def test_a_stored_payload_survives_the_editor_unchanged(module, image, content_type):
    payload = copy.deepcopy(ROUND_TRIP[content_type])
    if content_type == "text":
        payload["blocks"][3]["asset_id"] = image.pk
    assert payload_errors(content_type, payload) == []
    item, _ = content_item_create(
        module=module, content_type=content_type, title="Item", data_json=payload
    )
    item = ContentItem.objects.get(pk=item.pk)
    data = submitted(editor(content_type, instance=item))
    form = editor(content_type, data=data, instance=item)
    assert form.is_valid(), (form.errors, [fs.errors for fs in form.formsets.values()])
    assert form.payload == payload
    saved = form.save()
    assert ContentItem.objects.get(pk=saved.pk).data_json == payload


def test_text_blocks_follow_the_submitted_order_and_deletions(module):
    item, _ = content_item_create(
        module=module,
        content_type="text",
        title="T",
        data_json=ROUND_TRIP["text"]
        | {
            "blocks": [
                {"type": "paragraph", "text": "first"},
                {"type": "paragraph", "text": "second"},
                {"type": "paragraph", "text": "third"},
            ]
        },
    )
    data = submitted(editor("text", instance=item))
    data["blocks-0-ORDER"], data["blocks-2-ORDER"] = "3", "1"
    data["blocks-1-DELETE"] = "on"
    form = editor("text", data=data, instance=item)
    assert form.is_valid(), form.errors
    assert [b["text"] for b in form.payload["blocks"]] == ["third", "first"]


def new_item_data(module, **fields) -> dict:
    return {"module": str(module.pk), "title": "New", "is_active": "on", **fields}


def management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_video_transcript_upload_is_parsed_into_segments(module):
    vtt = b"WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.500\n<v Ana>Hello &amp; welcome\n\n"
    vtt += b"NOTE editor comment\n\n00:01:02.250 --> 00:01:05.000 align:start\nSecond\nline\n"
    data = new_item_data(
        module,
        provider="youtube",
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        transcript_language="en",
    )
    files = {"transcript_file": SimpleUploadedFile("t.vtt", vtt, "text/vtt")}
    form = editor("video", data=data, files=files)
    assert form.is_valid(), form.errors
    assert form.payload == {
        "provider": "youtube",
        "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "transcript": {
            "language": "en",
            "segments": [
                {"start": 0.0, "end": 2.5, "text": "Hello & welcome"},
                {"start": 62.25, "end": 65.0, "text": "Second line"},
            ],
        },
    }


def test_srt_transcripts_are_read_too(module):
    srt = "1\r\n00:00:01,000 --> 00:00:03,000\r\nÜbung\r\n\r\n"
    srt += "2\r\n01:00:00,5 --> 01:00:01,000\r\nB\r\n"
    data = new_item_data(module, provider="vimeo", video_id="76979871", transcript_language="de")
    files = {"transcript_file": SimpleUploadedFile("t.srt", srt.encode(), "application/x-subrip")}
    form = editor("video", data=data, files=files)
    assert form.is_valid(), form.errors
    assert form.payload["transcript"]["segments"] == [
        {"start": 1.0, "end": 3.0, "text": "Übung"},
        {"start": 3600.5, "end": 3601.0, "text": "B"},
    ]


BAD_INPUT = [
    ("video", {"provider": "youtube"}, {}, "video_id", "Give the video id or its URL."),
    ("video", {"provider": "internal"}, {}, "asset", "Pick an uploaded video or give its URL."),
    (
        "video",
        {"provider": "youtube", "url": "javascript:alert(1)"},
        {},
        "url",
        "Give an address starting with https:// or http://, or a path starting with /.",
    ),
    (
        "video",
        {"provider": "internal", "url": "/media/lectures/intro.mp4"},
        {},
        "url",
        "Addresses under /media/ are not served; upload the file to the asset library and pick it.",
    ),
    (
        "video",
        {"provider": "youtube", "video_id": "abcdefgh", "thumbnail_url": "/media/a/poster.jpg"},
        {},
        "thumbnail_url",
        "Addresses under /media/ are not served; upload the file to the asset library and pick it.",
    ),
    (
        "video",
        {"provider": "youtube", "video_id": "abcdefgh", "transcript_language": "en"},
        {"transcript_file": b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nBackwards\n"},
        "transcript_file",
        "Line 3: the cue ends before it starts.",
    ),
    (
        "video",
        {"provider": "youtube", "video_id": "abcdefgh", "transcript_language": "en"},
        {"transcript_file": b"WEBVTT\n\n00:00:01 --> 00:00:02\nNo millis\n"},
        "transcript_file",
        "Line 3: the timing line cannot be read.",
    ),
    (
        "quiz",
        {"question_pool_id": "0", "quiz_mode": "exam", "num_questions_per_attempt": "5"},
        {},
        "question_pool_id",
        "Choose one of this course's question pools.",
    ),
    (
        "quiz",
        {"question_pool_id": "3", "quiz_mode": "exam", "num_questions_per_attempt": "100000"},
        {},
        "num_questions_per_attempt",
        "The pool holds 5 questions; ask for 1 to 5.",
    ),
    (
        "quiz",
        {
            "question_pool_id": "3",
            "quiz_mode": "exam",
            "num_questions_per_attempt": "1",
            "mastery_threshold": "5",
            "mastery_max_attempts": "2",
        },
        {},
        "mastery_threshold",
        "can never be reached",
    ),
    (
        "engineering_lab",
        {
            "runtime": "matlab",
            "container_image": "Not An Image!",
            "timeout_seconds": "60",
            "grading_type": "manual",
            "grading_max_points": "10",
            **management("files", 1),
            "files-0-path": "main.m",
            "files-0-role": "student_visible",
        },
        {},
        "container_image",
        "Like registry.example.edu/labs/python:3.12.",
    ),
    (
        "engineering_lab",
        {
            "runtime": "matlab",
            "container_image": "matlab:r2024",
            "timeout_seconds": "60",
            "env": "GOOD=1\nbad name=2",
            "grading_type": "manual",
            "grading_max_points": "10",
            **management("files", 1),
            "files-0-path": "main.m",
            "files-0-role": "student_visible",
        },
        {},
        "env",
        "Line 2: write NAME=value with a name of letters, digits and _.",
    ),
    (
        "assignment",
        {"instructions": "", "max_points": "-1"},
        {},
        "instructions",
        "This field is required.",
    ),
]


@pytest.mark.parametrize(("content_type", "fields", "uploads", "field", "message"), BAD_INPUT)
def test_bad_input_gets_a_field_error(module, content_type, fields, uploads, field, message):
    files = {n: SimpleUploadedFile("upload.vtt", raw) for n, raw in uploads.items()}
    form = editor(content_type, data=new_item_data(module, **fields), files=files)
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors
    assert form.payload is None
    assert ContentItem.objects.count() == 0


def test_a_negative_duration_is_refused_on_its_field_in_words(module):
    data = new_item_data(module, instructions="Write it up.", estimated_duration_seconds="-60")
    form = editor("assignment", data=data)
    assert not form.is_valid()
    assert form.errors == {"estimated_duration_seconds": ["A duration cannot be negative."]}
    assert ContentItem.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"type": "math", "latex": r"\frac{1}{"}, "latex", "cannot be displayed"),
        ({"type": "math", "latex": ""}, "latex", "This block needs this."),
        ({"type": "paragraph", "text": ""}, "text", "This block needs this."),
        ({"type": "image"}, "asset", "This block needs this."),
        ({"type": "link_list", "links": "Home https://x.edu"}, "links", "Line 1: write the label"),
        ({"type": "link_list", "links": "Bad | ftp://x.edu"}, "links", "Line 1: Give an address"),
    ],
)
def test_bad_text_blocks_are_marked_on_their_row(module, row, field, message):
    data = new_item_data(module, **management("blocks", 1))
    data.update({f"blocks-0-{k}": v for k, v in row.items()})
    form = editor("text", data=data)
    assert not form.is_valid()
    assert "Some rows below have problems; they are marked." in form.errors["__all__"]
    row_errors = form.formsets["blocks"].forms[0].errors[field]
    assert any(message in e for e in row_errors), row_errors
    assert form.payload is None


def test_a_text_needs_at_least_one_block(module):
    data = new_item_data(module, **management("blocks", 0))
    form = editor("text", data=data)
    assert not form.is_valid()
    assert form.formsets["blocks"].non_form_errors() == ["Please submit at least 1 form."]


def test_another_universitys_image_cannot_be_picked(module):
    foreign = AssetFactory(asset_type="image")
    data = new_item_data(module, **management("blocks", 1), **{"blocks-0-type": "image"})
    data["blocks-0-asset"] = str(foreign.pk)
    own = Asset.objects.filter(university=module.course.university)
    form_class = type("F", (EDITOR_FORMS["text"],), {"asset_queryset": own})
    form = form_class(data=data)
    assert not form.is_valid()
    assert "Select a valid choice" in form.formsets["blocks"].forms[0].errors["asset"][0]


def test_unit_test_grading_without_a_hidden_test_is_refused(module):
    data = new_item_data(
        module,
        runtime="python-datascience",
        container_image="python:3.12",
        timeout_seconds="60",
        grading_type="unit_tests",
        grading_max_points="10",
        **management("files", 1),
        **{"files-0-path": "lab.py", "files-0-role": "student_visible"},
    )
    form = editor("engineering_lab", data=data)
    assert not form.is_valid()
    assert form.errors["__all__"] == ["unit-test grading needs at least one hidden_test file"]
