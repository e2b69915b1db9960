"""A learner's deadlines: each kind, who sees which, whether it is done, the time window, one
query whatever the size, and the calendar feed's secret address."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from assessments.assignments.models import AssignmentSubmission
from assessments.deadlines.models import CalendarFeed
from assessments.deadlines.selectors import (
    DeadlineKind,
    calendar_feed_for_token,
    deadline_board,
    learner_deadlines,
)
from assessments.deadlines.services import calendar_feed_reset
from assessments.quizzes.models import QuizAttempt
from assessments.tests import trees
from catalog.models import EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from lms import links
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def assignment(parent, title: str, due: datetime, *, allow_late: bool = False, **kw):
    data = trees.payload("assignment") | {"due_at": iso(due), "allow_late": allow_late}
    return trees.item(parent, title, "assignment", data=data, **kw)


def quiz(parent, title: str, closes: datetime):
    return trees.item(
        parent, title, "quiz", data=trees.payload("quiz") | {"closes_at": iso(closes)}
    )


def offering_with_unit(title: str, **offering):
    offering = OfferingFactory(course=CourseFactory(title=title), **offering)
    unit = trees.module(trees.root(offering.course), "Unit 1")
    return offering, unit


def item_path(offering, item) -> str:
    return links.page_path("content-item", offering_id=offering.pk, item_id=item.pk)


def outline_path(offering) -> str:
    return links.page_path("course-outline", offering_id=offering.pk)


def test_every_kind_of_deadline_with_its_course_time_link_and_done_flag():
    student = UserFactory()
    starts, ends, closes = NOW + timedelta(days=1), NOW + timedelta(days=60), NOW + timedelta(2)
    offering, unit = offering_with_unit(
        "Statics", starts_at=starts, ends_at=ends, enrollment_end=closes
    )
    EnrollmentFactory(user=student, course_offering=offering)
    essay = assignment(unit, "Essay", NOW + timedelta(days=3), allow_late=True)
    exam = quiz(unit, "Exam", NOW + timedelta(days=5))
    attempt = QuizAttempt.objects.create(
        user=student,
        course_offering=offering,
        content_item=exam,
        deadline_at=NOW + timedelta(hours=1),
    )
    trees.item(unit, "Reading")  # a text item has no date

    got = [
        (d.kind, d.title, d.at, d.path, d.done, d.late_allowed, d.course_code, d.course_title)
        for d in learner_deadlines(user_id=student.pk)
    ]

    code = offering.course.code
    assert got == [
        (DeadlineKind.ATTEMPT_ENDS, "Exam", attempt.deadline_at, item_path(offering, exam),
         False, False, code, "Statics"),
        (DeadlineKind.COURSE_STARTS, "Statics", starts, outline_path(offering),
         None, False, code, "Statics"),
        (DeadlineKind.ENROLLMENT_CLOSES, "Statics", closes, outline_path(offering),
         None, False, code, "Statics"),
        (DeadlineKind.ASSIGNMENT_DUE, "Essay", NOW + timedelta(days=3),
         item_path(offering, essay), False, True, code, "Statics"),
        (DeadlineKind.QUIZ_CLOSES, "Exam", NOW + timedelta(days=5), item_path(offering, exam),
         False, False, code, "Statics"),
        (DeadlineKind.COURSE_ENDS, "Statics", ends, outline_path(offering),
         None, False, code, "Statics"),
    ]  # fmt: skip


def test_submitted_work_and_finished_attempts_are_done():
    student = UserFactory()
    offering, unit = offering_with_unit("Dynamics")
    EnrollmentFactory(user=student, course_offering=offering)
    handed_in = assignment(unit, "Handed in", NOW + timedelta(days=1))
    missing = assignment(unit, "Missing", NOW + timedelta(days=2))
    taken = quiz(unit, "Taken", NOW + timedelta(days=3))
    started = quiz(unit, "Started", NOW + timedelta(days=4))
    AssignmentSubmission.objects.create(
        user=student, course_offering=offering, content_item=handed_in
    )
    QuizAttempt.objects.create(
        user=student, course_offering=offering, content_item=taken, submitted_at=NOW
    )
    # An open attempt without a time limit: the quiz is not finished, no attempt deadline.
    QuizAttempt.objects.create(user=student, course_offering=offering, content_item=started)
    # Another student's submission says nothing about this one.
    AssignmentSubmission.objects.create(
        user=EnrollmentFactory(course_offering=offering).user,
        course_offering=offering,
        content_item=missing,
    )

    done = {
        d.title: d.done
        for d in learner_deadlines(user_id=student.pk)
        if d.kind in (DeadlineKind.ASSIGNMENT_DUE, DeadlineKind.QUIZ_CLOSES)
    }

    assert done == {"Handed in": True, "Missing": False, "Taken": True, "Started": False}


def test_only_what_the_student_sees_in_courses_they_are_actively_enrolled_in():
    student = UserFactory()
    offering, unit = offering_with_unit("Optics", starts_at=None, ends_at=None)
    offering.enrollment_end = None
    offering.save(update_fields=["enrollment_end"])
    EnrollmentFactory(user=student, course_offering=offering)
    assignment(unit, "Shown", NOW + timedelta(days=1))
    assignment(unit, "Inactive", NOW + timedelta(days=1), active=False)
    draft = trees.module(trees.root(offering.course), "Draft unit", published=False)
    assignment(draft, "In a draft unit", NOW + timedelta(days=1))
    under_draft = trees.module(draft, "Published lesson under the draft")
    quiz(under_draft, "Under a draft unit", NOW + timedelta(days=1))
    # A dropped course, a pending one, and another university's course the student is not in.
    for status in (EnrollmentStatus.DROPPED, EnrollmentStatus.PENDING):
        other, other_unit = offering_with_unit(f"Course {status}")
        EnrollmentFactory(user=student, course_offering=other, status=status)
        assignment(other_unit, f"In a {status} course", NOW + timedelta(days=1))
    elsewhere, elsewhere_unit = offering_with_unit("Elsewhere")
    assert elsewhere.university_id != offering.university_id
    EnrollmentFactory(course_offering=elsewhere)
    assignment(elsewhere_unit, "Another university's", NOW + timedelta(days=1))

    assert [d.title for d in learner_deadlines(user_id=student.pk)] == ["Shown"]
    assert learner_deadlines(user_id=student.pk, offering_ids=[elsewhere.pk]) == []


def test_time_window_coming_up_and_overdue():
    student = UserFactory()
    offering, unit = offering_with_unit(
        "Acoustics", starts_at=NOW - timedelta(days=30), ends_at=NOW + timedelta(days=90)
    )
    offering.enrollment_end = None
    offering.save(update_fields=["enrollment_end"])
    EnrollmentFactory(user=student, course_offering=offering)
    late = assignment(unit, "Late", NOW - timedelta(days=2), allow_late=True)
    assignment(unit, "Long gone", NOW - timedelta(days=20))
    handed = assignment(unit, "Handed in", NOW - timedelta(days=1))
    AssignmentSubmission.objects.create(user=student, course_offering=offering, content_item=handed)
    assignment(unit, "Soon", NOW + timedelta(days=1))
    assignment(unit, "In two weeks", NOW + timedelta(days=13, hours=23))
    assignment(unit, "Later", NOW + timedelta(days=14, minutes=1))

    window = learner_deadlines(
        user_id=student.pk, start=NOW - timedelta(days=3), end=NOW + timedelta(days=1)
    )
    board = deadline_board(user_id=student.pk, now=NOW)

    assert [d.title for d in window] == ["Late", "Handed in"]
    assert [d.title for d in board.coming_up] == ["Soon", "In two weeks"]
    # Latest first; done work and dates to know (the course start) are not overdue.
    assert [d.title for d in board.overdue] == ["Late", "Long gone"]
    assert board.overdue[0].path == item_path(offering, late)


def test_one_query_whatever_the_number_of_courses_and_items(django_assert_num_queries):
    student = UserFactory()
    for count in (1, 4):
        for n in range(count):
            offering, unit = offering_with_unit(f"Course {count}-{n}")
            EnrollmentFactory(user=student, course_offering=offering)
            for k in range(3):
                assignment(unit, f"A{k}", NOW + timedelta(days=k + 1))
                exam = quiz(unit, f"Q{k}", NOW + timedelta(days=k + 2))
                QuizAttempt.objects.create(
                    user=student, course_offering=offering, content_item=exam, attempt_number=1,
                    deadline_at=NOW + timedelta(hours=k + 1),
                )  # fmt: skip
        with django_assert_num_queries(1):
            deadlines = learner_deadlines(user_id=student.pk)
        # Per course: 3 assignments, 3 quizzes, 3 open attempts, start, end, enrollment end.
        assert len(deadlines) == 12 * (1 if count == 1 else 5)


def test_uids_are_stable_and_distinct():
    student = UserFactory()
    offering, unit = offering_with_unit("Thermo")
    EnrollmentFactory(user=student, course_offering=offering)
    exam = quiz(unit, "Exam", NOW + timedelta(days=5))
    QuizAttempt.objects.create(
        user=student, course_offering=offering, content_item=exam, deadline_at=NOW
    )
    first = [d.uid for d in learner_deadlines(user_id=student.pk)]
    assert len(set(first)) == len(first) == 5
    assert [d.uid for d in learner_deadlines(user_id=student.pk)] == first


def test_feed_token_reset_invalidates_the_old_address():
    student = UserFactory()
    feed = calendar_feed_reset(user=student)
    old_token = feed.token
    assert calendar_feed_for_token(old_token) == feed

    new = calendar_feed_reset(user=student)

    assert CalendarFeed.objects.filter(user=student).count() == 1
    assert new.token != old_token
    assert calendar_feed_for_token(old_token) is None
    assert calendar_feed_for_token(new.token).user == student


@pytest.mark.parametrize("token", ["", "abc", "1.", ".secret", "x.secret", "9" * 40 + ".s"])
def test_malformed_feed_tokens_find_nothing(token):
    calendar_feed_reset(user=UserFactory())
    assert calendar_feed_for_token(token) is None


def test_another_users_secret_does_not_open_a_feed():
    mine = calendar_feed_reset(user=UserFactory())
    theirs = calendar_feed_reset(user=UserFactory())
    assert calendar_feed_for_token(f"{mine.user_id}.{theirs.secret}") is None
