"""Progress rows of learners who worked through a course in outline order.

The rows say what assessments.progress.services would have written had the learner completed the
first `completed` visible items one after another and then opened the next one: a content
row per touched item, and a module row for every module on the path of a touched item whose
subtree holds visible items, with the completed share of those items (see
assessments/progress/selectors.py for the definitions). Written set-based, so thousands of learners
cost one COPY instead of a service call per item.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from demo.bulk import copy_rows
from syllabus import tree

CONTENT_COLUMNS = (
    "user_id",
    "course_offering_id",
    "content_item_id",
    "first_started_at",
    "last_interacted_at",
    "completed_at",
    "progress_percent",
    "attempts_count",
)
MODULE_COLUMNS = (
    "user_id",
    "course_offering_id",
    "module_id",
    "started_at",
    "completed_at",
    "progress_percent",
)
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


@dataclass
class CourseShape:
    """The visible items of a course in outline order, and for each visible module the range
    of those items its subtree holds (contiguous, because the order is pre-order)."""

    item_ids: list[int] = field(default_factory=list)
    item_types: list[str] = field(default_factory=list)
    # (module id, index of its subtree's first item, number of items in its subtree)
    module_ranges: list[tuple[int, int, int]] = field(default_factory=list)

    @classmethod
    def from_rows(
        cls,
        modules: Iterable[tuple[int, int | None, bool]],
        items: Iterable[tuple[int, int, str]],
    ) -> "CourseShape":
        """`modules`: (id, parent id, is_published) in pre-order; `items`: active items as
        (id, module id, content type) in sequence order within each module."""
        by_module: dict[int, list[tuple[int, str]]] = {}
        for item_id, module_id, content_type in items:
            by_module.setdefault(module_id, []).append((item_id, content_type))
        shape = cls()
        visible: dict[int, bool] = {}
        starts: list[tuple[int, int]] = []
        children: dict[int | None, list[int]] = {}
        for module_id, parent_id, published in modules:
            is_visible = published and (parent_id is None or visible.get(parent_id, False))
            visible[module_id] = is_visible
            if not is_visible:
                continue
            children.setdefault(parent_id, []).append(module_id)
            starts.append((module_id, len(shape.item_ids)))
            for item_id, content_type in by_module.get(module_id, ()):
                shape.item_ids.append(item_id)
                shape.item_types.append(content_type)
        own = {m: len(by_module.get(m, ())) for m, _ in starts}
        total = dict(own)
        for module_id, _ in reversed(starts):
            for child in children.get(module_id, ()):
                total[module_id] += total[child]
        shape.module_ranges = [(m, first, total[m]) for m, first in starts if total[m]]
        return shape

    @classmethod
    def load(cls, course_id: int) -> "CourseShape":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, parent_module_id, is_published FROM modules "
                f"WHERE course_id = %s ORDER BY {tree.sql_outline_order()}",
                [course_id],
            )
            modules = cursor.fetchall()
            cursor.execute(
                "SELECT id, module_id, content_type FROM content_items "
                "WHERE course_id = %s AND is_active ORDER BY module_id, sequence_index",
                [course_id],
            )
            items = cursor.fetchall()
        return cls.from_rows(modules, items)

    def __len__(self) -> int:
        return len(self.item_ids)


@dataclass
class LearnerRun:
    """One learner's way through one offering."""

    user_id: int
    offering_id: int
    completed: int
    # Percent reached on the item after the completed ones; None when it was never opened.
    opened_percent: Decimal | None
    start: datetime
    end: datetime


@dataclass
class ProgressRows:
    content: list[tuple] = field(default_factory=list)
    modules: list[tuple] = field(default_factory=list)

    def add(self, shape: CourseShape, run: LearnerRun) -> None:
        total = len(shape)
        completed = min(run.completed, total)
        touched = completed + (1 if run.opened_percent is not None and completed < total else 0)
        if touched == 0:
            return
        step = (run.end - run.start) / (touched + 1)
        times = [run.start + step * (i + 1) for i in range(touched)]
        for i in range(touched):
            done = i < completed
            attempts = 2 if shape.item_types[i] == "quiz" and i % 3 == 0 else 1
            self.content.append(
                (
                    run.user_id,
                    run.offering_id,
                    shape.item_ids[i],
                    times[i] - timedelta(minutes=25),
                    times[i],
                    times[i] if done else None,
                    _HUNDRED if done else run.opened_percent,
                    attempts,
                )
            )
        for module_id, first, count in shape.module_ranges:
            if first >= touched:
                continue
            done = max(0, min(completed - first, count))
            self.modules.append(
                (
                    run.user_id,
                    run.offering_id,
                    module_id,
                    times[first] - timedelta(minutes=25),
                    times[first + count - 1] if done == count else None,
                    (_HUNDRED * done / count).quantize(_CENT, ROUND_HALF_UP),
                )
            )

    def write(self) -> tuple[int, int]:
        content = copy_rows("user_content_progress", CONTENT_COLUMNS, self.content)
        modules = copy_rows("user_module_progress", MODULE_COLUMNS, self.modules)
        return content, modules
