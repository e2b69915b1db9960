"""A small graded course for the grade and certificate tests, with fixtures to import.

The course has three quizzes, two labs and one assignment in a published unit, plus a quiz in
an unpublished unit and an inactive quiz that never count.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from assessments.labs.models import LabSubmission
from assessments.quizzes.models import QuizAttempt
from assessments.tests import trees
from catalog.models import CourseOffering
from catalog.tests.factories import OfferingFactory
from content.models import ContentItem
from tenancy.models import User

ON = timezone.now() - timedelta(days=1)


@dataclass
class GradedCourse:
    offering: CourseOffering
    quizzes: list[ContentItem]
    labs: list[ContentItem]
    assignment: ContentItem


def ended_offering(**fields) -> CourseOffering:
    """An offering whose term ended yesterday: its grades are final."""
    now = timezone.now()
    return OfferingFactory(
        starts_at=now - timedelta(days=90),
        ends_at=now - timedelta(days=1),
        enrollment_start=now - timedelta(days=120),
        enrollment_end=now - timedelta(days=60),
        **fields,
    )


def self_paced_offering(**fields) -> CourseOffering:
    """An offering without an end date."""
    return OfferingFactory(ends_at=None, **fields)


def graded_course(offering: CourseOffering | None = None) -> GradedCourse:
    offering = offering or OfferingFactory()
    top = trees.root(offering.course)
    unit = trees.module(top, "Unit 1")
    quizzes = [trees.item(unit, f"Quiz {n}", "quiz") for n in (1, 2, 3)]
    labs = [trees.item(unit, f"Lab {n}", "engineering_lab") for n in (1, 2)]
    assignment = trees.item(unit, "Essay", "assignment")  # max_points 20 in its payload
    draft = trees.module(top, "Draft unit", published=False)
    trees.item(draft, "Hidden quiz", "quiz")
    trees.item(unit, "Retired quiz", "quiz", active=False)
    return GradedCourse(offering=offering, quizzes=quizzes, labs=labs, assignment=assignment)


def attempt(
    user: User, offering: CourseOffering, quiz: ContentItem, score, max_score=10, *, minutes=0
) -> QuizAttempt:
    number = QuizAttempt.objects.filter(user=user, content_item=quiz).count() + 1
    return QuizAttempt.objects.create(
        user=user,
        course_offering=offering,
        content_item=quiz,
        submitted_at=ON + timedelta(minutes=minutes),
        score_obtained=Decimal(score),
        max_score=Decimal(max_score),
        attempt_number=number,
    )


def submission(
    user: User,
    offering: CourseOffering,
    item: ContentItem,
    score,
    max_score=None,
    *,
    status="graded",
    minutes=0,
) -> LabSubmission:
    row = LabSubmission.objects.create(
        user=user,
        course_offering=offering,
        content_item=item,
        status=status,
        score_obtained=None if score is None else Decimal(score),
        max_score=None if max_score is None else Decimal(max_score),
    )
    LabSubmission.objects.filter(pk=row.pk).update(submitted_at=ON + timedelta(minutes=minutes))
    return row


def worked_example(course: GradedCourse, user: User) -> None:
    """The work of the learner whose grade the tests compute by hand (see test_grades_rollup).

    Quiz 1: 9/10 then 6/10 (best 90, latest 60); quiz 2: 5/10; quiz 3: none (0).
    Lab 1: graded 40/100, then graded 80/100, then a newer submission not graded yet (80).
    Lab 2: 70 out of the payload's 100 (70). Essay: 15 out of the payload's 20 (75).
    """
    offering = course.offering
    q1, q2, _q3 = course.quizzes
    attempt(user, offering, q1, 9, minutes=1)
    attempt(user, offering, q1, 6, minutes=2)
    attempt(user, offering, q2, 5, minutes=3)
    lab1, lab2 = course.labs
    submission(user, offering, lab1, 40, 100, minutes=1)
    submission(user, offering, lab1, 80, 100, minutes=2)
    submission(user, offering, lab1, None, status="submitted", minutes=3)
    submission(user, offering, lab2, 70, minutes=1)
    submission(user, offering, course.assignment, 15, minutes=1)
