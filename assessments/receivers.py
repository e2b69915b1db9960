"""Recompute module progress, and roll up the grades of every offering of the course, when the
syllabus changes what a module shows (content.signals.item_moved and item_visibility_changed,
syllabus.signals.modules_changed): a graded item added, hidden, shown, moved or removed changes
every learner's total, and so does a graded item's payload (content.signals.item_payload_changed:
the points a lab or an assignment is out of). Scores themselves ask for their rollup directly
(assessments/triggers.py).
"""

from django.dispatch import receiver

from assessments.grades.services import CATEGORY_OF_TYPE, GRADED_STATUSES
from assessments.progress.services import module_progress_recompute
from assessments.triggers import offering_grades_rollup_soon
from catalog.models import CourseEnrollment
from content.models import ContentItem
from content.signals import item_moved, item_payload_changed, item_visibility_changed
from syllabus.signals import modules_changed


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
