"""Progress: recording visits and completions, module rollups on a hand-computed tree,
idempotence, and concurrent writes (tree changes: test_progress_items.py,
test_progress_modules.py; the `tree` and `two_learners` fixtures are in conftest.py)."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections

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
from assessments.progress.tree_changes import tracked
from assessments.tests import trees
from assessments.tests.trees import recorded
from catalog.models import EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from content.selectors import outline_items
from syllabus.selectors import outline_rows
from syllabus.services import module_set_published

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
    tracked(module_set_published, module=modules["U2"], is_published=False)
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
