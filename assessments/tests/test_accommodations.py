"""Accommodations: more time and attempts on a quiz, a later due date on an assignment, applied
by the services and the deadlines selector; only to the learner and offering they are for; and
kept to the staff of the offering's university in the admin."""

from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.accommodations.models import Accommodation
from assessments.accommodations.services import accommodation_save
from assessments.assignments.services import assignment_submission_create
from assessments.deadlines.selectors import DeadlineKind, learner_deadlines
from assessments.quizzes.selectors import attempt_sheet, quiz_overview
from assessments.quizzes.services import (
    BY_LEARNER,
    QuizRefused,
    attempt_start,
    attempt_submit,
)
from assessments.tests import quiz_factories as qf
from assessments.tests import trees
from catalog.models import EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def accommodate(offering, user, item=None, **terms) -> Accommodation:
    return accommodation_save(
        Accommodation(course_offering=offering, user=user, content_item=item, **terms)
    )


# Quizzes -------------------------------------------------------------------------------------


def test_extra_minutes_lengthen_the_attempt_and_it_can_be_submitted_after_the_normal_limit():
    offering, item, *_rest, student = qf.quiz_setup(time_limit_seconds=600)
    accommodate(offering, student, item, extra_minutes=15)
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk, now=NOW).attempt
    assert attempt.deadline_at == NOW + timedelta(minutes=25)
    late = NOW + timedelta(minutes=20)  # past the quiz's own 10 minutes
    submitted = attempt_submit(user=student, attempt_id=attempt.pk, now=late)
    assert submitted.submitted_at == late
    assert submitted.raw_response_json["submitted_by"] == BY_LEARNER


def test_a_time_factor_multiplies_the_limit_and_the_quiz_close_still_caps_it():
    closes = NOW + timedelta(minutes=12)
    offering, item, *_rest, student = qf.quiz_setup(
        time_limit_seconds=600, closes_at=closes.astimezone(UTC).isoformat()
    )
    accommodate(offering, student, time_factor=Decimal("1.50"))  # every quiz of the offering
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk, now=NOW).attempt
    assert attempt.deadline_at == closes  # 15 minutes would run past the close


def test_the_items_own_accommodation_replaces_the_offering_wide_one():
    offering, item, *_rest, student = qf.quiz_setup(time_limit_seconds=600)
    accommodate(offering, student, time_factor=Decimal("2"))
    accommodate(offering, student, item, extra_minutes=5)
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk, now=NOW).attempt
    assert attempt.deadline_at == NOW + timedelta(minutes=15)


def test_extra_attempts_allow_one_more_start():
    offering, item, *_rest, student = qf.quiz_setup(mastery={"max_attempts": 1})
    first = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    attempt_submit(user=student, attempt_id=first.pk)
    with pytest.raises(QuizRefused):
        attempt_start(user=student, offering=offering, item_id=item.pk)
    accommodate(offering, student, item, extra_attempts=1)
    second = attempt_start(user=student, offering=offering, item_id=item.pk)
    assert second.created and second.attempt.attempt_number == 2
    attempt_submit(user=student, attempt_id=second.attempt.pk)
    with pytest.raises(QuizRefused, match="all 2 attempts"):
        attempt_start(user=student, offering=offering, item_id=item.pk)


def test_a_classmate_and_another_offering_are_unaffected():
    offering, item, *_rest, student = qf.quiz_setup(time_limit_seconds=600)
    classmate = EnrollmentFactory(course_offering=offering).user
    other_run = OfferingFactory(course=offering.course, university=offering.university)
    EnrollmentFactory(course_offering=other_run, user=student)
    accommodate(other_run, student, item, extra_minutes=30)
    accommodate(offering, classmate, item, extra_minutes=30)
    mine = attempt_start(user=student, offering=offering, item_id=item.pk, now=NOW).attempt
    assert mine.deadline_at == NOW + timedelta(minutes=10)


# Assignments and deadlines ------------------------------------------------------------------


@pytest.fixture
def overdue_assignment(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    offering = OfferingFactory()
    unit = trees.module(trees.root(offering.course), "Unit 1")
    due = NOW - timedelta(days=1)
    data = trees.payload("assignment") | {
        "due_at": due.astimezone(UTC).isoformat(),
        "allow_late": False,
        "submission_types": ["text"],
    }
    item = trees.item(unit, "Problem set 1", "assignment", data=data)
    student = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.ACTIVE).user
    return offering, item, student


def submit_text(offering, item, student):
    return assignment_submission_create(
        user=student, offering=offering, item_id=item.pk, files=[], text="My answer"
    )


