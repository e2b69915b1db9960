"""Enrollment rules: the window, prerequisites, seats and the waitlist, approval, dropping and
enrolling again, and 50 students racing for 10 seats."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from catalog.models import CourseEnrollment, EnrollmentStatus, PrerequisiteType
from catalog.selectors.enrollments import learner_enrollments
from catalog.services.enrollment import (
    EnrollmentRefused,
    enrollment_approve,
    enrollment_create,
    enrollment_drop,
    enrollment_reject,
    offering_waitlist_fill,
)
from catalog.services.offerings import offering_grades_finalize
from catalog.tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    OfferingFactory,
    PrerequisiteFactory,
)
from tenancy.models import Role
from tenancy.tests.factories import DepartmentFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
ACTIVE = EnrollmentStatus.ACTIVE
WAITLISTED = EnrollmentStatus.WAITLISTED
PENDING = EnrollmentStatus.PENDING
DROPPED = EnrollmentStatus.DROPPED
COMPLETED = EnrollmentStatus.COMPLETED


def snapshot() -> list[tuple]:
    return list(
        CourseEnrollment.objects.order_by("pk").values_list(
            "pk", "user_id", "course_offering_id", "status", "enrolled_at"
        )
    )


def refused(message_part: str, **kwargs) -> str:
    """Call enrollment_create, expect a refusal that changed nothing; return its message."""
    before = snapshot()
    with pytest.raises(EnrollmentRefused) as caught:
        enrollment_create(**kwargs)
    assert snapshot() == before
    assert message_part in caught.value.message_text
    assert isinstance(caught.value, ValidationError)
    return caught.value.message_text


def statuses(offering) -> dict[int, str]:
    return dict(
        CourseEnrollment.objects.filter(course_offering=offering).values_list("user_id", "status")
    )


# The window ------------------------------------------------------------------------------------


def test_enrolls_inside_the_window():
    student = UserFactory()
    outcome = enrollment_create(offering=OfferingFactory(), user=student)
    assert outcome.enrollment.status == ACTIVE
    assert outcome.waitlist_position is None
    assert outcome.warnings == ()
    assert CourseEnrollment.objects.get().user == student


def test_open_ended_windows():
    for start, end in ((None, None), (None, timezone.now() + DAY), (timezone.now() - DAY, None)):
        offering = OfferingFactory(enrollment_start=start, enrollment_end=end)
        assert enrollment_create(offering=offering, user=UserFactory()).enrollment.status == ACTIVE


def test_refused_outside_the_window():
    now = timezone.now()
    later = OfferingFactory(enrollment_start=now + DAY, enrollment_end=now + 5 * DAY)
    over = OfferingFactory(enrollment_start=now - 5 * DAY, enrollment_end=now - DAY)
    message = refused("opens on", offering=later, user=UserFactory())
    assert later.enrollment_start.strftime("%Y") in message
    refused("closed on", offering=over, user=UserFactory())
    # The window is inclusive at both ends.
    assert enrollment_create(offering=later, user=UserFactory(), now=later.enrollment_start)
    assert enrollment_create(offering=over, user=UserFactory(), now=over.enrollment_end)


def test_window_dates_in_a_refusal_are_in_the_students_time_zone():
    # 23:30 UTC on 1 March is 08:30 on 2 March in Tokyo and 00:30 on 2 March in Berlin.
    start = datetime(2030, 3, 1, 23, 30, tzinfo=UTC)
    offering = OfferingFactory(enrollment_start=start, enrollment_end=start + 5 * DAY)
    early = start - DAY
    message = refused(
        "opens on", offering=offering, user=UserFactory(time_zone="Asia/Tokyo"), now=early
    )
    assert message == "Enrollment for this offering opens on March 2, 2030, 8:30 a.m. (Asia/Tokyo)."
    # A zone that no longer exists gives the university's (the factory's is Europe/Berlin).
    message = refused("opens on", offering=offering, user=UserFactory(time_zone="Gone"), now=early)
    assert message == (
        "Enrollment for this offering opens on March 2, 2030, 12:30 a.m. (Europe/Berlin)."
    )


def test_refused_for_an_unpublished_course():
    offering = OfferingFactory(course=CourseFactory(is_published=False))
    refused("not open for enrollment", offering=offering, user=UserFactory())


# Prerequisites ---------------------------------------------------------------------------------


def prerequisite(kind: str):
    link = PrerequisiteFactory(
        prerequisite_type=kind, prerequisite_course__code="PRE1", prerequisite_course__title="Pre"
    )
    return OfferingFactory(course=link.course), link.prerequisite_course


def test_strict_prerequisite_must_be_completed():
    offering, pre = prerequisite(PrerequisiteType.STRICT)
    student = UserFactory()
    EnrollmentFactory(user=student, course_offering=OfferingFactory(course=pre))  # active only
    message = refused("Complete PRE1 Pre before", offering=offering, user=student)
    assert message == "Complete PRE1 Pre before you enroll in this course."

    finished = OfferingFactory(course=pre, starts_at=timezone.now() - 90 * DAY, ends_at=None)
    CourseEnrollment.objects.filter(user=student).update(status=COMPLETED, course_offering=finished)
    assert enrollment_create(offering=offering, user=student).enrollment.status == ACTIVE


def test_strict_prerequisite_counts_final_completions_only():
    offering, pre = prerequisite(PrerequisiteType.STRICT)
    now = timezone.now()
    running = OfferingFactory(course=pre)  # ends in 80 days, grades not finalised
    student = UserFactory()
    EnrollmentFactory(user=student, course_offering=running, status=COMPLETED)
    refused("Complete PRE1 Pre before", offering=offering, user=student)

    assert offering_grades_finalize(offering_id=running.pk) is True
    assert offering_grades_finalize(offering_id=running.pk) is False
    assert enrollment_create(offering=offering, user=student).enrollment.status == ACTIVE

    for other in (
        OfferingFactory(course=pre, starts_at=now - 90 * DAY, ends_at=now - DAY),  # ended
        OfferingFactory(course=pre, ends_at=None),  # self-paced
    ):
        learner = UserFactory()
        EnrollmentFactory(user=learner, course_offering=other, status=COMPLETED)
        assert enrollment_create(offering=offering, user=learner).enrollment.status == ACTIVE


def test_recommended_prerequisite_only_warns():
    offering, pre = prerequisite(PrerequisiteType.RECOMMENDED)
    outcome = enrollment_create(offering=offering, user=UserFactory())
    assert outcome.enrollment.status == ACTIVE
    assert outcome.warnings == ("We recommend completing PRE1 Pre before this course.",)

    done = UserFactory()
    finished = OfferingFactory(
        course=pre, starts_at=timezone.now() - 90 * DAY, ends_at=timezone.now() - DAY
    )
    EnrollmentFactory(user=done, course_offering=finished, status=COMPLETED)
    assert enrollment_create(offering=offering, user=done).warnings == ()


def test_co_requisite_completed_or_taken_at_the_same_time():
    offering, pre = prerequisite(PrerequisiteType.CO_REQUISITE)
    now = timezone.now()
    alongside = OfferingFactory(course=pre, starts_at=now, ends_at=now + 30 * DAY)
    earlier = OfferingFactory(course=pre, starts_at=now - 300 * DAY, ends_at=now - 200 * DAY)
    open_ended = OfferingFactory(course=pre, starts_at=now - 900 * DAY, ends_at=None)

    nothing = UserFactory()
    refused("Take PRE1 Pre at the same time", offering=offering, user=nothing)

    not_overlapping = UserFactory()
    EnrollmentFactory(user=not_overlapping, course_offering=earlier)
    refused("at the same time", offering=offering, user=not_overlapping)

    pending_only = UserFactory()
    EnrollmentFactory(user=pending_only, course_offering=alongside, status=PENDING)
    refused("at the same time", offering=offering, user=pending_only)

    for status, other in ((ACTIVE, alongside), (ACTIVE, open_ended), (COMPLETED, earlier)):
        student = UserFactory()
        EnrollmentFactory(user=student, course_offering=other, status=status)
        assert enrollment_create(offering=offering, user=student).enrollment.status == ACTIVE


# Seats, waitlist, promotion --------------------------------------------------------------------


def test_full_offering_waitlists_in_order_and_a_drop_promotes_the_first():
    offering = OfferingFactory(capacity=2)
    students = UserFactory.create_batch(5)
    outcomes = [enrollment_create(offering=offering, user=s) for s in students]
    assert [o.enrollment.status for o in outcomes] == [
        ACTIVE,
        ACTIVE,
        WAITLISTED,
        WAITLISTED,
        WAITLISTED,
    ]
    assert [o.waitlist_position for o in outcomes] == [None, None, 1, 2, 3]

    dropped = enrollment_drop(enrollment=outcomes[0].enrollment)
    assert dropped.enrollment.status == DROPPED
    assert dropped.previous_status == ACTIVE
    assert [e.user_id for e in dropped.promoted] == [students[2].pk]
    assert statuses(offering) == {
        students[0].pk: DROPPED,
        students[1].pk: ACTIVE,
        students[2].pk: ACTIVE,
        students[3].pk: WAITLISTED,
        students[4].pk: WAITLISTED,
    }
    positions = {e.user_id: e.waitlist_position for e in learner_enrollments(user=students[4])}
    assert positions == {students[4].pk: 2}


def test_leaving_the_waitlist_promotes_nobody():
    offering = OfferingFactory(capacity=1)
    first, second, third = (
        enrollment_create(offering=offering, user=UserFactory()).enrollment for _ in range(3)
    )
    outcome = enrollment_drop(enrollment=second)
    assert outcome.promoted == ()
    assert outcome.previous_status == WAITLISTED
    third.refresh_from_db()
    assert (first.status, third.status) == (ACTIVE, WAITLISTED)
    assert learner_enrollments(user=third.user)[0].waitlist_position == 1


def test_raising_the_capacity_fills_seats_from_the_waitlist():
    offering = OfferingFactory(capacity=1)
    enrollments = [
        enrollment_create(offering=offering, user=UserFactory()).enrollment for _ in range(4)
    ]
    offering.capacity = 3
    offering.save()
    promoted = offering_waitlist_fill(offering=offering)
    assert [e.pk for e in promoted] == [enrollments[1].pk, enrollments[2].pk]
    assert list(
        CourseEnrollment.objects.filter(course_offering=offering)
        .order_by("pk")
        .values_list("status", flat=True)
    ) == [ACTIVE, ACTIVE, ACTIVE, WAITLISTED]
    # A newcomer queues behind the waitlist even though enrollment_create runs the fill first.
    assert enrollment_create(offering=offering, user=UserFactory()).waitlist_position == 2


# Approval --------------------------------------------------------------------------------------


@pytest.fixture
def approval():
    offering = OfferingFactory(capacity=1, requires_approval=True)
    course = offering.course
    admin = RoleFactory(
        university=course.university, role=Role.DEPARTMENT_ADMIN, department=course.department
    ).user
    return offering, admin


def test_requests_stay_pending_until_approved_and_approval_respects_capacity(approval):
    offering, admin = approval
    first = enrollment_create(offering=offering, user=UserFactory())
    second = enrollment_create(offering=offering, user=UserFactory())
    assert (first.enrollment.status, second.enrollment.status) == (PENDING, PENDING)
    assert first.waitlist_position is None

    approved = enrollment_approve(enrollment=second.enrollment, actor=admin)
    assert approved.enrollment.status == ACTIVE
    approved = enrollment_approve(enrollment=first.enrollment, actor=admin)
    assert approved.enrollment.status == WAITLISTED
    assert approved.waitlist_position == 1

    enrollment_drop(enrollment=second.enrollment)
    first.enrollment.refresh_from_db()
    assert first.enrollment.status == ACTIVE


def test_only_admins_of_the_department_decide(approval):
    offering, _ = approval
    request = enrollment_create(offering=offering, user=UserFactory()).enrollment
    course = offering.course
    outsiders = [
        UserFactory(),
        request.user,
        RoleFactory(university=course.university, role=Role.INSTRUCTOR).user,
        RoleFactory(
            university=course.university,
            role=Role.DEPARTMENT_ADMIN,
            department=DepartmentFactory(university=course.university),
        ).user,
        RoleFactory(role=Role.UNIVERSITY_ADMIN).user,  # another university
    ]
    before = snapshot()
    for actor in outsiders:
        with pytest.raises(PermissionDenied):
            enrollment_approve(enrollment=request, actor=actor)
        with pytest.raises(PermissionDenied):
            enrollment_reject(enrollment=request, actor=actor)
    assert snapshot() == before
    university_admin = RoleFactory(university=course.university, role=Role.UNIVERSITY_ADMIN).user
    assert enrollment_approve(enrollment=request, actor=university_admin).enrollment.status == (
        ACTIVE
    )


def test_reject_and_ask_again(approval):
    offering, admin = approval
    request = enrollment_create(offering=offering, user=UserFactory()).enrollment
    assert enrollment_reject(enrollment=request, actor=admin).status == DROPPED
    with pytest.raises(EnrollmentRefused, match="no longer waiting"):
        enrollment_approve(enrollment=request, actor=admin)
    again = enrollment_create(offering=offering, user=request.user).enrollment
    assert (again.pk, again.status) == (request.pk, PENDING)


# Dropping and enrolling again ------------------------------------------------------------------


def test_enrolling_again_reuses_the_dropped_row():
    offering = OfferingFactory()
    first = enrollment_create(offering=offering, user=UserFactory()).enrollment
    enrollment_drop(enrollment=first)
    later = timezone.now() + timedelta(minutes=5)
    again = enrollment_create(offering=offering, user=first.user, now=later).enrollment
    assert again.pk == first.pk
    assert CourseEnrollment.objects.get() == again
    again.refresh_from_db()
    assert (again.status, again.enrolled_at) == (ACTIVE, later)


def test_refusals_when_already_in():
    offering = OfferingFactory(capacity=1)
    active = enrollment_create(offering=offering, user=UserFactory()).enrollment
    waiting = enrollment_create(offering=offering, user=UserFactory()).enrollment
    done = EnrollmentFactory(course_offering=offering, status=COMPLETED)
    refused("already enrolled", offering=offering, user=active.user)
    refused("already on the waitlist", offering=offering, user=waiting.user)
    refused("already completed", offering=offering, user=done.user)
    pending = EnrollmentFactory(course_offering=offering, status=PENDING)
    refused("already waiting for approval", offering=offering, user=pending.user)
    other_run = OfferingFactory(course=offering.course, term_name="Spring")
    refused("already enrolled in Current term", offering=other_run, user=active.user)


def test_drop_refusals():
    done = EnrollmentFactory(status=COMPLETED)
    gone = EnrollmentFactory(status=DROPPED)
    before = snapshot()
    with pytest.raises(EnrollmentRefused, match="stays on your record"):
        enrollment_drop(enrollment=done)
    with pytest.raises(EnrollmentRefused, match="not enrolled"):
        enrollment_drop(enrollment=gone)
    assert snapshot() == before


# Concurrency -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_fifty_students_race_for_ten_seats():
    offering = OfferingFactory(capacity=10)
    students = UserFactory.create_batch(50)
    barrier = threading.Barrier(len(students), timeout=60)
    errors: list[BaseException] = []

    def enroll(student):
        try:
            barrier.wait()
            enrollment_create(offering=offering, user=student)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=enroll, args=(s,)) for s in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    rows = list(
        CourseEnrollment.objects.filter(course_offering=offering).order_by("enrolled_at", "pk")
    )
    assert len(rows) == 50
    assert [r.status for r in rows] == [ACTIVE] * 10 + [WAITLISTED] * 40
    # The order of the lock is the order of enrolled_at and of the ids alike.
    assert [r.pk for r in rows] == sorted(r.pk for r in rows)
    assert len({r.enrolled_at for r in rows}) == 50
    positions = [
        learner_enrollments(user=r.user)[0].waitlist_position
        for r in rows
        if r.status == WAITLISTED
    ]
    assert positions == list(range(1, 41))
