import threading
from decimal import Decimal

import pytest
from django.db import connection

from assessments.grades.models import CourseGrade, GradingPolicy
from assessments.grades.services import (
    grades_finalize,
    grades_rollup,
    offerings_to_roll_up,
    policy_errors,
)
from assessments.tests import trees
from assessments.tests.grading_data import (
    GradedCourse,
    attempt,
    ended_offering,
    graded_course,
    submission,
    worked_example,
)
from catalog.models import CourseEnrollment, EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory, OfferingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db) -> GradedCourse:
    return graded_course()


@pytest.fixture
def learner(course):
    return EnrollmentFactory(course_offering=course.offering).user


def grade_of(user, offering) -> tuple:
    row = CourseGrade.objects.get(user=user, course_offering=offering)
    return row.final_score, row.letter_grade, row.passed


def policy(offering, **fields) -> GradingPolicy:
    values = {"weight_quizzes": 50, "weight_labs": 30, "weight_assignments": 20, **fields}
    return GradingPolicy.objects.create(course_offering=offering, **values)


def test_weights_best_attempt_drop_lowest_and_latest_graded_submission(course, learner):
    # quizzes: 90 (best of 90, 60), 50, 0 -> the 0 dropped -> 70; labs: 80, 70 -> 75;
    # assignments: 15/20 -> 75; total (50*70 + 30*75 + 20*75) / 100 = 72.50, a C.
    policy(course.offering, drop_lowest_quizzes=1)
    worked_example(course, learner)

    result = grades_rollup(offering_id=course.offering.pk)

    assert result.changed == 1
    assert grade_of(learner, course.offering) == (Decimal("72.50"), "C", True)


def test_latest_attempt_rule_and_no_drop(course, learner):
    # quizzes: 60 (latest), 50, 0 -> 36.67 (110/3, as shown); total = (50*36.67 + 30*75 + 20*75)
    # / 100 = 55.835 -> 55.84: the total is the policy applied to the category percents shown.
    policy(course.offering, quiz_attempt_rule="latest")
    worked_example(course, learner)

    grades_rollup(offering_id=course.offering.pk)

    assert grade_of(learner, course.offering) == (Decimal("55.84"), "F", False)


def test_default_policy_applies_without_one(course, learner):
    # Default 40/40/20, no drops: quizzes (90+50+0)/3 = 46.67, labs 75, essay 75;
    # (40*46.666.. + 40*75 + 20*75) / 100 = 63.67, a D, passing at 60.
    worked_example(course, learner)

    grades_rollup(offering_id=course.offering.pk)

    assert grade_of(learner, course.offering) == (Decimal("63.67"), "D", True)


def test_drop_lowest_keeps_one_item_and_missing_work_scores_zero(course, learner):
    policy(course.offering, drop_lowest_labs=5, drop_lowest_assignments=3)
    submission(learner, course.offering, course.labs[0], 30, 100)
    submission(learner, course.offering, course.labs[1], 90, 100)

    grades_rollup(offering_id=course.offering.pk)

    # quizzes 0; labs: only the best (90) counts; the essay is the one assignment: 0.
    # (50*0 + 30*90 + 20*0) / 100 = 27.00
    assert grade_of(learner, course.offering) == (Decimal("27.00"), "F", False)


def test_empty_categories_give_their_weight_to_the_others(db):
    offering = OfferingFactory()
    unit = trees.module(trees.root(offering.course), "Unit")
    quiz = trees.item(unit, "Only quiz", "quiz")
    user = EnrollmentFactory(course_offering=offering).user
    policy(offering)
    attempt(user, offering, quiz, 7, 8)

    grades_rollup(offering_id=offering.pk)

    assert grade_of(user, offering) == (Decimal("87.50"), "B", True)


def test_custom_letters_and_threshold(course, learner):
    policy(
        course.offering,
        drop_lowest_quizzes=1,
        pass_threshold=Decimal("75"),
        letter_scheme=[{"letter": "Pass+", "min": 70}, {"letter": "Low", "min": 0}],
    )
    worked_example(course, learner)

    grades_rollup(offering_id=course.offering.pk)

    assert grade_of(learner, course.offering) == (Decimal("72.50"), "Pass+", False)


def test_finalising_completes_only_active_enrollments_that_pass(course, learner):
    policy(course.offering, drop_lowest_quizzes=1)
    worked_example(course, learner)
    failing = EnrollmentFactory(course_offering=course.offering)
    completed_before = EnrollmentFactory(
        course_offering=course.offering, status=EnrollmentStatus.COMPLETED
    )
    worked_example(course, completed_before.user)
    dropped = EnrollmentFactory(course_offering=course.offering, status=EnrollmentStatus.DROPPED)
    worked_example(course, dropped.user)

    result = grades_finalize(offering_id=course.offering.pk)

    enrollment = CourseEnrollment.objects.get(user=learner, course_offering=course.offering)
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert enrollment.completed_at is not None
    failing.refresh_from_db()
    assert failing.status == EnrollmentStatus.ACTIVE
    assert result.completed == 1
    assert grade_of(failing.user, course.offering) == (Decimal("0.00"), "F", False)
    # Completed learners keep being graded; dropped ones get no grade.
    assert grade_of(completed_before.user, course.offering)[2] is True
    assert not CourseGrade.objects.filter(user=dropped.user).exists()
    assert sorted(result.certificates_due) == sorted([learner.pk, completed_before.user.pk])