def test_a_later_due_date_lets_the_submission_in_on_time(overdue_assignment):
    offering, item, student = overdue_assignment
    with pytest.raises(ValidationError, match="due date has passed"):
        submit_text(offering, item, student)
    accommodate(offering, student, item, due_at=NOW + timedelta(days=2))
    submission = submit_text(offering, item, student)
    assert submission.auto_grade_json["late"] is False


def test_a_later_due_date_moves_only_that_learners_deadline(overdue_assignment):
    offering, item, student = overdue_assignment
    classmate = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.ACTIVE).user
    later = NOW + timedelta(days=2)
    accommodate(offering, student, item, due_at=later)

    def due(user):
        return [
            d.at
            for d in learner_deadlines(user_id=user.pk)
            if d.kind == DeadlineKind.ASSIGNMENT_DUE
        ]

    assert due(student) == [later]
    assert due(classmate) == [NOW - timedelta(days=1)]


# Checks and the admin -----------------------------------------------------------------------


def test_bad_accommodations_are_refused_with_a_message_and_nothing_stored(overdue_assignment):
    offering, item, student = overdue_assignment
    stranger = EnrollmentFactory().user
    cases = [
        ({"user": student}, "Give extra time"),
        ({"user": student, "time_factor": Decimal("0.5")}, "more than 1"),
        ({"user": student, "extra_minutes": 5000}, "1440"),
        ({"user": student, "content_item": item, "extra_minutes": 5}, "for a quiz"),
        ({"user": student, "due_at": NOW}, "pick it"),
        ({"user": stranger, "extra_minutes": 5}, "not enrolled"),
    ]
    for fields, message in cases:
        with pytest.raises(ValidationError, match=message):
            accommodation_save(Accommodation(course_offering=offering, **fields))
    accommodate(offering, student, extra_attempts=1)
    with pytest.raises(ValidationError, match="already has"):
        accommodate(offering, student, extra_attempts=2)
    assert Accommodation.objects.count() == 1


def admin_of(university):
    return RoleFactory(university=university, role=Role.UNIVERSITY_ADMIN).user


def test_staff_of_another_university_can_neither_add_nor_open_one(client, overdue_assignment):
    offering, item, student = overdue_assignment
    form = {
        "course_offering": offering.pk,
        "user": student.pk,
        "content_item": item.pk,
        "due_at_0": (NOW + timedelta(days=2)).strftime("%Y-%m-%d"),
        "due_at_1": "12:00:00",
        "extra_attempts": 0,
        "note": "",
    }
    add_url = reverse("admin:assessments_accommodation_add")
    client.force_login(admin_of(OfferingFactory().university))
    page = client.post(add_url, form)
    assert page.status_code in (200, 403)
    assert not Accommodation.objects.exists()

    client.force_login(admin_of(offering.university))
    page = client.post(add_url, form)
    assert page.status_code == 302, page.content.decode()[:2000]
    saved = Accommodation.objects.get()
    assert saved.user == student and saved.due_at is not None

    client.force_login(admin_of(OfferingFactory().university))
    change_url = reverse("admin:assessments_accommodation_change", args=[saved.pk])
    assert client.get(change_url).status_code == 404


def test_quiz_start_reads_the_accommodation_in_one_query_whoever_starts():
    """Quiz start makes one more query than before accommodations (reading the learner's),
    the same number with or without one."""
    offering, item, *_rest, student = qf.quiz_setup(time_limit_seconds=600)
    classmate = EnrollmentFactory(course_offering=offering).user
    accommodate(offering, student, time_factor=Decimal("1.25"))
    accommodate(offering, student, item, extra_minutes=5)
    counts = []
    for user in (student, classmate):
        with CaptureQueriesContext(connection) as captured:
            attempt_start(user=user, offering=offering, item_id=item.pk, now=NOW)
        reads = [q["sql"] for q in captured.captured_queries if '"accommodations"' in q["sql"]]
        assert len(reads) == 1
        counts.append(len(captured.captured_queries))
    assert counts == [12, 12]  # 11 before accommodations, and the accommodation


def test_the_quiz_page_and_review_count_the_extra_attempts():
    offering, item, *_rest, student = qf.quiz_setup(
        mastery={"max_attempts": 1}, review_policy="after_last_attempt"
    )
    accommodate(offering, student, item, extra_attempts=1)
    first = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    submitted = attempt_submit(user=student, attempt_id=first.pk)
    overview = quiz_overview(
        user_id=student.pk, offering_id=offering.pk, item_id=item.pk, data=item.data_json
    )
    assert overview.attempts_left == 1
    # Not the learner's last attempt yet: the answers wait for it.
    assert attempt_sheet(attempt=submitted).answers_shown is False
