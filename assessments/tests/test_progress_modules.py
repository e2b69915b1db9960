"""Progress after modules move, are published, unpublished or deleted: the old and new
ancestors are recomputed, and a change rolled back leaves progress as it was."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from assessments.progress.services import (
    content_complete,
)
from assessments.progress.tree_changes import tracked, tree_change_apply
from assessments.tests.trees import completed_at, recorded
from catalog.tests.factories import EnrollmentFactory
from content.services import (
    content_item_delete,
    content_item_update,
)
from syllabus.services import module_delete, module_move, module_set_published, module_update

pytestmark = pytest.mark.django_db


def test_moving_a_module_recomputes_the_old_and_new_ancestors(two_learners):
    _offering, ann, ben, modules, _items = two_learners
    l2_done = completed_at(ann, modules["L2"])
    tracked(
        module_move, module=modules["L2"], parent=modules["U2"]
    )  # c (d inactive, T1 hidden) moves
    assert recorded(ann) == {
        "L1": (Decimal("50.00"), False),
        "L2": (Decimal("100.00"), True),
        "U1": (Decimal("50.00"), False),  # a of a, b
        "L3": (Decimal("33.33"), False),
        "U2": (Decimal("40.00"), False),  # c, g of f, g, h, i, c
        "root": (Decimal("42.86"), False),
    }
    assert recorded(ben) == {
        "L1": (Decimal("50.00"), False),
        "U1": (Decimal("50.00"), False),  # b of a, b
        "L3": (Decimal("33.33"), False),
        "U2": (Decimal("40.00"), False),  # f, h of f, g, h, i, c
        "root": (Decimal("42.86"), False),
    }
    assert completed_at(ann, modules["L2"]) == l2_done


def test_moving_a_module_under_an_unpublished_one_hides_its_subtree(two_learners):
    _offering, ann, ben, modules, _items = two_learners
    tracked(module_move, module=modules["L3"], parent=modules["T1"])  # g, h, i now hidden
    assert recorded(ann) == {
        "L1": (Decimal("50.00"), False),
        "L2": (Decimal("100.00"), True),
        "U1": (Decimal("66.67"), False),
        "L3": (Decimal("0.00"), False),  # nothing visible
        "U2": (Decimal("0.00"), False),  # none of f
        "root": (Decimal("50.00"), False),  # a, c of a, b, c, f
    }
    assert recorded(ben) == {
        "L1": (Decimal("50.00"), False),
        "U1": (Decimal("33.33"), False),
        "L3": (Decimal("0.00"), False),
        "U2": (Decimal("100.00"), True),  # f of f: complete now
        "root": (Decimal("50.00"), False),  # b, f of a, b, c, f
    }


def test_unpublishing_and_publishing_a_subtree_recomputes_inside_and_above_it(two_learners):
    _offering, ann, ben, modules, _items = two_learners
    l2_done = completed_at(ann, modules["L2"])
    tracked(module_set_published, module=modules["U2"], is_published=False)
    assert recorded(ann) == {
        "L1": (Decimal("50.00"), False),
        "L2": (Decimal("100.00"), True),
        "U1": (Decimal("66.67"), False),
        "L3": (Decimal("0.00"), False),
        "U2": (Decimal("0.00"), False),
        "root": (Decimal("66.67"), False),  # a, c of a, b, c
    }
    assert recorded(ben) == {
        "L1": (Decimal("50.00"), False),
        "U1": (Decimal("33.33"), False),
        "L3": (Decimal("0.00"), False),
        "U2": (Decimal("0.00"), False),
        "root": (Decimal("33.33"), False),  # b of a, b, c
    }
    tracked(module_set_published, module=modules["U2"], is_published=True)
    tracked(module_set_published, module=modules["T1"], is_published=True)  # e counts now
    assert recorded(ann) == {
        "L1": (Decimal("50.00"), False),
        "L2": (Decimal("100.00"), True),  # c of c, e: the recorded completion stays
        "U1": (Decimal("50.00"), False),  # a, c of a, b, c, e
        "L3": (Decimal("33.33"), False),
        "U2": (Decimal("25.00"), False),
        "root": (Decimal("37.50"), False),  # a, c, g of 8
    }
    assert recorded(ben) == {
        "L1": (Decimal("50.00"), False),
        "U1": (Decimal("25.00"), False),  # b of a, b, c, e
        "L3": (Decimal("33.33"), False),
        "U2": (Decimal("50.00"), False),
        "root": (Decimal("37.50"), False),  # b, f, h of 8
    }
    assert completed_at(ann, modules["L2"]) == l2_done


def test_unpublishing_one_module_in_its_editor_recomputes_its_ancestors(two_learners):
    _offering, ann, ben, modules, _items = two_learners
    tracked(module_update, module=modules["L1"], is_published=False)  # a, b hidden
    assert recorded(ann) == {
        "L1": (Decimal("0.00"), False),
        "L2": (Decimal("100.00"), True),
        "U1": (Decimal("100.00"), True),  # c of c
        "L3": (Decimal("33.33"), False),
        "U2": (Decimal("25.00"), False),
        "root": (Decimal("40.00"), False),  # c, g of c, f, g, h, i
    }
    assert recorded(ben) == {
        "L1": (Decimal("0.00"), False),
        "U1": (Decimal("0.00"), False),
        "L3": (Decimal("33.33"), False),
        "U2": (Decimal("50.00"), False),
        "root": (Decimal("40.00"), False),  # f, h of 5
    }


def test_deleting_a_module_recomputes_its_ancestors(two_learners):
    _offering, ann, ben, modules, _items = two_learners
    tree_change_apply(module_delete(module=modules["L3"]))  # g, h, i and their progress go
    assert recorded(ann) == {
        "L1": (Decimal("50.00"), False),
        "L2": (Decimal("100.00"), True),
        "U1": (Decimal("66.67"), False),
        "U2": (Decimal("0.00"), False),  # none of f
        "root": (Decimal("50.00"), False),  # a, c of a, b, c, f
    }
    assert recorded(ben) == {
        "L1": (Decimal("50.00"), False),
        "U1": (Decimal("33.33"), False),
        "U2": (Decimal("100.00"), True),  # f of f
        "root": (Decimal("50.00"), False),  # b, f of a, b, c, f
    }


def test_a_syllabus_change_rolled_back_leaves_progress_as_it_was(two_learners):
    _offering, ann, ben, modules, items = two_learners
    before = (recorded(ann), recorded(ben))
    with transaction.atomic():
        tracked(module_set_published, module=modules["U2"], is_published=False)
        tree_change_apply(content_item_delete(item=items["a"]))
        transaction.set_rollback(True)
    assert (recorded(ann), recorded(ben)) == before


def test_syllabus_changes_update_all_learners_in_a_constant_number_of_queries(tree):
    offering, _student, modules, items = tree

    def changes() -> list[int]:
        counts = []
        for change in (
            lambda: tracked(module_move, module=modules["L2"], parent=modules["U2"]),
            lambda: tracked(module_move, module=modules["L2"], parent=modules["U1"]),
            lambda: tracked(module_set_published, module=modules["U2"], is_published=False),
            lambda: tracked(module_set_published, module=modules["U2"], is_published=True),
            lambda: tracked(content_item_update, item=items["b"], is_active=False),
            lambda: tracked(content_item_update, item=items["b"], is_active=True),
        ):
            with CaptureQueriesContext(connection) as captured:
                change()
            counts.append(len(captured))
        return counts

    learner = EnrollmentFactory(course_offering=offering).user
    content_complete(user=learner, offering=offering, item_id=items["a"].pk)
    few = changes()
    for _ in range(4):
        learner = EnrollmentFactory(course_offering=offering).user
        for key in ("a", "c", "g", "h"):
            content_complete(user=learner, offering=offering, item_id=items[key].pk)
    assert changes() == few
    assert recorded(learner) == {
        "L1": (Decimal("100.00"), True),  # a of a while b was inactive: the completion stays
        "L2": (Decimal("100.00"), True),
        "U1": (Decimal("100.00"), True),  # a, c of a, c while b was inactive
        "L3": (Decimal("66.67"), False),
        "U2": (Decimal("50.00"), False),
        "root": (Decimal("57.14"), False),  # a, c, g, h of 7
    }
