"""What a tree write reports: changes of one course combine, no change is falsy and leaves any
change as it is, and changes of two courses are never mixed."""

import pytest

from syllabus.changes import NO_CHANGE, TreeChange, modules_reshaped


def test_changes_of_one_course_combine_every_part():
    moved = TreeChange(course_id=7, module_ids=frozenset({1, 2}), item_ids=frozenset({10}))
    payload = TreeChange(course_id=7, payload_item_ids=frozenset({11}))
    published = modules_reshaped(course_id=7, subtree_ids=[3])

    assert moved | payload | published == TreeChange(
        course_id=7,
        module_ids=frozenset({1, 2}),
        subtree_ids=frozenset({3}),
        item_ids=frozenset({10}),
        payload_item_ids=frozenset({11}),
        reshaped=True,
    )


def test_no_change_is_falsy_and_leaves_a_change_as_it_is():
    change = modules_reshaped(course_id=7, module_ids=[4])
    assert not NO_CHANGE
    assert change
    assert NO_CHANGE | change is change
    assert change | NO_CHANGE is change


def test_changes_of_two_courses_are_not_combined():
    with pytest.raises(ValueError):
        modules_reshaped(course_id=7, module_ids=[4]) | modules_reshaped(
            course_id=8, module_ids=[5]
        )
