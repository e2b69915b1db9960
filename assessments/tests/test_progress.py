"""Progress: recording visits and completions, module rollups on a hand-computed tree,
idempotence, and concurrent writes."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from assessments.progress.models import UserContentProgress, UserModuleProgress
from assessments.progress.selectors import (
    course_progress,
    learner_marks,
    subtree_counts,
)
from assessments.progress.services import (
    VISIT_GAP,
    content_complete,
    content_open,
    content_progress_report,
)
from assessments.tests import trees
from catalog.models import EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from content.selectors import outline_items
from content.services import (
    content_item_delete,
    content_item_move,
    content_item_update,
)
from syllabus.selectors import outline_rows
from syllabus.services import module_delete, module_move, module_set_published, module_update


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
    module_set_published(module=t1, is_published=False)
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


def recorded(student) -> dict[str, tuple[Decimal, bool]]:
    return {
        row.module.title if row.module.parent_id else "root": (
            row.progress_percent,
            row.completed_at is not None,
        )
        for row in UserModuleProgress.objects.filter(user=student).select_related("module")
    }


pytestmark = pytest.mark.django_db


def test_rollup_on_a_hand_computed_tree(tree):
    offering, student, _modules, items = tree
    for key in ("a", "c", "g"):
        content_complete(user=student, offering=offering, item_id=items[key].pk)
    assert recorded(student) == {
        "L1": (Decimal("50.00"), False),  # a of a, b
        "L2": (Decimal("100.00"), True),  # c of c (d inactive, e under unpublished T1)
        "U1": (Decimal("66.67"), False),  # a, c of a, b, c
        "L3": (Decimal("33.33"), False),  # g of g, h, i
        "U2": (Decimal("25.00"), False),  # g of f, g, h, i
        "root": (Decimal("42.86"), False),  # a, c, g of 7
    }


def test_subtree_counts_match_the_recorded_rollup(tree):
    offering, student, modules, items = tree
    for key in ("a", "c", "g"):
        content_complete(user=student, offering=offering, item_id=items[key].pk)
    course_id = offering.course_id
    counts = subtree_counts(
        rows=outline_rows(course_id=course_id, published_only=True),
        items_by_module=outline_items(course_id=course_id, include_inactive=False),
        completed=learner_marks(user_id=student.pk, offering_id=offering.pk).completed,
    )
    by_title = {m.title if m.parent_id else "root": m.pk for m in modules.values()}
    pairs = {title: (counts.done.get(pk), counts.total.get(pk)) for title, pk in by_title.items()}
    assert pairs == {
        "root": (3, 7),
        "U1": (2, 3),
        "L1": (1, 2),
        "L2": (1, 1),
        "T1": (None, None),
        "U2": (1, 4),
        "L3": (1, 3),
    }


def test_course_progress_and_resume(tree):
    offering, student, _modules, items = tree
    fresh = course_progress(user_id=student.pk, offering_ids=[offering.pk])[offering.pk]
    assert (fresh.total_items, fresh.completed_items, fresh.percent) == (7, 0, 0)
    assert fresh.resume_item_id == items["a"].pk  # the first item of the outline
    content_complete(user=student, offering=offering, item_id=items["g"].pk)
    content_open(user=student, offering=offering, item_id=items["b"].pk)
    state = course_progress(user_id=student.pk, offering_ids=[offering.pk])[offering.pk]
    assert (state.total_items, state.completed_items, state.percent) == (7, 1, 14)
    assert state.resume_item_id == items["b"].pk  # touched last


def test_resume_skips_an_item_that_was_hidden_since(tree):
    offering, student, modules, items = tree
    content_open(user=student, offering=offering, item_id=items["a"].pk)
    content_open(user=student, offering=offering, item_id=items["g"].pk)
    module_set_published(module=modules["U2"], is_published=False)
    state = course_progress(user_id=student.pk, offering_ids=[offering.pk])[offering.pk]
    assert state.resume_item_id == items["a"].pk
    assert state.total_items == 3


def test_completing_twice_keeps_the_first_completion(tree):
    offering, student, modules, items = tree
    first = content_complete(user=student, offering=offering, item_id=items["c"].pk)
    l2_first = UserModuleProgress.objects.get(user=student, module=modules["L2"])
    second = content_complete(user=student, offering=offering, item_id=items["c"].pk)
    assert second.completed_at == first.completed_at
    assert second.progress_percent == 100
    assert UserContentProgress.objects.filter(user=student).count() == 1
    l2 = UserModuleProgress.objects.get(user=student, module=modules["L2"])
    assert (l2.completed_at, l2.progress_percent, l2.started_at) == (
        l2_first.completed_at,
        Decimal("100.00"),
        l2_first.started_at,
    )
    assert UserModuleProgress.objects.filter(user=student).count() == 3


def test_a_recorded_completion_never_drops_when_content_is_added(tree):
    offering, student, modules, items = tree
    content_complete(user=student, offering=offering, item_id=items["c"].pk)
    completed_at = UserModuleProgress.objects.get(user=student, module=modules["L2"]).completed_at
    # Staff add a topic with two items under the finished lesson; the learner does one.
    t2 = trees.module(modules["L2"], "T2", module_type="topic")
    new_item = trees.item(t2, "j")
    trees.item(t2, "k")
    content_complete(user=student, offering=offering, item_id=new_item.pk)
    l2 = UserModuleProgress.objects.get(user=student, module=modules["L2"])
    assert l2.completed_at == completed_at
    assert l2.progress_percent == Decimal("100.00")  # live: c, j of c, j, k
    t2_row = UserModuleProgress.objects.get(user=student, module=t2)
    assert (t2_row.progress_percent, t2_row.completed_at) == (Decimal("50.00"), None)
    assert recorded(student)["U1"] == (Decimal("40.00"), False)  # c, j of a, b, c, j, k


def test_opening_creates_missing_module_rows_only(tree):
    offering, student, modules, items = tree
    content_open(user=student, offering=offering, item_id=items["a"].pk)
    assert recorded(student) == {
        "root": (Decimal("0.00"), False),
        "U1": (Decimal("0.00"), False),
        "L1": (Decimal("0.00"), False),
    }
    started = UserModuleProgress.objects.get(user=student, module=modules["U1"]).started_at
    content_open(user=student, offering=offering, item_id=items["c"].pk)
    assert set(recorded(student)) == {"root", "U1", "L1", "L2"}
    assert UserModuleProgress.objects.get(user=student, module=modules["U1"]).started_at == started


def test_visits_count_once_per_gap(tree):
    offering, student, _modules, items = tree
    state = content_open(user=student, offering=offering, item_id=items["a"].pk)
    assert state.attempts_count == 1
    first_started = state.first_started_at
    assert content_open(user=student, offering=offering, item_id=items["a"].pk).attempts_count == 1
    UserContentProgress.objects.filter(user=student).update(
        last_interacted_at=first_started - VISIT_GAP - timedelta(seconds=1)
    )
    state = content_open(user=student, offering=offering, item_id=items["a"].pk)
    assert state.attempts_count == 2
    assert state.first_started_at == first_started
    assert state.last_interacted_at > first_started


def test_progress_report_keeps_the_furthest_point_and_completes_at_ninety(tree):
    offering, student, _modules, items = tree
    report = content_progress_report
    state = report(user=student, offering=offering, item_id=items["a"].pk, percent=Decimal(60))
    assert (state.progress_percent, state.is_complete) == (Decimal("60.00"), False)
    assert UserModuleProgress.objects.count() == 0  # percents of modules only move on completion
    state = report(user=student, offering=offering, item_id=items["a"].pk, percent=Decimal(10))
    assert (state.progress_percent, state.is_complete) == (Decimal("60.00"), False)
    state = report(user=student, offering=offering, item_id=items["a"].pk, percent=Decimal("89.99"))
    assert (state.progress_percent, state.is_complete) == (Decimal("89.99"), False)
    state = report(user=student, offering=offering, item_id=items["a"].pk, percent=Decimal(90))
    assert (state.progress_percent, state.is_complete) == (Decimal("100.00"), True)
    assert recorded(student)["L1"] == (Decimal("50.00"), False)


@pytest.mark.parametrize("value", [Decimal(-1), Decimal("100.01"), Decimal("NaN"), 50])
def test_progress_report_rejects_bad_values_and_writes_nothing(tree, value):
    offering, student, _modules, items = tree
    with pytest.raises(ValidationError):
        content_progress_report(
            user=student, offering=offering, item_id=items["a"].pk, percent=value
        )
    assert UserContentProgress.objects.count() == 0


def test_only_enrolled_learners_record_progress(tree):
    offering, _student, _modules, items = tree
    for status in (EnrollmentStatus.WAITLISTED, EnrollmentStatus.PENDING, EnrollmentStatus.DROPPED):
        user = EnrollmentFactory(course_offering=offering, status=status).user
        with pytest.raises(PermissionDenied):
            content_complete(user=user, offering=offering, item_id=items["a"].pk)
    assert UserContentProgress.objects.count() == 0
    assert UserModuleProgress.objects.count() == 0


def test_an_item_of_another_course_is_refused(tree):
    offering, student, _modules, _items = tree
    foreign = trees.item(trees.root(CourseFactory()), "elsewhere")
    with pytest.raises(ValidationError):
        content_complete(user=student, offering=offering, item_id=foreign.pk)
    assert UserContentProgress.objects.count() == 0
    assert UserModuleProgress.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_completions_in_one_module_roll_up_to_complete():
    """Two requests complete the two items of a lesson at the same moment; without the lock
    on the enrollment each rollup could miss the other's completion and leave 50 %."""
    offering = OfferingFactory()
    root = trees.root(offering.course)
    lesson = trees.module(root, "Lesson", module_type="lesson")
    first, second = trees.item(lesson, "one"), trees.item(lesson, "two")
    student = EnrollmentFactory(course_offering=offering).user
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def work(item_id: int) -> None:
        try:
            barrier.wait()
            content_open(user=student, offering=offering, item_id=item_id)
            content_complete(user=student, offering=offering, item_id=item_id)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in (first.pk, second.pk) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert UserContentProgress.objects.filter(user=student).count() == 2
    assert set(
        UserModuleProgress.objects.filter(user=student).values_list("module_id", "progress_percent")
    ) == {(root.pk, Decimal("100.00")), (lesson.pk, Decimal("100.00"))}
    assert not UserModuleProgress.objects.filter(user=student, completed_at__isnull=True).exists()


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

    content_item_move(item=items["b"], module=modules["L3"])

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
    content_item_move(item=items["a"], module=modules["L2"])
    l2 = UserModuleProgress.objects.get(user=student, module=modules["L2"])
    assert (l2.completed_at, l2.progress_percent) == (finished, Decimal("100.00"))
    assert recorded(student)["U1"] == (Decimal("33.33"), False)  # c of a, b, c


