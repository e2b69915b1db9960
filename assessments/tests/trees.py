"""Course trees with content for player and progress tests, built through the services so MPTT
columns, depth and sequence numbers are right, and what learners' module progress records on
them."""

import copy
from decimal import Decimal
from typing import Any

from assessments.progress.models import UserModuleProgress
from assessments.progress.tree_changes import tracked
from catalog.models import Course
from content.models import ContentItem
from content.services import content_item_create
from content.tests.factories import TEXT_PAYLOAD, VIDEO_PAYLOAD
from syllabus.models import Module
from syllabus.services import course_root, module_create

PAYLOADS: dict[str, dict[str, Any]] = {
    "video": VIDEO_PAYLOAD,
    "text": TEXT_PAYLOAD,
    "quiz": {
        "question_pool_id": 12,
        "quiz_mode": "exam",
        "num_questions_per_attempt": 10,
        "randomize_order": True,
        "time_limit_seconds": 1800,
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
        "env": {"API_TOKEN": "secret-value"},
        "files": [
            {"path": "notebooks/lab.ipynb", "role": "student_visible"},
            {"path": "tests/test_hidden.py", "role": "hidden_test"},
        ],
        "grading": {"type": "unit_tests", "max_points": 100},
    },
    "assignment": {
        "instructions": "Solve problems 1-5.\nShow your work.",
        "due_at": "2026-12-01T23:59:00Z",
        "max_points": 20,
        "submission_types": ["file", "text"],
        "allow_late": False,
    },
    "resource": {
        "resources": [
            {"label": "Lecture notes", "url": "https://example.edu/notes.pdf", "kind": "pdf"}
        ]
    },
}


def payload(content_type: str) -> dict[str, Any]:
    return copy.deepcopy(PAYLOADS[content_type])


def root(course: Course) -> Module:
    return course_root(course=course)


def module(
    parent: Module, title: str, *, module_type: str = "unit", published: bool = True
) -> Module:
    return module_create(
        course=parent.course,
        parent=parent,
        module_type=module_type,
        title=title,
        is_published=published,
    )


def item(
    parent: Module,
    title: str,
    content_type: str = "text",
    *,
    data: dict[str, Any] | None = None,
    active: bool = True,
) -> ContentItem:
    return tracked(
        content_item_create,
        module=parent,
        content_type=content_type,
        title=title,
        data_json=data if data is not None else payload(content_type),
        is_active=active,
    )


def wide_tree(course: Course, *, fanout: int = 3, levels: int = 3) -> tuple[Module, list]:
    """A root with `levels` levels of `fanout` children below it (4 levels with the root) and
    two items on every module below the root. Returns the root and the items in outline
    order."""
    top = root(course)
    items: list[ContentItem] = []
    types = ["video", "text"]

    def grow(parent: Module, depth: int, label: str) -> None:
        for n in range(1, fanout + 1):
            name = f"{label}.{n}" if label else str(n)
            child = module(
                parent, f"Module {name}", module_type=["unit", "chapter", "lesson"][min(depth, 2)]
            )
            for k, content_type in enumerate(types, start=1):
                items.append(item(child, f"Item {name}-{k}", content_type))
            if depth + 1 < levels:
                grow(child, depth + 1, name)

    grow(top, 0, "")
    return top, items


def recorded(student) -> dict[str, tuple[Decimal, bool]]:
    return {
        row.module.title if row.module.parent_id else "root": (
            row.progress_percent,
            row.completed_at is not None,
        )
        for row in UserModuleProgress.objects.filter(user=student).select_related("module")
    }


def completed_at(learner, module):
    return UserModuleProgress.objects.get(user=learner, module=module).completed_at
