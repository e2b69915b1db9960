"""Reads of a learner's progress.

How progress is defined (services.py writes it the same way):

- An item is complete when its `user_content_progress.completed_at` is set.
- A module's percent is the completed share of the items the learner can see in its subtree:
  active items of the module and of its published descendants (a module under an unpublished
  ancestor is invisible). A module with no visible item has no percent.
- A course's percent is the completed share of all the items the learner can see in it.

Percents shown on pages are computed from those counts on every request (floored to a whole
number, so 99.6 % never reads as done), which is why they cannot go stale when staff publish or
add content. The `user_module_progress` rows record the same numbers for reports and keep the
first completion: once a module was complete it stays recorded as 100 %.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection

from assessments.labs.models import LabSubmission
from assessments.progress.models import UserContentProgress, UserModuleProgress
from assessments.quizzes.models import QuizAttempt, QuizMastery
from content.selectors import OutlineItem
from syllabus import tree
from syllabus.selectors import OutlineRow


@dataclass(frozen=True)
class LearnerMarks:
    """What the outline needs to know about a learner in one offering."""

    completed: set[int]
    recent: list[int]  # touched item ids, the most recently touched first


def learner_marks(*, user_id: int, offering_id: int) -> LearnerMarks:
    """Completed and recently touched items of the learner in the offering, in one query that
    returns two integer arrays (cheap even with thousands of rows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT coalesce(array_agg(content_item_id)
                                FILTER (WHERE completed_at IS NOT NULL), '{}'),
                   coalesce(array_agg(content_item_id
                                      ORDER BY last_interacted_at DESC, content_item_id DESC)
                                FILTER (WHERE last_interacted_at IS NOT NULL), '{}')
            FROM user_content_progress
            WHERE user_id = %s AND course_offering_id = %s
            """,
            [user_id, offering_id],
        )
        completed, recent = cursor.fetchone()
    return LearnerMarks(completed=set(completed), recent=list(recent))


class SubtreeCounts(NamedTuple):
    """Completed and total visible items of each module's subtree, by module id."""

    done: dict[int, int]
    total: dict[int, int]


def subtree_counts(
    *,
    rows: list[OutlineRow],
    items_by_module: dict[int, list[OutlineItem]],
    completed: set[int],
) -> SubtreeCounts:
    """Count each module's subtree.

    `rows` are the visible modules in pre-order (outline_rows with published_only), so walking
    them backwards meets every child before its parent: one pass, no recursion, and only two
    dicts of ints allocated, whatever the size of the tree.
    """
    done = dict.fromkeys((row["id"] for row in rows), 0)
    total = dict.fromkeys(done, 0)
    for module_id, items in items_by_module.items():
        if module_id in total:
            total[module_id] = len(items)
            done[module_id] = sum(1 for item in items if item.id in completed)
    for row in reversed(rows):
        parent_id = row["parent_id"]
        if parent_id is not None:
            module_id = row["id"]
            total[parent_id] += total[module_id]
            done[parent_id] += done[module_id]
    return SubtreeCounts(done=done, total=total)


def percent(done: int, total: int) -> int:
    """Whole percent, floored; a course or module without items is at 0."""
    return done * 100 // total if total else 0


@dataclass(frozen=True)
class CourseProgress:
    offering_id: int
    total_items: int
    completed_items: int
    resume_item_id: int | None

    @property
    def percent(self) -> int:
        return percent(self.completed_items, self.total_items)


# Work proportional to the learner's progress rows and the hidden parts of the courses, not to
# the size of the courses: visible items = active items - active items under an unpublished
# module; the first item of the outline is looked up only for courses the learner has not
# touched, by walking the outline index from the course's first tree.
_COURSE_PROGRESS_SQL = f"""
WITH offering AS (
    SELECT id AS offering_id, course_id
    FROM course_offerings
    WHERE id = ANY(%(offering_ids)s)
),
hidden AS MATERIALIZED (
    SELECT h.course_id, {tree.sql_subtree_columns("h")}
    FROM modules h
    WHERE h.course_id IN (SELECT course_id FROM offering) AND NOT h.is_published
),
active_items AS (
    SELECT course_id, count(*) AS n
    FROM content_items
    WHERE course_id IN (SELECT course_id FROM offering) AND is_active
    GROUP BY course_id
),
hidden_items AS (
    SELECT h.course_id, count(DISTINCT ci.id) AS n
    FROM hidden h
    JOIN modules m ON {tree.sql_within("m", "h")}
    JOIN content_items ci ON ci.module_id = m.id AND ci.is_active
    GROUP BY h.course_id
),
touched AS (
    SELECT p.course_offering_id AS offering_id, p.content_item_id AS item_id,
           p.completed_at, p.last_interacted_at
    FROM user_content_progress p
    JOIN offering o ON o.offering_id = p.course_offering_id
    JOIN content_items ci
      ON ci.id = p.content_item_id AND ci.course_id = o.course_id AND ci.is_active
    JOIN modules m ON m.id = ci.module_id
    WHERE p.user_id = %(user_id)s
      AND NOT EXISTS (
          SELECT 1 FROM hidden h
          WHERE {tree.sql_within("m", "h")}
      )
),
done AS (
    SELECT offering_id, count(completed_at) AS n FROM touched GROUP BY offering_id
),
last_touched AS (
    SELECT DISTINCT ON (offering_id) offering_id, item_id
    FROM touched
    WHERE last_interacted_at IS NOT NULL
    ORDER BY offering_id, last_interacted_at DESC, item_id DESC
)
SELECT o.offering_id,
       coalesce(a.n, 0) - coalesce(hi.n, 0),
       coalesce(d.n, 0),
       CASE WHEN lt.item_id IS NOT NULL THEN lt.item_id ELSE (
           SELECT i.id
           FROM modules m JOIN content_items i ON i.module_id = m.id
           WHERE m.course_id = o.course_id AND i.is_active
             AND {tree.sql_from_course_start("m", course="o.course_id")}
             AND NOT EXISTS (
                 SELECT 1 FROM hidden h
                 WHERE {tree.sql_within("m", "h")}
             )
           ORDER BY {tree.sql_outline_order("m")}, i.sequence_index
           LIMIT 1
       ) END
FROM offering o
LEFT JOIN active_items a ON a.course_id = o.course_id
LEFT JOIN hidden_items hi ON hi.course_id = o.course_id
LEFT JOIN done d ON d.offering_id = o.offering_id
LEFT JOIN last_touched lt ON lt.offering_id = o.offering_id
"""


def course_progress(*, user_id: int, offering_ids: list[int]) -> dict[int, CourseProgress]:
    """Percent and the item to resume at for each offering, in one query for all of them.

    The resume item is the visible item the learner touched last in that offering, or the
    first item of the outline when they have touched none.
    """
    if not offering_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            _COURSE_PROGRESS_SQL, {"user_id": user_id, "offering_ids": list(offering_ids)}
        )
        rows = cursor.fetchall()
    return {
        offering_id: CourseProgress(offering_id, total, done, resume)
        for offering_id, total, done, resume in rows
    }


def learners_worked_on(*, item_ids: list[int], module_ids: list[int]) -> bool:
    """Whether any learner has progress, a quiz attempt or mastery, or a lab or assignment
    submission on these items, or progress in these modules: content holding any of it is
    archived rather than deleted (content.archive)."""
    by_item = (UserContentProgress, QuizAttempt, QuizMastery, LabSubmission)
    return (
        any(model.objects.filter(content_item_id__in=item_ids).exists() for model in by_item)
        or UserModuleProgress.objects.filter(module_id__in=module_ids).exists()
    )