def test_a_move_within_a_module_or_a_refused_move_leaves_progress_alone(tree):
    offering, student, modules, items = tree
    content_complete(user=student, offering=offering, item_id=items["g"].pk)
    before = recorded(student)
    content_item_move(item=items["i"], module=modules["L3"], position=1)
    with pytest.raises(ValidationError):
        content_item_move(item=items["a"], module=modules["L3"], position=0)
    assert items["a"].__class__.objects.get(pk=items["a"].pk).module_id == modules["L1"].pk
    assert recorded(student) == before


def test_a_move_updates_all_learners_in_a_constant_number_of_queries(tree):
    offering, _student, modules, items = tree

    def moved_queries(item, module) -> int:
        with CaptureQueriesContext(connection) as captured:
            content_item_move(item=item, module=module)
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
        content_item_move(item=item, module=second)
        moving.set()
        assert not done.wait(0.5)  # blocked on the course lock
    thread.join(5)
    assert errors == [] and done.is_set()
    rows = dict(
        UserModuleProgress.objects.filter(user=student).values_list("module_id", "progress_percent")
    )
    assert rows == {root.pk: Decimal("50.00"), second.pk: Decimal("50.00")}  # item of item, other
    assert other.module_id == second.pk


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


def completed_at(learner, module):
    return UserModuleProgress.objects.get(user=learner, module=module).completed_at


