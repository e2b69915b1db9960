"""Applying what a syllabus or content write changed: learners' module progress is recomputed,
and the grades of every offering of the course are rolled up, when the tree changes what a
module shows (a graded item added, hidden, shown, moved or removed changes every learner's
total, and so does a graded item's payload: the points a lab or an assignment is out of).
Scores themselves ask for their rollup directly (assessments/triggers.py).

Syllabus and content cannot call up here, so their writes return a `syllabus.changes.TreeChange`
and whoever composes the apps calls `tree_change_apply` inside the writing transaction, or
runs the write through `tracked`, which does both.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from assessments.grades.services import CATEGORY_OF_TYPE, GRADED_STATUSES
from assessments.progress.services import module_progress_recompute
from assessments.triggers import offering_grades_rollup_soon
from catalog.models import CourseEnrollment
from content.models import ContentItem
from syllabus.changes import TreeChange


def course_grades_rollup_soon(*, course_id: int) -> list[int]:
    """Once the transaction commits, roll up the grades of every offering of the course that
    has learners to grade; returns those offerings."""
    offering_ids = sorted(
        set(
            CourseEnrollment.objects.filter(
                course_offering__course_id=course_id, status__in=GRADED_STATUSES
            ).values_list("course_offering_id", flat=True)
        )
    )
    for offering_id in offering_ids:
        offering_grades_rollup_soon(offering_id=offering_id)
    return offering_ids


def _any_counts_in_grades(item_ids: Iterable[int]) -> bool:
    """Whether any of the items is graded work; an item that is gone (deleted) may have been."""
    wanted = set(item_ids)
    if not wanted:
        return False
    found = dict(
        ContentItem.objects.non_polymorphic()
        .filter(pk__in=sorted(wanted))
        .values_list("pk", "content_type")
    )
    return len(found) < len(wanted) or any(kind in CATEGORY_OF_TYPE for kind in found.values())


def tree_change_apply(change: TreeChange) -> None:
    """Bring learners' module progress and the course's grades in line with `change`; call it
    inside the transaction of the write that reported it, which holds the course lock."""
    if not change or change.course_id is None:
        return
    module_progress_recompute(
        module_ids=change.module_ids, subtree_ids=change.subtree_ids, item_ids=change.item_ids
    )
    if change.reshaped or _any_counts_in_grades(change.item_ids | change.payload_item_ids):
        course_grades_rollup_soon(course_id=change.course_id)


@contextmanager
def tree_transaction() -> Iterator[None]:
    """The transaction a write and its `tree_change_apply` share: the caller's when there is
    one (no savepoint of its own, so the queries stay those of the write), a new one otherwise."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        yield


def tracked[**P, T](
    write: Callable[P, tuple[T, TreeChange]], *args: P.args, **kwargs: P.kwargs
) -> T:
    """Run a syllabus or content write that returns (result, change) and apply the change in
    the same transaction; returns the result."""
    with tree_transaction():
        result, change = write(*args, **kwargs)
        tree_change_apply(change)
    return result
