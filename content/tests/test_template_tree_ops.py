"""Random sequences of tree operations that mix template instantiation, saving a subtree as a
template, moves of modules and items, and deletes keep every invariant of the tree and of the
items' numbering."""

import contextlib
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.tests.factories import CourseFactory
from content.models import ContentItem
from content.services import (
    content_item_move,
    module_from_template,
    subtree_layout,
    template_from_subtree,
)
from syllabus.models import Module, ModuleTemplate
from syllabus.services import course_root, module_delete, module_move
from syllabus.tests.test_services import assert_tree_consistent

pytestmark = pytest.mark.django_db

LESSON = {
    "children": [
        {
            "module_type": "topic",
            "title": "Topic",
            "content": [{"content_type": "text", "title": "Reading"}],
        },
        {"module_type": "topic", "title": "Practice"},
    ],
    "content": [
        {"content_type": "video", "title": "Lecture"},
        {"content_type": "quiz", "title": "Check"},
    ],
}


def assert_items_consistent(course_id: int) -> None:
    rows = ContentItem.objects.non_polymorphic().filter(module__course_id=course_id)
    by_module = defaultdict(list)
    for module_id, sequence_index, item_course_id in rows.values_list(
        "module_id", "sequence_index", "course_id"
    ):
        by_module[module_id].append(sequence_index)
        assert item_course_id == course_id
    for module_id, indexes in by_module.items():
        assert sorted(indexes) == list(range(1, len(indexes) + 1)), module_id


operations = st.lists(
    st.tuples(
        st.sampled_from(["template", "save_and_instantiate", "move", "move_item", "delete"]),
        st.integers(min_value=0, max_value=60),
        st.integers(min_value=0, max_value=60),
        st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
    ),
    min_size=1,
    max_size=15,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_random_template_and_move_sequences_keep_every_invariant(ops):
    with transaction.atomic():
        course = CourseFactory()
        root = course_root(course=course)
        lesson = ModuleTemplate.objects.create(
            template_type="lesson", title="Lesson", default_data=LESSON
        )
        for step, (op, i, j, position) in enumerate(ops):
            nodes = list(Module.objects.filter(course=course).order_by("pk"))
            node, target = nodes[i % len(nodes)], nodes[j % len(nodes)]
            if op == "template":
                made, _ = module_from_template(template=lesson, parent=target, title=f"n{step}")
                children = list(made.get_children().order_by("sequence_index"))
                assert [(c.title, c.depth) for c in children] == [
                    ("Topic", made.depth + 1),
                    ("Practice", made.depth + 1),
                ]
                assert [i.title for i in made.content_items.order_by("sequence_index")] == [
                    "Lecture",
                    "Check",
                ]
                assert children[0].content_items.get().title == "Reading"
            elif op == "save_and_instantiate" and node.pk != root.pk:
                saved = template_from_subtree(module=node, title=f"t{step}")
                size = Module.objects.get(pk=node.pk).get_descendant_count()
                # The target may lie inside the saved subtree: the copy is made from the
                # template, so it has the subtree's size as it was when saved.
                copy, _ = module_from_template(template=saved, parent=target)
                assert copy.get_descendant_count() == size
                assert len(subtree_layout(module=copy)["content"]) == len(
                    saved.default_data["content"]
                )
            elif op == "move" and node.pk != root.pk:
                with contextlib.suppress(ValidationError):
                    module_move(module=node, parent=target, position=position)
            elif op == "move_item":
                items = list(
                    ContentItem.objects.non_polymorphic().filter(course=course).order_by("pk")
                )
                if items:
                    content_item_move(item=items[i % len(items)], module=target, position=position)
            elif op == "delete" and node.pk != root.pk:
                module_delete(module=node)
            assert_tree_consistent(course.pk)
            assert_items_consistent(course.pk)
        transaction.set_rollback(True)
