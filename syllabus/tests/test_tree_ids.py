"""A course's trees are its own: new tree ids come from a sequence (no lock over the table),
so courses never wait for each other, and nothing done to one course's roots renumbers
another course's trees. The outline order by tree id follows each course's root order."""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.tests.factories import CourseFactory
from syllabus import tree
from syllabus.models import Module
from syllabus.services import course_root, module_create, module_delete, module_move
from syllabus.tests.test_services import assert_tree_consistent

WAIT = 10


def add(course, parent, title, **kwargs):
    return module_create(course=course, parent=parent, module_type="unit", title=title, **kwargs)


def tree_fields(course) -> list[tuple[int, int, int, int, int]]:
    return list(
        Module.objects.filter(course=course)
        .order_by("pk")
        .values_list("pk", "tree_id", "lft", "rght", "sequence_index")
    )


def outline_titles(course) -> list[str]:
    rows = Module.objects.filter(course=course).order_by(*tree.OUTLINE_ORDER)
    return list(rows.values_list("title", flat=True))


def roots_in_outline_order(course) -> list[str]:
    rows = Module.objects.filter(course=course).order_by(*tree.OUTLINE_ORDER)
    return [title for title, parent in rows.values_list("title", "parent_id") if parent is None]


def root_titles(course) -> list[str]:
    rows = Module.objects.filter(course=course, parent=None).order_by("sequence_index")
    return list(rows.values_list("title", flat=True))


class HeldTransaction:
    """A thread with its own connection that creates a top-level module of `course` and keeps
    its transaction open until `release`."""

    def __init__(self, course, title: str) -> None:
        self.holding = threading.Event()
        self.released = threading.Event()
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, args=(course, title))

    def _run(self, course, title: str) -> None:
        try:
            with transaction.atomic():
                add(course, None, title)
                self.holding.set()
                self.released.wait(WAIT)
        except BaseException as error:  # reported by the test, from the main thread
            self.errors.append(error)
        finally:
            self.holding.set()
            connection.close()

    def __enter__(self) -> "HeldTransaction":
        self.thread.start()
        assert self.holding.wait(WAIT)
        return self

    def __exit__(self, *exc) -> None:
        self.released.set()
        self.thread.join(WAIT)
        assert self.errors == []


