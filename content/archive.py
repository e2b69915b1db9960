"""Removing content without losing students' work.

Deleting an item or a module cascades to what learners recorded about it (progress, quiz
attempts, lab and assignment submissions). So an item or a module subtree that holds any such
work is archived instead: `archived_at` is set, the item is deactivated (the module subtree
unpublished), and it is left out of every outline, learners' and staff's, until it is restored
from the recycle bin. Content without students' work is still deleted.

The work itself lives in apps above content; each registers a check with
`register_student_work_check` (assessments does, in AssessmentsConfig.ready), so content never
reaches up into their tables.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from content.models import ContentItem
from content.services import _renumber_items, content_item_delete, visibility_changed
from syllabus.changes import NO_CHANGE, TreeChange
from syllabus.models import Module
from syllabus.services import course_lock, module_delete, module_move, module_set_published

# check(item_ids=[...], module_ids=[...]) -> whether any learner has work on any of them
StudentWorkCheck = Callable[..., bool]
_work_checks: list[StudentWorkCheck] = []


def register_student_work_check(check: StudentWorkCheck) -> None:
    if check not in _work_checks:
        _work_checks.append(check)


def holds_student_work(*, item_ids: Iterable[int], module_ids: Iterable[int] = ()) -> bool:
    items, modules = sorted(set(item_ids)), sorted(set(module_ids))
    if not items and not modules:
        return False
    return any(check(item_ids=items, module_ids=modules) for check in _work_checks)


@transaction.atomic
def content_item_remove(
    *, item: ContentItem, now: datetime | None = None
) -> tuple[bool, TreeChange]:
    """Delete `item`, or archive it when it holds students' work. Returns whether it was
    archived, with what that changed in the tree. An archived item leaves its module's
    numbering (it goes last), so the items left keep 1..n."""
    course_lock(course_id=item.course_id)
    item = ContentItem.objects.non_polymorphic().get(pk=item.pk)
    if item.archived_at is not None:
        return True, NO_CHANGE
    if not holds_student_work(item_ids=[item.pk]):
        return False, content_item_delete(item=item)
    was_active = item.is_active
    others = (
        ContentItem.objects.filter(module_id=item.module_id)
        .exclude(pk=item.pk)
        .order_by("sequence_index", "pk")
        .values_list("pk", flat=True)
    )
    _renumber_items(module_id=item.module_id, ordered_ids=[*others, item.pk])
    ContentItem.objects.filter(pk=item.pk).update(
        archived_at=now or timezone.now(), is_active=False
    )
    if not was_active:
        return True, NO_CHANGE
    return True, visibility_changed(
        item_id=item.pk, course_id=item.course_id, module_id=item.module_id
    )


@transaction.atomic
def content_item_restore(*, item: ContentItem) -> ContentItem:
    """Bring an archived item back, inactive (a draft to check before learners see it again),
    with the modules above it restored too."""
    course_lock(course_id=item.course_id)
    item = ContentItem.objects.non_polymorphic().get(pk=item.pk)
    ContentItem.objects.filter(pk=item.pk).update(archived_at=None)
    module = Module.objects.get(pk=item.module_id)
    Module.objects.filter(
        pk__in=module.get_ancestors(include_self=True).values("pk"), archived_at__isnull=False
    ).update(archived_at=None)
    item.archived_at = None
    return item


@transaction.atomic
def module_remove(*, module: Module, now: datetime | None = None) -> tuple[bool, TreeChange]:
    """Delete a module with its subtree, or archive the subtree when anything in it holds
    students' work. Returns whether it was archived, with what that changed in the tree. An
    archived module goes last among its siblings and its subtree is unpublished."""
    course_lock(course_id=module.course_id)
    module = Module.objects.get(pk=module.pk)
    subtree = list(module.get_descendants(include_self=True).values_list("pk", flat=True))
    items = ContentItem.objects.filter(module_id__in=subtree).values_list("pk", flat=True)
    if not holds_student_work(item_ids=list(items), module_ids=subtree):
        return False, module_delete(module=module)
    change = NO_CHANGE
    if module.parent_id is not None:
        _, change = module_move(module=module, parent=module.parent, position=None)
    _, unpublished = module_set_published(module=module, is_published=False)
    Module.objects.filter(pk__in=subtree).update(archived_at=now or timezone.now())
    return True, change | unpublished  # learners' progress follows once the caller applies it


@transaction.atomic
def module_restore(*, module: Module) -> Module:
    """Bring an archived module back with its subtree, unpublished, and the modules above it."""
    course_lock(course_id=module.course_id)
    module = Module.objects.get(pk=module.pk)
    Module.objects.filter(
        pk__in=[
            *module.get_descendants(include_self=True).values_list("pk", flat=True),
            *module.get_ancestors().values_list("pk", flat=True),
        ],
        archived_at__isnull=False,
    ).update(archived_at=None)
    module.archived_at = None
    return module