def test_moving_a_module_recomputes_the_old_and_new_ancestors(two_learners):
    _offering, ann, ben, modules, _items = two_learners
    l2_done = completed_at(ann, modules["L2"])
    module_move(module=modules["L2"], parent=modules["U2"])  # c (d inactive, T1 hidden) moves
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
    module_move(module=modules["L3"], parent=modules["T1"])  # g, h, i now hidden
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
    module_set_published(module=modules["U2"], is_published=False)
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
    module_set_published(module=modules["U2"], is_published=True)
    module_set_published(module=modules["T1"], is_published=True)  # e counts now
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
    module_update(module=modules["L1"], is_published=False)  # a, b hidden
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
    module_delete(module=modules["L3"])  # g, h, i and their progress go
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


def test_deactivating_and_reactivating_an_item_keeps_recorded_completions(two_learners):
    _offering, ann, ben, modules, items = two_learners
    content_item_update(item=items["b"], is_active=False)
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
    content_item_update(item=items["b"], is_active=True)
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
    content_item_delete(item=items["h"])
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


def test_a_syllabus_change_rolled_back_leaves_progress_as_it_was(two_learners):
    _offering, ann, ben, modules, items = two_learners
    before = (recorded(ann), recorded(ben))
    with transaction.atomic():
        module_set_published(module=modules["U2"], is_published=False)
        content_item_delete(item=items["a"])
        transaction.set_rollback(True)
    assert (recorded(ann), recorded(ben)) == before


def test_syllabus_changes_update_all_learners_in_a_constant_number_of_queries(tree):
    offering, _student, modules, items = tree

    def changes() -> list[int]:
        counts = []
        for change in (
            lambda: module_move(module=modules["L2"], parent=modules["U2"]),
            lambda: module_move(module=modules["L2"], parent=modules["U1"]),
            lambda: module_set_published(module=modules["U2"], is_published=False),
            lambda: module_set_published(module=modules["U2"], is_published=True),
            lambda: content_item_update(item=items["b"], is_active=False),
            lambda: content_item_update(item=items["b"], is_active=True),
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