@pytest.mark.django_db(transaction=True)
def test_new_top_level_modules_of_two_courses_do_not_wait_for_each_other():
    first, second = CourseFactory(), CourseFactory()
    with HeldTransaction(first, "First's appendix"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        made = add(second, None, "Second's appendix")
    assert made.sequence_index == 1
    assert root_titles(first) == ["First's appendix"]
    assert root_titles(second) == ["Second's appendix"]


@pytest.mark.django_db(transaction=True)
def test_new_top_level_modules_of_one_course_take_turns():
    course = CourseFactory()
    done = threading.Event()
    errors: list[BaseException] = []

    def second() -> None:
        try:
            add(course, None, "Second")
            done.set()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    waiting = threading.Thread(target=second)
    with HeldTransaction(course, "First"):
        waiting.start()
        assert not done.wait(1.0), "the second write went ahead while the first held the course"
    waiting.join(WAIT)
    assert errors == [] and done.is_set()
    assert root_titles(course) == ["First", "Second"]
    assert_tree_consistent(course.pk)


@pytest.mark.django_db(transaction=True)
def test_a_course_waiting_for_its_own_lock_times_out_instead_of_another_course():
    """The other side of the first test: the timeout there is real, as the same course hits it."""
    course = CourseFactory()
    with HeldTransaction(course, "First"), pytest.raises(OperationalError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '200ms'")
        add(course, None, "Second")
    assert root_titles(course) == ["First"]


@pytest.fixture
def two_courses(db):
    """Course A's first tree is older than course B's trees, and its later ones newer, so
    moves among A's roots would shift B's tree ids if they went through mptt's tree ids."""
    a, b = CourseFactory(), CourseFactory()
    a_root = course_root(course=a)
    add(a, a_root, "A1")
    for title in ("B root", "B appendix"):
        made = add(b, None, title)
        add(b, made, f"{title} 1")
    add(a, None, "A appendix")
    return a, b


def test_top_level_inserts_and_moves_in_one_course_leave_the_other_course_alone(two_courses):
    a, b = two_courses
    before = tree_fields(b)
    first = add(a, None, "A preface", position=1)
    assert root_titles(a) == ["A preface", a.title, "A appendix"]
    module_move(module=first, parent=None, position=3)
    assert root_titles(a) == [a.title, "A appendix", "A preface"]
    a1 = Module.objects.get(course=a, title="A1")
    module_move(module=a1, parent=None, position=1)
    assert root_titles(a) == ["A1", a.title, "A appendix", "A preface"]
    appendix = Module.objects.get(course=a, title="A appendix")
    module_move(module=appendix, parent=a1, position=None)
    module_move(module=Module.objects.get(pk=first.pk), parent=None, position=2)
    assert root_titles(a) == ["A1", "A preface", a.title]
    module_delete(module=Module.objects.get(pk=a1.pk))
    add(a, None, "A epilogue")
    assert root_titles(a) == ["A preface", a.title, "A epilogue"]
    assert outline_titles(a) == ["A preface", a.title, "A epilogue"]
    assert tree_fields(b) == before
    assert_tree_consistent(a.pk)
    assert_tree_consistent(b.pk)


def test_outline_order_follows_the_roots_with_their_subtrees(two_courses):
    a, _b = two_courses
    preface = add(a, None, "A preface", position=1)
    add(a, preface, "P1")
    assert outline_titles(a) == ["A preface", "P1", a.title, "A1", "A appendix"]
    module_move(module=Module.objects.get(pk=preface.pk), parent=None, position=None)
    assert outline_titles(a) == [a.title, "A1", "A appendix", "A preface", "P1"]


def test_mptt_root_sibling_moves_are_refused_and_change_nothing(two_courses):
    a, b = two_courses
    before_a, before_b = tree_fields(a), tree_fields(b)
    appendix = Module.objects.get(course=a, title="A appendix")
    root = Module.objects.get(course=a, parent=None, module_type="course_root")
    with pytest.raises(RuntimeError), transaction.atomic():
        Module.objects.move_node(appendix, root, "left")
    with pytest.raises(RuntimeError), transaction.atomic():
        Module.objects.insert_node(Module(course=a, title="x"), root, "right", save=True)
    assert (tree_fields(a), tree_fields(b)) == (before_a, before_b)


def test_new_tree_ids_are_above_every_tree_and_increasing(two_courses):
    highest = max(Module.objects.values_list("tree_id", flat=True))
    ids = tree.new_tree_ids(3)
    assert ids == sorted(ids) and len(set(ids)) == 3 and ids[0] > highest
    assert tree.new_tree_ids(0) == []


def test_bulk_tree_columns_match_what_the_services_build(db):
    course = CourseFactory()
    root = course_root(course=course)
    for unit in ("U1", "U2", "U3"):
        made = add(course, root, unit)
        for lesson in ("a", "b"):
            child = add(course, made, f"{unit}{lesson}")
            add(course, child, f"{unit}{lesson}!")
    rows = list(
        Module.objects.filter(course=course)
        .order_by(*tree.OUTLINE_ORDER)
        .values_list("pk", "parent_id", "lft", "rght", "tree_id")
    )
    position = {pk: i for i, (pk, *_rest) in enumerate(rows)}
    parents = [position[parent] if parent else None for _pk, parent, *_rest in rows]
    built = tree.bulk_tree_columns(parents, new_tree=root.tree_id)
    assert tree.BULK_TREE_COLUMNS == ("lft", "rght", "tree_id")
    assert built == [tuple(row[2:]) for row in rows]


@pytest.mark.parametrize("parents", [[], [0], [None, None], [None, 1], [None, 0, 5]])
def test_bulk_tree_columns_refuse_what_is_not_one_tree_in_pre_order(parents):
    with pytest.raises(ValueError):
        tree.bulk_tree_columns(parents, new_tree=1)


operations = st.lists(
    st.tuples(
        st.sampled_from(["add", "add-top", "move", "move-top", "delete"]),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=0, max_value=50),
        st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
    ),
    min_size=1,
    max_size=20,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_random_top_level_changes_keep_every_invariant_and_the_other_course(two_courses, ops):
    a, b = two_courses
    before = tree_fields(b)
    with transaction.atomic():
        for step, (op, i, j, position) in enumerate(ops):
            nodes = list(Module.objects.filter(course=a).order_by("pk"))
            if not nodes:
                add(a, None, f"n{step}")
                continue
            node, target = nodes[i % len(nodes)], nodes[j % len(nodes)]
            if op == "add":
                add(a, target, f"n{step}", position=position)
            elif op == "add-top":
                add(a, None, f"n{step}", position=position)
            elif op == "delete":
                module_delete(module=node)
            elif op in ("move", "move-top"):
                with contextlib.suppress(ValidationError):
                    parent = None if op == "move-top" else target
                    module_move(module=node, parent=parent, position=position)
            assert_tree_consistent(a.pk)
            assert roots_in_outline_order(a) == root_titles(a)
        assert tree_fields(b) == before
        transaction.set_rollback(True)
