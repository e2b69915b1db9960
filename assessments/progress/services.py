"""Writes of a learner's progress through a course.

Every write runs in one transaction that first locks the learner's enrollment row, so two
requests of the same learner in the same offering (two tabs, a double click, the video's
progress pings) take turns: the module rollup of the second sees what the first committed.
Rows are written with INSERT ... ON CONFLICT on the unique indexes, so a first visit racing
another first visit cannot fail or create duplicates.

What the columns mean (see assessments/progress/selectors.py for the percents):

- `first_started_at`: the first time the learner opened the item; never changes afterwards.
- `last_interacted_at`: the latest open, progress report or completion; the dashboard resumes
  at the item with the latest one.
- `attempts_count`: the number of visits: opening the item counts as a new visit when the
  previous interaction is older than VISIT_GAP (or there was none), so reloading a page or
  coming back from the next item a minute later does not inflate it.
- `progress_percent`: the furthest point reached (the share of a video watched); it never
  decreases and is 100 once the item is complete.
- `completed_at`: the first completion; completing again keeps it.

Module rows (`user_module_progress`) cover the item's module and each of its ancestors. They
are written in one set-based statement: all of them are recomputed when an item becomes
complete (the only learner action that changes a percent); opening an item only creates the
rows that do not exist yet, so the first visit of a module records its `started_at`.
`started_at` and `completed_at` keep their first value and a recorded completion keeps its
100 %.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from assessments.progress.models import UserContentProgress
from catalog.models import CourseOffering
from syllabus import tree
from syllabus.selectors import LEARNING_STATUSES
from tenancy.models import User

VISIT_GAP = timedelta(minutes=30)
# Watching this share of a video completes it.
VIDEO_COMPLETION_PERCENT = Decimal(90)


@dataclass(frozen=True)
class ProgressState:
    completed_at: datetime | None
    progress_percent: Decimal
    attempts_count: int
    first_started_at: datetime | None
    last_interacted_at: datetime | None

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


def _lock_enrollment(user: User, offering: CourseOffering) -> None:
    """Lock the learner's enrollment, and the course against syllabus changes: a key-share
    lock waits for a change holding the course lock (syllabus.services.course_lock) and never
    for another learner, so a rollup never reads a tree that is being rearranged."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT e.id FROM course_enrollments e
            JOIN course_offerings o ON o.id = e.course_offering_id
            JOIN courses c ON c.id = o.course_id
            WHERE e.user_id = %s AND e.course_offering_id = %s AND e.status = ANY(%s)
            LIMIT 1
            FOR UPDATE OF e FOR KEY SHARE OF c
            """,
            [user.pk, offering.pk, sorted(str(status) for status in LEARNING_STATUSES)],
        )
        locked = cursor.fetchone()
    if locked is None:
        raise PermissionDenied("Only enrolled learners record progress.")


# The item must belong to the offering's course, else nothing is written (and the caller
# raises). `%(complete)s` completes it; `%(percent)s` raises the furthest point reached.
_UPSERT_SQL = """
WITH before AS (
    SELECT completed_at FROM user_content_progress
    WHERE user_id = %(user_id)s AND course_offering_id = %(offering_id)s
      AND content_item_id = %(item_id)s
)
INSERT INTO user_content_progress AS p (
    user_id, course_offering_id, content_item_id, first_started_at, last_interacted_at,
    completed_at, progress_percent, attempts_count
)
SELECT %(user_id)s, o.id, ci.id, statement_timestamp(), statement_timestamp(),
       CASE WHEN %(complete)s THEN statement_timestamp() END,
       CASE WHEN %(complete)s THEN 100 ELSE %(percent)s END,
       CASE WHEN %(visit)s THEN 1 ELSE 0 END
FROM content_items ci
JOIN course_offerings o ON o.course_id = ci.course_id
WHERE ci.id = %(item_id)s AND o.id = %(offering_id)s
ON CONFLICT (user_id, course_offering_id, content_item_id) DO UPDATE SET
    first_started_at = coalesce(p.first_started_at, EXCLUDED.first_started_at),
    attempts_count = p.attempts_count + CASE
        WHEN %(visit)s AND (
            p.last_interacted_at IS NULL OR p.last_interacted_at < statement_timestamp() - %(gap)s
        ) THEN 1 ELSE 0 END,
    last_interacted_at = statement_timestamp(),
    completed_at = coalesce(p.completed_at, EXCLUDED.completed_at),
    progress_percent = CASE
        WHEN p.completed_at IS NOT NULL OR EXCLUDED.completed_at IS NOT NULL THEN 100
        ELSE greatest(p.progress_percent, EXCLUDED.progress_percent) END
RETURNING completed_at, progress_percent, attempts_count, first_started_at,
          last_interacted_at,
          p.completed_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM before WHERE completed_at IS NOT NULL) AS completed_now
