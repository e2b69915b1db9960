"""Fixtures of the progress tests: a hand-computed tree with one learner, and two learners
with completions on it."""

from decimal import Decimal

import pytest

from assessments.progress.services import (
    content_complete,
)
from assessments.progress.tree_changes import tracked
from assessments.tests import trees
from assessments.tests.trees import recorded
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from syllabus.services import module_set_published


@pytest.fixture
def tree():
    """
    root
     ├─ U1
     │   ├─ L1: a, b
     │   └─ L2: c, d (inactive)
     │        └─ T1 (unpublished): e
     └─ U2: f
         └─ L3: g, h, i

    Visible items: a b c f g h i (7).
    """
    offering = OfferingFactory()
    root = trees.root(offering.course)
    u1 = trees.module(root, "U1")
    l1 = trees.module(u1, "L1", module_type="lesson")
    l2 = trees.module(u1, "L2", module_type="lesson")
    t1 = trees.module(l2, "T1", module_type="topic")
    u2 = trees.module(root, "U2")
    l3 = trees.module(u2, "L3", module_type="lesson")
    tracked(module_set_published, module=t1, is_published=False)
    items = {
        "a": trees.item(l1, "a"),
        "b": trees.item(l1, "b"),
        "c": trees.item(l2, "c"),
        "d": trees.item(l2, "d", active=False),
        "e": trees.item(t1, "e"),
        "f": trees.item(u2, "f"),
        "g": trees.item(l3, "g"),
        "h": trees.item(l3, "h"),
        "i": trees.item(l3, "i"),
    }
    modules = {"root": root, "U1": u1, "L1": l1, "L2": l2, "T1": t1, "U2": u2, "L3": l3}
    student = EnrollmentFactory(course_offering=offering).user
    return offering, student, modules, items


@pytest.fixture
def two_learners(tree):
    """Ann completes a, c and g; Ben completes b, f and h (see `tree`)."""
    offering, _student, modules, items = tree
    ann = EnrollmentFactory(course_offering=offering).user
    ben = EnrollmentFactory(course_offering=offering).user
    for learner, keys in ((ann, "acg"), (ben, "bfh")):
        for key in keys:
            content_complete(user=learner, offering=offering, item_id=items[key].pk)
    assert recorded(ann) == {
        "L1": (Decimal("50.00"), False),
        "L2": (Decimal("100.00"), True),
        "U1": (Decimal("66.67"), False),
        "L3": (Decimal("33.33"), False),
        "U2": (Decimal("25.00"), False),
        "root": (Decimal("42.86"), False),
    }
    assert recorded(ben) == {
        "L1": (Decimal("50.00"), False),  # b of a, b
        "U1": (Decimal("33.33"), False),  # b of a, b, c
        "L3": (Decimal("33.33"), False),  # h of g, h, i
        "U2": (Decimal("50.00"), False),  # f, h of f, g, h, i
        "root": (Decimal("42.86"), False),  # b, f, h of 7
    }
    return offering, ann, ben, modules, items
