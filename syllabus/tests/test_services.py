"""Tree operations keep MPTT fields, `depth` and sibling `sequence_index` consistent."""

import contextlib
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.tests.factories import CourseFactory
from syllabus.models import Module
from syllabus.services import (
    course_root,
    module_create,
    module_delete,
    module_move,
    module_set_published,
)

pytestmark = pytest.mark.django_db


def assert_tree_consistent(course_id: int) -> None:
    rows = list(
        Module.objects.filter(course_id=course_id)
        .order_by("tree_id", "lft")
        .values("id", "parent_id", "depth", "sequence_index", "lft", "rght", "tree_id")
    )
    by_id = {r["id"]: r for r in rows}
    children = defaultdict(list)
    for r in rows:
        children[r["parent_id"]].append(r)
    for parent_id, kids in children.items():
        assert [k["sequence_index"] for k in kids] == list(range(1, len(kids) + 1)), parent_id
        for kid in kids:
            if parent_id is None:
                assert kid["depth"] == 0 and kid["lft"] == 1
            else:
                parent = by_id[parent_id]
                assert kid["depth"] == parent["depth"] + 1
                assert kid["tree_id"] == parent["tree_id"]
                assert parent["lft"] < kid["lft"] < kid["rght"] < parent["rght"]
    for r in rows:
        descendants = sum(
            1 for o in rows if o["tree_id"] == r["tree_id"] and r["lft"] < o["lft"] < r["rght"]
        )
        assert r["rght"] - r["lft"] == 2 * descendants + 1


def titles(parent: Module) -> list[str]:
    return list(
        Module.objects.filter(parent=parent).order_by("lft").values_list("title", flat=True)
    )


@pytest.fixture
def course():
    return CourseFactory()


@pytest.fixture
def root(course):
    return course_root(course=course)


def add(course, parent, title, **kwargs):
    return module_create(course=course, parent=parent, module_type="unit", title=title, **kwargs)


def test_insert_appends_or_places_and_numbers_siblings(course, root):
    add(course, root, "B")
    add(course, root, "C")
    add(course, root, "A", position=1)
    assert titles(root) == ["A", "B", "C"]
    assert list(
        Module.objects.filter(parent=root).order_by("lft").values_list("sequence_index", flat=True)
    ) == [1, 2, 3]
    assert_tree_consistent(course.pk)


def test_depth_follows_the_tree_four_levels_down(course, root):
    unit = add(course, root, "Unit")
    chapter = add(course, unit, "Chapter")
    lesson = add(course, chapter, "Lesson")
    topic = add(course, lesson, "Topic")
    assert [m.depth for m in (root, unit, chapter, lesson, topic)] == [0, 1, 2, 3, 4]
    assert_tree_consistent(course.pk)


def test_move_subtree_to_another_parent_renumbers_both_sides(course, root):
    a, _b, c = (add(course, root, t) for t in "ABC")
    a1 = add(course, a, "A1")
    add(course, a1, "A1x")
    module_move(module=a1, parent=c, position=1)
    assert titles(root) == ["A", "B", "C"]
    assert titles(c) == ["A1"]
    moved = Module.objects.get(pk=a1.pk)
    assert (moved.depth, moved.sequence_index) == (2, 1)
    assert Module.objects.get(title="A1x").depth == 3
    module_move(module=c, parent=root, position=1)
    assert titles(root) == ["C", "A", "B"]
    assert_tree_consistent(course.pk)


def test_move_into_own_subtree_is_refused_and_changes_nothing(course, root):
    a = add(course, root, "A")
    a1 = add(course, a, "A1")
    before = list(Module.objects.order_by("pk").values_list("parent_id", "lft", "sequence_index"))
    with pytest.raises(ValidationError) as excinfo:
        module_move(module=a, parent=a1)
    assert "own subtree" in str(excinfo.value)
    after = list(Module.objects.order_by("pk").values_list("parent_id", "lft", "sequence_index"))
    assert after == before


def test_move_to_another_course_is_refused(course, root):
    a = add(course, root, "A")
    other = CourseFactory(university=course.university)
    with pytest.raises(ValidationError):
        module_move(module=a, parent=course_root(course=other))
    assert Module.objects.get(pk=a.pk).parent_id == root.pk


def test_delete_subtree_closes_the_gap(course, root):
    _a, b, _c = (add(course, root, t) for t in "ABC")
    add(course, add(course, b, "B1"), "B1x")
    module_delete(module=b)
    assert titles(root) == ["A", "C"]
    assert Module.objects.filter(course=course).count() == 3
    assert_tree_consistent(course.pk)


def test_duplicate_sibling_order_is_rejected_by_the_database(course, root):
    a = add(course, root, "A")
    add(course, root, "B")
    with (
        pytest.raises(IntegrityError) as excinfo,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE modules SET sequence_index = 2 WHERE id = %s", [a.pk])
    assert "ux_modules_course_parent_sequence" in str(excinfo.value)


def test_roots_of_a_course_are_ordered_too(course, root):
    extra = module_create(course=course, parent=None, module_type="other", title="Appendix")
    assert (root.sequence_index, extra.sequence_index) == (1, 2)
    module_move(module=extra, parent=None, position=1)
    assert list(
        Module.objects.filter(course=course, parent=None)
        .order_by("sequence_index")
        .values_list("title", flat=True)
    ) == ["Appendix", root.title]
    assert_tree_consistent(course.pk)


def test_publishing_covers_the_subtree(course, root):
    a = add(course, root, "A")
    a1 = add(course, a, "A1")
    assert module_set_published(module=a, is_published=True)[0] == 2
    assert Module.objects.get(pk=a1.pk).is_published is True


operations = st.lists(
    st.tuples(
        st.sampled_from(["add", "move", "delete"]),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=0, max_value=50),
        st.one_of(st.none(), st.integers(min_value=1, max_value=6)),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_random_sequences_of_operations_keep_every_invariant(ops):
    with transaction.atomic():
        course = CourseFactory()
        root = course_root(course=course)
        for step, (op, i, j, position) in enumerate(ops):
            nodes = list(Module.objects.filter(course=course).order_by("pk"))
            node = nodes[i % len(nodes)]
            target = nodes[j % len(nodes)]
            if op == "add":
                add(course, target, f"n{step}", position=position)
            elif op == "delete" and node.pk != root.pk:
                module_delete(module=node)
            elif op == "move" and node.pk != root.pk:
                with contextlib.suppress(ValidationError):
                    module_move(module=node, parent=target, position=position)
            assert_tree_consistent(course.pk)
        transaction.set_rollback(True)


def test_outline_rows_hide_unpublished_subtrees_in_one_query(
    course, root, django_assert_num_queries
):
    from syllabus.selectors import outline_rows

    a = add(course, root, "A", is_published=True)
    add(course, a, "A1", is_published=True)
    b = add(course, root, "B", is_published=False)
    add(course, b, "B1", is_published=True)
    add(course, root, "C", is_published=True)
    with django_assert_num_queries(1):
        published = outline_rows(course_id=course.pk, published_only=True)
    assert [(r["title"], r["depth"]) for r in published] == [
        (root.title, 0),
        ("A", 1),
        ("A1", 2),
        ("C", 1),
    ]
    everything = outline_rows(course_id=course.pk, published_only=False)
    assert [r["title"] for r in everything] == [root.title, "A", "A1", "B", "B1", "C"]