"""

# A module row keeps its first start and completion; a recorded completion keeps its 100 %.
_MODULE_ROW_KEEPS_FIRST_VALUES = """
ON CONFLICT (user_id, course_offering_id, module_id) DO UPDATE SET
    started_at = coalesce(ump.started_at, EXCLUDED.started_at),
    completed_at = coalesce(ump.completed_at, EXCLUDED.completed_at),
    progress_percent = CASE
        WHEN ump.completed_at IS NOT NULL THEN 100
        ELSE EXCLUDED.progress_percent END
"""


# Recompute the rows of the item's module and its ancestors. Visible items of a module's
# subtree: active items of its descendants (itself included) that have no unpublished module
# on their path. The unpublished subtrees of the course are few; excluding their subtrees
# is one anti-join.
_ROLLUP_SQL = (
    f"""
WITH target AS (
    SELECT m.id, m.course_id, {tree.sql_subtree_columns("m")}
    FROM content_items ci JOIN modules m ON m.id = ci.module_id
    WHERE ci.id = %(item_id)s
),
path AS (
    SELECT a.id, {tree.sql_subtree_columns("a")}
    FROM target t
    JOIN modules a ON {tree.sql_ancestor_or_self("a", "t")}
    WHERE NOT %(only_missing)s OR NOT EXISTS (
        SELECT 1 FROM user_module_progress u
        WHERE u.user_id = %(user_id)s AND u.course_offering_id = %(offering_id)s
          AND u.module_id = a.id
    )
),
hidden AS MATERIALIZED (
    SELECT {tree.sql_subtree_columns("h")}
    FROM modules h
    WHERE h.course_id = (SELECT course_id FROM target) AND NOT h.is_published
),
stats AS (
    SELECT path.id AS module_id, count(ci.id) AS total, count(p.completed_at) AS done
    FROM path
    JOIN modules d ON {tree.sql_within("d", "path")}
    JOIN content_items ci ON ci.module_id = d.id AND ci.is_active
    LEFT JOIN user_content_progress p
      ON p.content_item_id = ci.id
     AND p.user_id = %(user_id)s
     AND p.course_offering_id = %(offering_id)s
    WHERE NOT EXISTS (
        SELECT 1 FROM hidden h WHERE {tree.sql_within("d", "h")}
    )
    GROUP BY path.id
)
INSERT INTO user_module_progress AS ump (
    user_id, course_offering_id, module_id, started_at, completed_at, progress_percent
)
SELECT %(user_id)s, %(offering_id)s, s.module_id, statement_timestamp(),
       CASE WHEN s.done = s.total THEN statement_timestamp() END,
       round(100.0 * s.done / s.total, 2)
