"""Roll a learner's grade up soon after a score changes, once per burst; recompute module
progress, and roll up the grades of every offering of the course, when the syllabus changes
what a module shows (content.signals.item_moved and item_visibility_changed,
syllabus.signals.modules_changed): a graded item added, hidden, shown, moved or removed changes
every learner's total, and so does a graded item's payload (content.signals.item_payload_changed:
the points a lab or an assignment is out of).

A learner who answers and submits, or a lab that is regraded several times, fires many
`attempt_scored` / `submission_graded` signals within seconds. The first one claims a Redis key
for the (offering, learner) pair and schedules a rollup GRADE_ROLLUP_COALESCE_SECONDS later; the
signals that follow while the key lives schedule nothing. The key expires a little before the
task is due, so a score recorded after the key is gone schedules a new rollup, and a score
recorded while it lives was committed before the scheduled rollup reads it (senders fire on
commit). When Redis cannot be reached, or tasks run in-process, every signal rolls up at once.
"""

import logging
from functools import cache

import redis
from django.conf import settings
from django.db import transaction
from django.dispatch import receiver

from assessments.grading import CATEGORY_OF_TYPE, GRADED_STATUSES
from assessments.services import module_progress_recompute
from assessments.signals import attempt_scored, submission_graded
from assessments.tasks import grade_rollup_task
from catalog.models import CourseEnrollment
from content.models import ContentItem
from content.signals import item_moved, item_payload_changed, item_visibility_changed
from lms.celery import app
from syllabus.signals import modules_changed

logger = logging.getLogger(__name__)


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def coalesce_key(*, offering_id: int, user_id: int) -> str:
    return f"lms:grade-rollup:{offering_id}:{user_id}"


def grade_rollup_soon(*, offering_id: int, user_id: int) -> bool:
    """Schedule the learner's rollup unless one is already scheduled; True when it did."""
    delay = settings.GRADE_ROLLUP_COALESCE_SECONDS
    if app.conf.task_always_eager or delay <= 0:
        grade_rollup_task.delay(offering_id, user_id)
        return True
    try:
        claimed = _redis().set(
            coalesce_key(offering_id=offering_id, user_id=user_id),
            1,
            nx=True,
            px=max(int(delay * 1000) - 500, 100),
        )
    except redis.RedisError:
        logger.warning("Redis unavailable: rolling up grades without coalescing.")
        claimed = True
    if claimed:
        grade_rollup_task.apply_async((offering_id, user_id), countdown=delay)
    return bool(claimed)


@receiver(attempt_scored, dispatch_uid="grade-rollup-on-attempt-scored")
@receiver(submission_graded, dispatch_uid="grade-rollup-on-submission-graded")
def _score_changed(sender, *, user_id: int, offering_id: int, **kwargs) -> None:
    grade_rollup_soon(offering_id=offering_id, user_id=user_id)


def course_grades_rollup_soon(*, course_id: int) -> list[int]:
    """After the transaction commits, roll up the grades of every offering of the course that
    has learners to grade; returns those offerings."""
    offering_ids = sorted(
        set(
            CourseEnrollment.objects.filter(
                course_offering__course_id=course_id, status__in=GRADED_STATUSES
            ).values_list("course_offering_id", flat=True)
        )
    )
    for offering_id in offering_ids:
        transaction.on_commit(lambda oid=offering_id: grade_rollup_task.delay(oid))
    return offering_ids


def _counts_in_grades(item_id: int) -> bool:
    """Whether the item is graded work; an item that is gone (deleted) may have been."""
    content_type = (
        ContentItem.objects.non_polymorphic()
        .filter(pk=item_id)
        .values_list("content_type", flat=True)
        .first()
    )
    return content_type is None or content_type in CATEGORY_OF_TYPE


@receiver(item_moved, dispatch_uid="module-progress-on-item-moved")
def _item_moved(
    sender,
    *,
    item_id: int,
    course_id: int,
    source_module_id: int,
    target_module_id: int,
    **kwargs,
) -> None:
    module_progress_recompute(module_ids=[source_module_id, target_module_id], item_ids=[item_id])
    if _counts_in_grades(item_id):
        course_grades_rollup_soon(course_id=course_id)


@receiver(item_visibility_changed, dispatch_uid="module-progress-on-item-visibility-changed")
def _item_visibility_changed(
    sender, *, item_id: int, course_id: int, module_id: int, **kwargs
) -> None:
    module_progress_recompute(module_ids=[module_id], item_ids=[item_id])
    if _counts_in_grades(item_id):
        course_grades_rollup_soon(course_id=course_id)


@receiver(item_payload_changed, dispatch_uid="grades-on-item-payload-changed")
def _item_payload_changed(sender, *, item_id: int, course_id: int, **kwargs) -> None:
    """A lab's or an assignment's points are in its payload: submissions without their own
    maximum are scored out of them."""
    if _counts_in_grades(item_id):
        course_grades_rollup_soon(course_id=course_id)


@receiver(modules_changed, dispatch_uid="module-progress-on-modules-changed")
def _modules_changed(
    sender, *, course_id: int, module_ids: list[int], subtree_ids: list[int], **kwargs
) -> None:
    module_progress_recompute(module_ids=module_ids, subtree_ids=subtree_ids)
    course_grades_rollup_soon(course_id=course_id)
