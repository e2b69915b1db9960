"""Progress after an item moves, is created, deactivated or deleted: every affected learner's
module progress is recomputed, in a constant number of queries, inside the change's
transaction."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from assessments.progress.models import UserModuleProgress
from assessments.progress.services import (
    content_complete,
    content_open,
)
from assessments.progress.tree_changes import tracked, tree_change_apply
from assessments.tests import trees
from assessments.tests.trees import completed_at, recorded
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from content.services import (
    content_item_delete,
    content_item_move,
    content_item_update,
)

pytestmark = pytest.mark.django_db


def test_moving_an_item_recomputes_every_affected_learners_module_progress(tree):
    offering, student, modules, items = tree
    for key in ("a", "c", "g"):
        content_complete(user=student, offering=offering, item_id=items[key].pk)
    opener = EnrollmentFactory(course_offering=offering).user
    content_open(user=opener, offering=offering, item_id=items["a"].pk)
    # A learner of another run of the same course, who did only the item that moves.
    rerun = OfferingFactory(course=offering.course, term_name="Next term")
    mover = EnrollmentFactory(course_offering=rerun).user
    content_complete(user=mover, offering=rerun, item_id=items["b"].pk)
    untouched = EnrollmentFactory(course_offering=offering).user

    tracked(content_item_move, item=items["b"], module=modules["L3"])

    assert recorded(student) == {
        "L1": (Decimal("100.00"), True),  # a of a
        "L2": (Decimal("100.00"), True),
        "U1": (Decimal("100.00"), True),  # a, c of a, c
        "L3": (Decimal("25.00"), False),  # g of g, h, i, b
        "U2": (Decimal("20.00"), False),  # g of f, g, h, i, b
        "root": (Decimal("42.86"), False),  # a, c, g of 7
    }
    # Only the rows the learner had: opening L1 did not start L3 or U2.
    assert recorded(opener) == {
        "root": (Decimal("0.00"), False),
        "U1": (Decimal("0.00"), False),
        "L1": (Decimal("0.00"), False),
    }
    assert recorded(mover) == {
        "L1": (Decimal("0.00"), False),  # b left it
        "U1": (Decimal("0.00"), False),  # none of a, c
        "L3": (Decimal("25.00"), False),  # b of g, h, i, b: now started
        "U2": (Decimal("20.00"), False),
        "root": (Decimal("14.29"), False),  # b of 7
    }
    assert recorded(untouched) == {}


def test_moving_an_item_into_a_finished_module_keeps_its_completion(tree):
    offering, student, modules, items = tree
    content_complete(user=student, offering=offering, item_id=items["c"].pk)
    finished = UserModuleProgress.objects.get(user=student, module=modules["L2"]).completed_at
    tracked(content_item_move, item=items["a"], module=modules["L2"])
    l2 = UserModuleProgress.objects.get(user=student, module=modules["L2"])
    assert (l2.completed_at, l2.progress_percent) == (finished, Decimal("100.00"))
    assert recorded(student)["U1"] == (Decimal("33.33"), False)  # c of a, b, c


def test_a_move_within_a_module_or_a_refused_move_leaves_progress_alone(tree):
    offering, student, modules, items = tree
    content_complete(user=student, offering=offering, item_id=items["g"].pk)
    before = recorded(student)
    tracked(content_item_move, item=items["i"], module=modules["L3"], position=1)
    with pytest.raises(ValidationError):
        tracked(content_item_move, item=items["a"], module=modules["L3"], position=0)
    assert items["a"].__class__.objects.get(pk=items["a"].pk).module_id == modules["L1"].pk
    assert recorded(student) == before


def test_a_move_updates_all_learners_in_a_constant_number_of_queries(tree):
    offering, _student, modules, items = tree

    def moved_queries(item, module) -> int:
        with CaptureQueriesContext(connection) as captured:
            tracked(content_item_move, item=item, module=module)
        return len(captured)

    learners = [EnrollmentFactory(course_offering=offering).user]
    content_complete(user=learners[0], offering=offering, item_id=items["a"].pk)
    few = moved_queries(items["a"], modules["L3"])
    for _ in range(4):
        learner = EnrollmentFactory(course_offering=offering).user
        for key in ("b", "g", "h"):
            content_complete(user=learner, offering=offering, item_id=items[key].pk)
        learners.append(learner)
    many = moved_queries(items["b"], modules["U2"])
    assert few == many
    for learner in learners[1:]:
        rows = recorded(learner)
        assert rows["U2"] == (Decimal("50.00"), False)  # b, g, h of f, g, h, i, a, b
        assert rows["L3"] == (Decimal("50.00"), False)  # g, h of g, h, i, a


@pytest.mark.django_db(transaction=True)
def test_a_progress_write_waits_for_a_syllabus_change_in_progress():
    """While staff hold the course lock (a move in flight), a learner's completion waits and
    then rolls up against the moved tree, never the old one."""
    offering = OfferingFactory()
    root = trees.root(offering.course)
    first = trees.module(root, "First", module_type="lesson")
    second = trees.module(root, "Second", module_type="lesson")
    item, other = trees.item(first, "item"), trees.item(second, "other")
    student = EnrollmentFactory(course_offering=offering).user
    moving, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def learner() -> None:
        try:
            moving.wait(5)
            content_complete(user=student, offering=offering, item_id=item.pk)
            done.set()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=learner)
    thread.start()
    with transaction.atomic():
        tracked(content_item_move, item=item, module=second)
        moving.set()
        assert not done.wait(0.5)  # blocked on the course lock
    thread.join(5)
    assert errors == [] and done.is_set()
    rows = dict(
        UserModuleProgress.objects.filter(user=student).values_list("module_id", "progress_percent")
    )
    assert rows == {root.pk: Decimal("50.00"), second.pk: Decimal("50.00")}  # item of item, other
    assert other.module_id == second.pk


def test_deactivating_and_reactivating_an_item_keeps_recorded_completions(two_learners):
    _offering, ann, ben, modules, items = two_learners
    tracked(content_item_update, item=items["b"], is_active=False)
    assert recorded(ann) == {
        "L1": (Decimal("100.00"), True),  # a of a
        "L2": (Decimal("100.00"), True),
        "U1": (Decimal("100.00"), True),  # a, c of a, c
        "L3": (Decimal("33.33"), False),
        "U2": (Decimal("25.00"), False),
        "root": (Decimal("50.00"), False),  # a, c, g of 6
    }
    assert recorded(ben) == {
        "L1": (Decimal("0.00"), False),
        "U1": (Decimal("0.00"), False),
        "L3": (Decimal("33.33"), False),
        "U2": (Decimal("50.00"), False),
        "root": (Decimal("33.33"), False),  # f, h of 6
    }
    finished = {key: completed_at(ann, modules[key]) for key in ("L1", "U1", "L2")}
    tracked(content_item_update, item=items["b"], is_active=True)
    assert recorded(ann) == {
        "L1": (Decimal("100.00"), True),  # a of a, b, but its completion was recorded
        "L2": (Decimal("100.00"), True),
        "U1": (Decimal("100.00"), True),
        "L3": (Decimal("33.33"), False),
        "U2": (Decimal("25.00"), False),
        "root": (Decimal("42.86"), False),
    }
    assert recorded(ben) == {
        "L1": (Decimal("50.00"), False),
        "U1": (Decimal("33.33"), False),
        "L3": (Decimal("33.33"), False),
        "U2": (Decimal("50.00"), False),
        "root": (Decimal("42.86"), False),
    }
    assert {key: completed_at(ann, modules[key]) for key in finished} == finished


def test_deleting_an_item_recomputes_its_module_and_ancestors(two_learners):
    _offering, ann, ben, modules, items = two_learners
    tree_change_apply(content_item_delete(item=items["h"]))
    assert recorded(ann) == {
        "L1": (Decimal("50.00"), False),
        "L2": (Decimal("100.00"), True),
        "U1": (Decimal("66.67"), False),
        "L3": (Decimal("50.00"), False),  # g of g, i
        "U2": (Decimal("33.33"), False),  # g of f, g, i
        "root": (Decimal("50.00"), False),  # a, c, g of 6
    }
    assert recorded(ben) == {
        "L1": (Decimal("50.00"), False),
        "U1": (Decimal("33.33"), False),
        "L3": (Decimal("0.00"), False),  # h is gone
        "U2": (Decimal("33.33"), False),  # f of f, g, i
        "root": (Decimal("33.33"), False),  # b, f of 6
    }
    assert list(
        items["i"]
        .__class__.objects.filter(module=modules["L3"])
        .order_by("sequence_index")
        .values_list("title", "sequence_index")
    ) == [("g", 1), ("i", 2)]


def test_creating_an_item_recomputes_its_module_and_ancestors(two_learners):
    _offering, ann, ben, modules, _items = two_learners
    l2_done = completed_at(ann, modules["L2"])
    before = (recorded(ann), recorded(ben))
    trees.item(modules["L2"], "draft", active=False)  # counts nowhere
    assert (recorded(ann), recorded(ben)) == before
    trees.item(modules["L2"], "j")
    assert recorded(ann) == {
        "L1": (Decimal("50.00"), False),
        "L2": (Decimal("100.00"), True),  # c of c, j: the recorded completion stays
        "U1": (Decimal("50.00"), False),  # a, c of a, b, c, j
        "L3": (Decimal("33.33"), False),
        "U2": (Decimal("25.00"), False),
        "root": (Decimal("37.50"), False),  # a, c, g of 8
    }
    assert recorded(ben) == {
        "L1": (Decimal("50.00"), False),
        "U1": (Decimal("25.00"), False),  # b of a, b, c, j
        "L3": (Decimal("33.33"), False),
        "U2": (Decimal("50.00"), False),
        "root": (Decimal("37.50"), False),  # b, f, h of 8
    }
    assert completed_at(ann, modules["L2"]) == l2_done