FROM stats s
WHERE s.total > 0
"""
    + _MODULE_ROW_KEEPS_FIRST_VALUES
)


def _write(
    *,
    user: User,
    offering: CourseOffering,
    item_id: int,
    visit: bool,
    complete: bool,
    percent: Decimal | int,
) -> ProgressState:
    with transaction.atomic():
        _lock_enrollment(user, offering)
        # Any: psycopg adapts the timedelta, which the stubs' parameter types leave out.
        params: dict[str, Any] = {
            "user_id": user.pk,
            "offering_id": offering.pk,
            "item_id": item_id,
            "visit": visit,
            "complete": complete,
            "percent": percent,
            "gap": VISIT_GAP,
        }
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT_SQL, params)
            row = cursor.fetchone()
            if row is None:
                raise ValidationError({"item": "The item does not belong to this course."})
            *state, completed_now = row
            if visit or completed_now:
                params["only_missing"] = not completed_now
                cursor.execute(_ROLLUP_SQL, params)
    return ProgressState(*state)


def content_open(*, user: User, offering: CourseOffering, item_id: int) -> ProgressState:
    """Record that the learner opened the item (a new visit after VISIT_GAP)."""
    return _write(
        user=user, offering=offering, item_id=item_id, visit=True, complete=False, percent=0
    )


def content_complete(*, user: User, offering: CourseOffering, item_id: int) -> ProgressState:
    """Mark the item complete; doing it again changes nothing but `last_interacted_at`."""
    return _write(
        user=user, offering=offering, item_id=item_id, visit=False, complete=True, percent=100
    )


def graded_work_complete(*, user_id: int, offering_id: int, item_id: int) -> bool:
    """Graded work completes its item like "Mark as complete" does: a lab or an assignment
    once it is graded, a quiz once an attempt passes. Inside the grading transaction; an item
    already complete is left as it is (its last interaction stays the learner's own), and
    someone no longer learning in the offering keeps the score without progress. True when the
    item is complete afterwards."""
    done = UserContentProgress.objects.filter(
        user_id=user_id,
        course_offering_id=offering_id,
        content_item_id=item_id,
        completed_at__isnull=False,
    ).exists()
    if done:
        return True
    try:
        content_complete(
            user=User(pk=user_id), offering=CourseOffering(pk=offering_id), item_id=item_id
        )
    except PermissionDenied:
        return False
    return True


def content_progress_report(
    *, user: User, offering: CourseOffering, item_id: int, percent: Decimal
) -> ProgressState:
    """Record how far the learner got (a share of a video watched, 0-100); reaching
    VIDEO_COMPLETION_PERCENT completes the item."""
    if not isinstance(percent, Decimal) or not percent.is_finite() or not 0 <= percent <= 100:
        raise ValidationError({"percent": "Give a number from 0 to 100."})
    percent = percent.quantize(Decimal("0.01"))
    return _write(
        user=user,
        offering=offering,
        item_id=item_id,
        visit=False,
        complete=percent >= VIDEO_COMPLETION_PERCENT,
        percent=percent,
    )


# Recompute every learner's rows for the modules whose visible content may have changed: each
# module of `module_ids` with its ancestors, and each module of `subtree_ids` with its ancestors
# and its descendants (publishing or moving a subtree changes what is visible inside it). All
# learners at once: a learner is affected when they have a row for one of those modules or
# completed one of `item_ids`; a row is created only where the learner has completed something
# in that module's subtree (opening a module is what starts it). Visible items follow the rule
# of _ROLLUP_SQL; a module left without visible items is at 0 % unless its completion was
# recorded, which, as everywhere, keeps its date and its 100 %.
_RECOMPUTE_SQL = (
    f"""
WITH path AS (
    SELECT DISTINCT a.id, {tree.sql_subtree_columns("a")}, a.course_id
    FROM modules t
    JOIN modules a ON (
        ({tree.sql_ancestor_or_self("a", "t")})
        OR (t.id = ANY(%(subtree_ids)s) AND {tree.sql_within("a", "t")})
    )
    WHERE t.id = ANY(%(module_ids)s) OR t.id = ANY(%(subtree_ids)s)
),
hidden AS MATERIALIZED (
    SELECT {tree.sql_subtree_columns("h")}
    FROM modules h
    WHERE h.course_id IN (SELECT course_id FROM path) AND NOT h.is_published
),
visible AS (
    SELECT path.id AS module_id, ci.id AS item_id
    FROM path
    JOIN modules d ON {tree.sql_within("d", "path")}
    JOIN content_items ci ON ci.module_id = d.id AND ci.is_active
    WHERE NOT EXISTS (
        SELECT 1 FROM hidden h WHERE {tree.sql_within("d", "h")}
    )
),
totals AS (
    SELECT path.id AS module_id, count(v.item_id) AS total
    FROM path LEFT JOIN visible v ON v.module_id = path.id
    GROUP BY path.id
),
learners AS (
    SELECT user_id, course_offering_id FROM user_module_progress
    WHERE module_id IN (SELECT id FROM path)
    UNION
    SELECT user_id, course_offering_id FROM user_content_progress
    WHERE content_item_id = ANY(%(item_ids)s) AND completed_at IS NOT NULL
),
done AS (
    SELECT l.user_id, l.course_offering_id, v.module_id, count(*) AS done
    FROM learners l
    JOIN user_content_progress p
      ON p.user_id = l.user_id AND p.course_offering_id = l.course_offering_id
     AND p.completed_at IS NOT NULL
    JOIN visible v ON v.item_id = p.content_item_id
    GROUP BY l.user_id, l.course_offering_id, v.module_id
)
INSERT INTO user_module_progress AS ump (
    user_id, course_offering_id, module_id, started_at, completed_at, progress_percent
)
SELECT l.user_id, l.course_offering_id, t.module_id, statement_timestamp(),
       CASE WHEN t.total > 0 AND coalesce(d.done, 0) = t.total THEN statement_timestamp() END,
       CASE WHEN t.total > 0 THEN round(100.0 * coalesce(d.done, 0) / t.total, 2) ELSE 0 END
FROM learners l
CROSS JOIN totals t
LEFT JOIN done d
  ON d.user_id = l.user_id AND d.course_offering_id = l.course_offering_id
 AND d.module_id = t.module_id
WHERE d.done > 0 OR EXISTS (
    SELECT 1 FROM user_module_progress u
    WHERE u.user_id = l.user_id AND u.course_offering_id = l.course_offering_id
      AND u.module_id = t.module_id
)
"""
    + _MODULE_ROW_KEEPS_FIRST_VALUES
)


def module_progress_recompute(
    *,
    module_ids: Iterable[int] = (),
    subtree_ids: Iterable[int] = (),
    item_ids: Iterable[int] = (),
) -> None:
    """Bring learners' module progress in line after the syllabus changed: one statement for
    every learner of every offering of the course, whatever their number.

    Called with the tree as it is after the change: `module_ids` are modules whose subtree
    gained or lost visible items (an item's old and new module, a moved or deleted module's old
    parent), `subtree_ids` modules whose whole subtree may have changed visibility (published,
    unpublished or moved), `item_ids` items whose learners count as affected even without a row
    on those paths yet (an item that moved in).

    Runs inside the change's transaction, which holds the course lock; progress writes take a
    key-share lock on the course (see _lock_enrollment), so none of them can roll up against
    the old tree while this reads the new one.
    """
    params = {
        "module_ids": sorted(set(module_ids)),
        "subtree_ids": sorted(set(subtree_ids)),
        "item_ids": sorted(set(item_ids)),
    }
    if not params["module_ids"] and not params["subtree_ids"]:
        return
    with connection.cursor() as cursor:
        cursor.execute(_RECOMPUTE_SQL, params)
