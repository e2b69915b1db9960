"""Every input of a grade recomputes the stored grade: a score, a staff override, a regrade, a
policy edit, a graded item added, hidden, removed or moved out of sight, a module published or
unpublished. Tasks run in-process here; the worker test runs them through a real worker."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.grades.models import CourseGrade
from assessments.grades.services import grades_rollup
from assessments.labs.models import LabSubmission
from assessments.labs.services import lab_submission_review
from assessments.progress.tree_changes import tracked, tree_change_apply
from assessments.quizzes.regrade import attempts_regrade
from assessments.quizzes.services import (
    attempt_answers_save,
    attempt_start,
    attempt_submit,
)
from assessments.tests import quiz_factories as qf
from assessments.tests import trees
from assessments.tests.grading_data import GradedCourse, graded_course, worked_example
from catalog.tests.factories import EnrollmentFactory
from content.services import content_item_delete, content_item_move, content_item_update
from syllabus.models import Module
from syllabus.services import module_delete, module_set_published
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_process(tasks_in_process):
    """Every test here runs its tasks in-process."""


@pytest.fixture
def course() -> GradedCourse:
    return graded_course()


@pytest.fixture
def learner(course):
    user = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, user)
    # Default policy 40/40/20: quizzes (90 + 50 + 0) / 3 = 46.67, labs 75, essay 75 -> 63.67;
    # current (graded work only): quizzes 70 -> 73.00.
    grades_rollup(offering_id=course.offering.pk)
    assert stored(user, course) == (Decimal("63.67"), Decimal("73.00"))
    return user


def stored(user, course) -> tuple:
    grade = CourseGrade.objects.get(user=user, course_offering=course.offering)
    return grade.final_score, grade.current_score


def test_a_graded_item_added_counts_as_not_graded_yet(
    course, learner, django_capture_on_commit_callbacks
):
    unit = course.quizzes[0].module
    with django_capture_on_commit_callbacks(execute=True):
        trees.item(unit, "Quiz 4", "quiz")

    # quizzes 90, 50, 0, 0 -> 35.00; (40*35 + 40*75 + 20*75) / 100; the current grade stays.
    assert stored(learner, course) == (Decimal("59.00"), Decimal("73.00"))


def test_a_graded_item_deactivated_stops_counting(
    course, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tracked(content_item_update, item=course.quizzes[2], is_active=False)

    # quizzes 90, 50 -> 70.00: (40*70 + 40*75 + 20*75) / 100.
    assert stored(learner, course) == (Decimal("73.00"), Decimal("73.00"))


def test_a_graded_item_deleted_stops_counting(course, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tree_change_apply(content_item_delete(item=course.quizzes[1]))

    # quizzes 90, 0 -> 45.00; current: quiz 1 only -> 90.00, (40*90 + 40*75 + 20*75) / 100.
    assert stored(learner, course) == (Decimal("63.00"), Decimal("81.00"))


def test_a_graded_item_moved_into_an_unpublished_module_stops_counting(
    course, learner, django_capture_on_commit_callbacks
):
    draft = Module.objects.get(course=course.offering.course, title="Draft unit")
    with django_capture_on_commit_callbacks(execute=True):
        tracked(content_item_move, item=course.quizzes[2], module=draft)

    assert stored(learner, course) == (Decimal("73.00"), Decimal("73.00"))


def test_publishing_a_module_brings_its_graded_items_in(
    course, learner, django_capture_on_commit_callbacks
):
    draft = Module.objects.get(course=course.offering.course, title="Draft unit")
    with django_capture_on_commit_callbacks(execute=True):
        tracked(module_set_published, module=draft, is_published=True)

    # The hidden quiz now counts, not graded yet: quizzes 90, 50, 0, 0 -> 35.00.
    assert stored(learner, course) == (Decimal("59.00"), Decimal("73.00"))

    with django_capture_on_commit_callbacks(execute=True):
        tracked(module_set_published, module=draft, is_published=False)

    assert stored(learner, course) == (Decimal("63.67"), Decimal("73.00"))


def test_a_staff_override_recomputes_the_grade(course, learner, django_capture_on_commit_callbacks):
    lab2 = LabSubmission.objects.get(user=learner, content_item=course.labs[1])
    with django_capture_on_commit_callbacks(execute=True):
        lab_submission_review(
            submission_id=lab2.pk, actor=UserFactory(), feedback=None, score_override="100"
        )

    # labs (80 + 100) / 2 = 90: (40*46.67 + 40*90 + 20*75) / 100 = 69.668.
    assert stored(learner, course) == (Decimal("69.67"), Decimal("79.00"))


def test_a_policy_saved_in_the_admin_recomputes_the_grades(
    client, course, learner, django_capture_on_commit_callbacks
):
    admin = RoleFactory(university=course.offering.university, role=Role.UNIVERSITY_ADMIN).user
    client.force_login(admin)
    data = {
        "course_offering": course.offering.pk,
        "pass_threshold": "60",
        "letter_scheme": '[{"letter": "P", "min": 60}, {"letter": "F", "min": 0}]',
        "weight_quizzes": "50",
        "weight_labs": "30",
        "weight_assignments": "20",
        "quiz_attempt_rule": "best",
        "drop_lowest_quizzes": "0",
        "drop_lowest_labs": "0",
        "drop_lowest_assignments": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:assessments_gradingpolicy_add"), data)

    assert response.status_code == 302
    # (50*46.67 + 30*75 + 20*75) / 100 = 60.835; current (50*70 + 30*75 + 20*75) / 100.
    assert stored(learner, course) == (Decimal("60.84"), Decimal("72.50"))
    grade = CourseGrade.objects.get(user=learner)
    assert (grade.letter_grade, grade.passed) == ("P", True)


def test_a_quiz_regrade_recomputes_the_grade(django_capture_on_commit_callbacks):
    offering, item, _bank, questions, student = qf.quiz_setup()
    numeric = questions[-2]
    answers = qf.correct_answers(questions)
    answers[numeric.pk] = "9.9"  # wrong with the current key
    with django_capture_on_commit_callbacks(execute=True):
        attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
        attempt_answers_save(user=student, attempt_id=attempt.pk, answers=answers)
        attempt_submit(user=student, attempt_id=attempt.pk)
    grade = CourseGrade.objects.get(user=student, course_offering=offering)
    assert (grade.final_score, grade.current_score) == (Decimal("83.33"), Decimal("83.33"))

    numeric.numeric_answer = Decimal("9.9")
    numeric.save()
    with django_capture_on_commit_callbacks(execute=True):
        attempts_regrade(question_ids=[numeric.pk], actor=UserFactory())

    grade.refresh_from_db()
    assert (grade.final_score, grade.current_score) == (Decimal("100.00"), Decimal("100.00"))


def test_recalculate_button_recomputes_for_staff_of_the_offering(
    client, course, learner, django_capture_on_commit_callbacks
):
    CourseGrade.objects.filter(user=learner).update(final_score=Decimal("92.26"))
    admin = RoleFactory(university=course.offering.university, role=Role.UNIVERSITY_ADMIN).user
    client.force_login(admin)
    url = reverse("admin:assessments_coursegrade_gradebook_recalculate", args=[course.offering.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert stored(learner, course) == (Decimal("63.67"), Decimal("73.00"))


def test_recalculate_is_refused_to_staff_of_another_university_and_to_get(
    client, course, learner, django_capture_on_commit_callbacks
):
    CourseGrade.objects.filter(user=learner).update(final_score=Decimal("92.26"))
    url = reverse("admin:assessments_coursegrade_gradebook_recalculate", args=[course.offering.pk])
    outsider = RoleFactory(role=Role.UNIVERSITY_ADMIN).user
    client.force_login(outsider)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 404

    client.force_login(
        RoleFactory(university=course.offering.university, role=Role.UNIVERSITY_ADMIN).user
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 405
    assert stored(learner, course) == (Decimal("92.26"), Decimal("73.00"))


def test_changing_the_points_of_a_lab_recomputes_the_grade(
    course, learner, django_capture_on_commit_callbacks
):
    lab2 = course.labs[1]
    payload = {**lab2.data_json, "grading": {**lab2.data_json["grading"], "max_points": 140}}
    with django_capture_on_commit_callbacks(execute=True):
        tracked(content_item_update, item=lab2, data_json=payload)

    # Lab 2's 70 points are now out of 140 (50 %): labs (80 + 50) / 2 = 65;
    # (40*46.67 + 40*65 + 20*75) / 100 = 59.668; current (40*70 + 40*65 + 20*75) / 100.
    assert stored(learner, course) == (Decimal("59.67"), Decimal("69.00"))


def test_deleting_a_module_with_graded_items_recomputes_the_grade(
    course, learner, django_capture_on_commit_callbacks
):
    extra = trees.module(course.quizzes[0].module.parent, "Unit 2")
    trees.item(extra, "Quiz 4", "quiz")
    grades_rollup(offering_id=course.offering.pk)
    assert stored(learner, course) == (Decimal("59.00"), Decimal("73.00"))

    with django_capture_on_commit_callbacks(execute=True):
        tree_change_apply(module_delete(module=extra))

    assert stored(learner, course) == (Decimal("63.67"), Decimal("73.00"))