def test_one_learner_rollup_touches_only_that_learner(course, learner):
    other = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, learner)
    worked_example(course, other)

    grades_rollup(offering_id=course.offering.pk, user_ids=[learner.pk])

    assert grade_of(learner, course.offering) == (Decimal("63.67"), "D", True)
    assert not CourseGrade.objects.filter(user=other).exists()


def test_rollup_again_changes_nothing(course, learner):
    worked_example(course, learner)
    grades_rollup(offering_id=course.offering.pk)
    graded_at = CourseGrade.objects.get(user=learner).graded_at

    again = grades_rollup(offering_id=course.offering.pk)

    assert again.changed == 0
    assert again.completed == 0
    assert CourseGrade.objects.get(user=learner).graded_at == graded_at


def test_new_score_updates_the_grade(course, learner):
    worked_example(course, learner)
    grades_rollup(offering_id=course.offering.pk)
    attempt(learner, course.offering, course.quizzes[2], 10, minutes=9)

    result = grades_rollup(offering_id=course.offering.pk, user_ids=[learner.pk])

    # quizzes (90+50+100)/3 = 80 -> (40*80 + 40*75 + 20*75) / 100 = 77.00
    assert result.changed == 1
    assert grade_of(learner, course.offering) == (Decimal("77.00"), "C", True)


def test_other_offerings_scores_do_not_count(course, learner):
    second = OfferingFactory(course=course.offering.course)
    EnrollmentFactory(user=learner, course_offering=second)
    attempt(learner, second, course.quizzes[0], 10)

    grades_rollup(offering_id=course.offering.pk)

    assert grade_of(learner, course.offering) == (Decimal("0.00"), "F", False)


def test_offerings_to_roll_up_are_those_with_active_enrollments(course, learner):
    finished = OfferingFactory()
    EnrollmentFactory(course_offering=finished, status=EnrollmentStatus.COMPLETED)

    assert offerings_to_roll_up() == [course.offering.pk]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"weight_quizzes": 50}, "weight_quizzes", "add up to 110;"),
        ({"weight_labs": -10}, "weight_quizzes", "from 0 to 100"),
        ({"pass_threshold": 101}, "pass_threshold", "from 0 to 100"),
        ({"letter_scheme": []}, "letter_scheme", "Give a list"),
        ({"letter_scheme": [{"letter": "A", "min": 50}]}, "letter_scheme", "minimum of 0"),
        (
            {"letter_scheme": [{"letter": "B", "min": 10}, {"letter": "A", "min": 50}]},
            "letter_scheme",
            "highest minimum",
        ),
        (
            {"letter_scheme": [{"letter": "A", "min": 50}, {"letter": "A", "min": 0}]},
            "letter_scheme",
            "appears twice",
        ),
        ({"letter_scheme": [{"letter": "A", "min": "0"}]}, "letter_scheme", "is a number"),
        ({"letter_scheme": [{"letter": "", "min": 0}]}, "letter_scheme", "1 to 8"),
        ({"letter_scheme": [{"grade": "A"}]}, "letter_scheme", "exactly"),
    ],
)
def test_policy_validation(fields, field, message):
    values = {"weight_quizzes": 40, "weight_labs": 40, "weight_assignments": 20}
    candidate = GradingPolicy(**{**values, **fields})

    errors = policy_errors(candidate)

    assert list(errors) == [field]
    assert message in errors[field][0]


def test_default_policy_is_valid():
    assert policy_errors(GradingPolicy()) == {}


@pytest.mark.django_db(transaction=True)
def test_concurrent_rollups_of_one_offering_agree():
    graded = graded_course(ended_offering())
    learners = [EnrollmentFactory(course_offering=graded.offering).user for _ in range(5)]
    for user in learners:
        worked_example(graded, user)
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def run(user_ids):
        try:
            barrier.wait()
            grades_rollup(offering_id=graded.offering.pk, user_ids=user_ids)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(None,)) for _ in range(3)]
    threads += [threading.Thread(target=run, args=([user.pk],)) for user in learners[:3]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert CourseGrade.objects.filter(course_offering=graded.offering).count() == 5
    assert set(
        CourseGrade.objects.filter(course_offering=graded.offering).values_list(
            "final_score", "letter_grade", "passed"
        )
    ) == {(Decimal("63.67"), "D", True)}
    assert (
        CourseEnrollment.objects.filter(
            course_offering=graded.offering, status=EnrollmentStatus.COMPLETED
        ).count()
        == 5
    )
