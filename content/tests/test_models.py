"""One table, one Python class per content type, and a payload that is always valid."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from catalog.tests.factories import CourseFactory
from content.models import (
    ITEM_CLASSES,
    AssignmentItem,
    ContentItem,
    EngineeringLabItem,
    QuizItem,
    ResourceItem,
    TextItem,
    VideoItem,
)
from content.payloads import payload_errors
from content.services import content_item_create, content_item_update, module_from_template
from content.tests.factories import TEXT_PAYLOAD, VIDEO_PAYLOAD
from syllabus.services import course_root, module_create
from syllabus.tests.factories import ModuleTemplateFactory

pytestmark = pytest.mark.django_db

VALID = {
    "video": VIDEO_PAYLOAD,
    "quiz": {
        "question_pool_id": 12,
        "quiz_mode": "exam",
        "num_questions_per_attempt": 10,
        "randomize_order": True,
        "time_limit_seconds": None,
        "mastery": {"points": 50, "threshold_correct_in_row": 3, "max_attempts": 5},
    },
    "engineering_lab": {
        "lab_type": "code",
        "runtime": "python-datascience",
        "container_image": "registry.example.edu/labs/python:3.12",
        "cpu_limit": "1",
        "memory_limit": "2Gi",
        "timeout_seconds": 3600,
        "entrypoint": "jupyter-lab",
        "env": {"VAR1": "value"},
        "files": [
            {"path": "notebooks/lab.ipynb", "role": "student_visible"},
            {"path": "tests/test_basic.py", "role": "hidden_test"},
        ],
        "grading": {"type": "unit_tests", "max_points": 100},
    },
    "text": TEXT_PAYLOAD,
    "assignment": {"instructions": "Solve problems 1-5.", "due_at": "2026-12-01T23:59:00Z"},
    "resource": {
        "resources": [{"label": "Lecture notes", "url": "https://example.edu/n.pdf", "kind": "pdf"}]
    },
}

# One wrong payload per type, with the message that must name what is wrong.
INVALID = [
    ("video", {**VIDEO_PAYLOAD, "provider": "tiktok"}, "provider: 'tiktok' is not one of"),
    (
        "video",
        {"provider": "youtube", "transcript": {"language": "en", "segments": [{"start": "x"}]}},
        "transcript.segments[0]: 'end' is a required property",
    ),
    ("video", {"provider": "internal"}, "'asset_id' is a required property"),
    ("quiz", {**VALID["quiz"], "num_questions_per_attempt": 0}, "num_questions_per_attempt: 0"),
    ("quiz", {**VALID["quiz"], "quiz_mode": "survey"}, "quiz_mode: 'survey' is not one of"),
    (
        "engineering_lab",
        {**VALID["engineering_lab"], "files": [{"path": "a.py", "role": "student_visible"}]},
        "files: unit-test grading needs at least one hidden_test file",
    ),
    (
        "engineering_lab",
        {**VALID["engineering_lab"], "memory_limit": "lots"},
        "memory_limit: 'lots' does not match",
    ),
    (
        "text",
        {"layout": "rich_text_v1", "blocks": [{"type": "math"}]},
        "blocks[0]: 'latex' is a required property",
    ),
    (
        "text",
        {"layout": "rich_text_v1", "blocks": [{"type": "marquee", "text": "hi"}]},
        "blocks[0].type: 'marquee' is not one of",
    ),
    ("assignment", {"due_at": "tomorrow"}, "'instructions' is a required property"),
    (
        "assignment",
        {"instructions": "Do it", "due_at": "next week"},
        "due_at: 'next week' is not a 'date-time'",
    ),
    (
        "resource",
        {"resources": [{"label": "x", "url": "javascript:alert(1)", "kind": "pdf"}]},
        "resources[0].url: 'javascript:alert(1)' does not match",
    ),
    ("resource", [], "(payload): [] is not of type 'object'"),
]


@pytest.fixture
def module():
    course = CourseFactory()
    root = course_root(course=course)
    return module_create(course=course, parent=root, module_type="lesson", title="Lesson 1")


@pytest.mark.parametrize("content_type", sorted(VALID))
def test_round_trip_returns_the_class_of_the_type(module, content_type):
    item, _ = content_item_create(
        module=module, content_type=content_type, title=content_type, data_json=VALID[content_type]
    )
    loaded = ContentItem.objects.get(pk=item.pk)
    assert type(loaded) is ITEM_CLASSES[content_type]
    assert loaded.content_type == content_type
    assert loaded.data_json == VALID[content_type]
    assert (loaded.course_id, loaded.university_id) == (
        module.course_id,
        module.course.university_id,
    )


def test_mixed_queryset_yields_each_class(module):
    for content_type, payload in VALID.items():
        content_item_create(module=module, content_type=content_type, title="x", data_json=payload)
    classes = [
        type(i) for i in ContentItem.objects.filter(module=module).order_by("sequence_index")
    ]
    assert classes == [
        VideoItem,
        QuizItem,
        EngineeringLabItem,
        TextItem,
        AssignmentItem,
        ResourceItem,
    ]
    assert list(
        ContentItem.objects.filter(module=module).values_list("sequence_index", flat=True)
    ) == [1, 2, 3, 4, 5, 6]
    assert QuizItem.objects.count() == 1


@pytest.mark.parametrize(("content_type", "payload", "message"), INVALID)
def test_bad_payload_gets_a_field_error_and_no_row(module, content_type, payload, message):
    with pytest.raises(ValidationError) as excinfo:
        content_item_create(module=module, content_type=content_type, title="t", data_json=payload)
    errors = excinfo.value.message_dict["data_json"]
    assert any(message in e for e in errors), errors
    assert ContentItem.objects.count() == 0


def test_every_valid_example_has_no_errors():
    assert {name: payload_errors(name, p) for name, p in VALID.items()} == {
        name: [] for name in VALID
    }


def test_update_with_bad_payload_leaves_the_row_as_it_was(module):
    item, _ = content_item_create(
        module=module, content_type="text", title="Intro", data_json=VALID["text"]
    )
    broken = copy.deepcopy(VALID["text"])
    broken["blocks"][1]["latex"] = ""
    with pytest.raises(ValidationError) as excinfo:
        content_item_update(item=item, title="Changed", data_json=broken)
    assert "blocks[1].latex" in str(excinfo.value)
    item.refresh_from_db()
    assert (item.title, item.data_json) == ("Intro", VALID["text"])


def test_course_and_university_follow_the_module_not_the_caller(module):
    other = CourseFactory()
    item = TextItem(module=module, title="t", data_json=VALID["text"], sequence_index=1)
    item.course_id, item.university_id = other.pk, other.university_id
    item.full_clean()
    item.save()
    item.refresh_from_db()
    assert (item.course_id, item.university_id) == (module.course_id, module.course.university_id)


def test_base_class_cannot_be_saved_without_a_type(module):
    with pytest.raises(ValidationError):
        ContentItem(module=module, title="t", data_json={}).full_clean()


def test_template_builds_its_layout_in_one_step(module):
    template = ModuleTemplateFactory(
        template_type="lesson",
        title="Standard lesson",
        default_data={
            "content": [{"content_type": "video", "title": "Lecture", "data_json": VIDEO_PAYLOAD}],
            "children": [
                {
                    "module_type": "topic",
                    "title": "Practice",
                    "content": [
                        {"content_type": "text", "title": "Notes", "data_json": TEXT_PAYLOAD}
                    ],
                }
            ],
        },
    )
    lesson, _ = module_from_template(template=template, parent=module)
    assert lesson.module_template_id == template.pk
    assert [type(i) for i in lesson.content_items.all()] == [VideoItem]
    topic = lesson.get_children().get()
    assert (topic.title, topic.depth) == ("Practice", module.depth + 2)
    assert [i.title for i in topic.content_items.all()] == ["Notes"]


def test_template_with_a_bad_stub_writes_nothing(module):
    template = ModuleTemplateFactory(
        default_data={
            "children": [
                {
                    "module_type": "topic",
                    "title": "Practice",
                    "content": [{"content_type": "text", "title": "Bad", "data_json": {}}],
                }
            ]
        }
    )
    before = module.get_descendant_count()
    with pytest.raises(ValidationError), transaction.atomic():
        module_from_template(template=template, parent=module)
    module.refresh_from_db()
    assert module.get_descendant_count() == before
    assert ContentItem.objects.count() == 0
