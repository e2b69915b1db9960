"""Enrollment: a student enrolling, dropping, being approved or rejected, the seats and the
waitlist, and staff saving or deleting enrollment rows.

Seats are taken by active enrollments only. Pending requests (offerings that require approval)
hold no seat until approved; approval then gives a seat, or a place on the waitlist when the
offering is full. The waitlist is ordered by enrolled_at, then id: the time a student joined
it. Every write below starts by locking the offering row, so enrollments, drops and approvals
of one offering run one after another, and the student who takes the lock first is served
first; enrolled_at is read after the lock is held for the same reason.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import (
    CourseEnrollment,
    CourseOffering,
    CoursePrerequisite,
    EnrollmentStatus,
    PrerequisiteType,
)
from catalog.selectors.enrollments import final_completion_q
from catalog.services.enrollment_notices import (
    enrollment_approved_notify,
    enrollment_rejected_notify,
    waitlist_promoted_notify,
)
from lms.dates import display_datetime
from tenancy.access import administers, holds_role_at
from tenancy.models import Role, User
from tenancy.services import role_grant


class EnrollmentRefused(ValidationError):
    """An enrollment request the rules refuse; the message is meant for the student."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="enrollment_refused")

    @property
    def message_text(self) -> str:
        return str(self.messages[0])


@dataclass(frozen=True)
class EnrollmentOutcome:
    enrollment: CourseEnrollment
    waitlist_position: int | None = None
    warnings: tuple[str, ...] = ()
    promoted: tuple[CourseEnrollment, ...] = ()  # waitlisted students who got the freed seat
    previous_status: str | None = None


def _lock_offering(offering_id: int) -> CourseOffering:
    return (
        CourseOffering.objects.select_for_update(of=("self",))
        .select_related("course", "university")
        .get(pk=offering_id)
    )


def _lock_enrollment(enrollment_id: int) -> CourseEnrollment:
    return (
        CourseEnrollment.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=enrollment_id)
    )


def _zone(name: str | None) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _local(value: datetime, offering: CourseOffering, user: User) -> str:
    """`value` in the student's time zone (their profile's, as every page shows dates), or the
    university's when theirs is unset or unknown, with the zone named."""
    zone = _zone(user.time_zone) or _zone(offering.university.time_zone) or ZoneInfo("UTC")
    return f"{display_datetime(value, zone)} ({zone.key})"


def _titles(links: Sequence[CoursePrerequisite]) -> str:
    return ", ".join(
        f"{link.prerequisite_course.code} {link.prerequisite_course.title}" for link in links
    )


def _free_seats(offering: CourseOffering) -> int | None:
    """Seats left (None: unlimited)."""
    if offering.capacity is None:
        return None
    taken = CourseEnrollment.objects.filter(
        course_offering=offering, status=EnrollmentStatus.ACTIVE
    ).count()
    return max(offering.capacity - taken, 0)


def _fill_seats(offering: CourseOffering) -> list[CourseEnrollment]:
    """Give free seats to the waitlist, first come first served. The offering must be locked.

    The one way the waitlist moves up: every write that can free a seat (a drop, a rejection,
    a completion, a removed or edited enrollment, a raised capacity) ends by calling it while it
    still holds the offering's lock. The promoted students are notified in the same
    transaction."""
    free = _free_seats(offering)
    if free == 0:
        return []
    queue = (
        CourseEnrollment.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(course_offering=offering, status=EnrollmentStatus.WAITLISTED)
        .order_by("enrolled_at", "pk")
    )
    promoted = list(queue if free is None else queue[:free])
    if promoted:
        CourseEnrollment.objects.filter(pk__in=[e.pk for e in promoted]).update(
            status=EnrollmentStatus.ACTIVE
        )
        for enrollment in promoted:
            enrollment.status = EnrollmentStatus.ACTIVE
        waitlist_promoted_notify(enrollments=promoted, offering=offering)
    return promoted


def _waitlist_position(enrollment: CourseEnrollment) -> int | None:
    if enrollment.status != EnrollmentStatus.WAITLISTED:
        return None
    return CourseEnrollment.objects.filter(
        Q(enrolled_at__lt=enrollment.enrolled_at)
        | Q(enrolled_at=enrollment.enrolled_at, pk__lte=enrollment.pk),
        course_offering_id=enrollment.course_offering_id,
        status=EnrollmentStatus.WAITLISTED,
    ).count()


def _check_window(offering: CourseOffering, now: datetime, user: User) -> None:
    if offering.enrollment_start is not None and now < offering.enrollment_start:
        raise EnrollmentRefused(
            _("Enrollment for this offering opens on %(date)s.")
            % {"date": _local(offering.enrollment_start, offering, user)}
        )
    if offering.enrollment_end is not None and now > offering.enrollment_end:
        raise EnrollmentRefused(
            _("Enrollment for this offering closed on %(date)s.")
            % {"date": _local(offering.enrollment_end, offering, user)}
        )


def _overlaps(offering: CourseOffering) -> Q:
    """Offerings (through an enrollment's course_offering) that run at the same time as
    `offering`; an open end counts as running for ever."""
    q = Q()
    if offering.ends_at is not None:
        q &= Q(course_offering__starts_at__isnull=True) | Q(
            course_offering__starts_at__lte=offering.ends_at
        )
    if offering.starts_at is not None:
        q &= Q(course_offering__ends_at__isnull=True) | Q(
            course_offering__ends_at__gte=offering.starts_at
        )
    return q


def _check_prerequisites(offering: CourseOffering, user: User) -> tuple[str, ...]:
    """Refuse on an unmet strict prerequisite or co-requisite; return the warnings for unmet
    recommended ones."""
    taken = CourseEnrollment.objects.filter(
        user_id=user.pk, course_offering__course=OuterRef("prerequisite_course")
    )
    links = list(
        CoursePrerequisite.objects.filter(course_id=offering.course_id)
        .select_related("prerequisite_course")
        .annotate(
            completed=Exists(taken.filter(final_completion_q())),
            concurrent=Exists(taken.filter(_overlaps(offering), status=EnrollmentStatus.ACTIVE)),
        )
        .order_by("prerequisite_course__code")
    )
    strict = [link for link in links if link.prerequisite_type == PrerequisiteType.STRICT]
    missing = [link for link in strict if not link.completed]
    if missing:
        raise EnrollmentRefused(
            _("Complete %(courses)s before you enroll in this course.")
            % {"courses": _titles(missing)}
        )
    co = [link for link in links if link.prerequisite_type == PrerequisiteType.CO_REQUISITE]
    missing = [link for link in co if not (link.completed or link.concurrent)]
    if missing:
        raise EnrollmentRefused(
            _(
                "Take %(courses)s at the same time: enroll in an offering of it that runs "
                "alongside this one first, or complete it."
            )
            % {"courses": _titles(missing)}
        )
    recommended = [
        link
        for link in links
        if link.prerequisite_type == PrerequisiteType.RECOMMENDED and not link.completed
    ]
    if recommended:
        return (
            _("We recommend completing %(courses)s before this course.")
            % {"courses": _titles(recommended)},
        )
    return ()


def _refusal_for_existing(enrollment: CourseEnrollment) -> EnrollmentRefused:
    messages: dict[str, str] = {
        EnrollmentStatus.ACTIVE: _("You are already enrolled in this offering."),
        EnrollmentStatus.COMPLETED: _("You have already completed this offering."),
        EnrollmentStatus.PENDING: _("Your request to enroll is already waiting for approval."),
        EnrollmentStatus.WAITLISTED: _("You are already on the waitlist of this offering."),
    }
    return EnrollmentRefused(messages[enrollment.status])


@transaction.atomic
def enrollment_create(
    *, offering: CourseOffering, user: User, now: datetime | None = None
) -> EnrollmentOutcome:
    """Enroll `user` in `offering`: active when a seat is free, waitlisted when it is full,
    pending when the offering requires approval. A dropped enrollment is reused (the row is
    unique per user and offering) and goes to the back of the queue.

    Raises EnrollmentRefused, having written nothing, outside the enrollment window, for an
    unpublished course, when already in this offering or active in another offering of the same
    course, and on an unmet strict prerequisite or co-requisite. Unmet recommended
    prerequisites come back as warnings.

    Enrolling oneself is the person's consent to be known at the offering's university: someone
    holding no role there is granted the student role (recorded with them as its actor), so its
    staff see them by name exactly as they see everyone else who holds a role there.
    """
    offering = _lock_offering(offering.pk)
    if not offering.course.is_published:
        raise EnrollmentRefused(_("This course is not open for enrollment."))
    existing = (
        CourseEnrollment.objects.select_for_update()
        .filter(user_id=user.pk, course_offering=offering)
        .first()
    )
    if existing is not None and existing.status != EnrollmentStatus.DROPPED:
        raise _refusal_for_existing(existing)
    elsewhere = (
        CourseEnrollment.objects.filter(
            user_id=user.pk,
            course_offering__course_id=offering.course_id,
            status=EnrollmentStatus.ACTIVE,
        )
        .exclude(course_offering=offering)
        .select_related("course_offering")
        .first()
    )
    if elsewhere is not None:
        raise EnrollmentRefused(
            _("You are already enrolled in %(term)s of this course; drop it first to switch.")
            % {"term": elsewhere.course_offering.term_name or _("another offering")}
        )
    now = now or timezone.now()
    _check_window(offering, now, user)
    warnings = _check_prerequisites(offering, user)

    if offering.requires_approval:
        status = EnrollmentStatus.PENDING
    else:
        _fill_seats(offering)
        status = (
            EnrollmentStatus.WAITLISTED if _free_seats(offering) == 0 else EnrollmentStatus.ACTIVE
        )
    if not holds_role_at(user, offering.university_id):
        role_grant(user=user, university=offering.university, role=Role.STUDENT, actor=user)
    if existing is None:
        enrollment = CourseEnrollment.objects.create(
            user=user, course_offering=offering, status=status, enrolled_at=now
        )
    else:
        enrollment = existing
        enrollment.status = status
        enrollment.enrolled_at = now
        enrollment.completed_at = None
        enrollment.save(update_fields=["status", "enrolled_at", "completed_at"])
    return EnrollmentOutcome(
        enrollment=enrollment,
        waitlist_position=_waitlist_position(enrollment),
        warnings=warnings,
    )


@transaction.atomic
def enrollment_drop(*, enrollment: CourseEnrollment) -> EnrollmentOutcome:
    """Leave an offering: an active seat, a place on the waitlist or a pending request. A freed
    seat goes to the first waitlisted student in the same transaction. Completed enrollments
    stay on the record."""
    offering = _lock_offering(enrollment.course_offering_id)
    enrollment = _lock_enrollment(enrollment.pk)
    if enrollment.status == EnrollmentStatus.DROPPED:
        raise EnrollmentRefused(_("You are not enrolled in this offering."))
    if enrollment.status == EnrollmentStatus.COMPLETED:
        raise EnrollmentRefused(_("You have completed this offering; it stays on your record."))
    previous = enrollment.status
    enrollment.status = EnrollmentStatus.DROPPED
    enrollment.save(update_fields=["status"])
    promoted = _fill_seats(offering) if previous == EnrollmentStatus.ACTIVE else []
    return EnrollmentOutcome(
        enrollment=enrollment, promoted=tuple(promoted), previous_status=previous
    )


def _check_approver(actor: User, offering: CourseOffering) -> None:
    if not administers(
        user=actor,
        university_id=offering.university_id,
        department_id=offering.course.department_id,
    ):
        raise PermissionDenied(_("Only an admin of the course's department may decide."))


@transaction.atomic
def enrollment_approve(
    *, enrollment: CourseEnrollment, actor: User, now: datetime | None = None
) -> EnrollmentOutcome:
    """Approve a pending request: a seat when one is free, otherwise the end of the waitlist.
    `actor` must administer the course's department (or its university, or the platform)."""
    offering = _lock_offering(enrollment.course_offering_id)
    _check_approver(actor, offering)
    enrollment = _lock_enrollment(enrollment.pk)
    if enrollment.status != EnrollmentStatus.PENDING:
        raise EnrollmentRefused(_("This request is no longer waiting for approval."))
    _fill_seats(offering)
    if _free_seats(offering) == 0:
        enrollment.status = EnrollmentStatus.WAITLISTED
        enrollment.enrolled_at = now or timezone.now()
    else:
        enrollment.status = EnrollmentStatus.ACTIVE
    enrollment.save(update_fields=["status", "enrolled_at"])
    position = _waitlist_position(enrollment)
    enrollment_approved_notify(enrollment=enrollment, offering=offering, waitlist_position=position)
    return EnrollmentOutcome(enrollment=enrollment, waitlist_position=position)


@transaction.atomic
def enrollment_reject(*, enrollment: CourseEnrollment, actor: User) -> CourseEnrollment:
    """Turn down a pending request; the row becomes dropped, so the student may ask again."""
    offering = _lock_offering(enrollment.course_offering_id)
    _check_approver(actor, offering)
    enrollment = _lock_enrollment(enrollment.pk)
    if enrollment.status != EnrollmentStatus.PENDING:
        raise EnrollmentRefused(_("This request is no longer waiting for approval."))
    enrollment.status = EnrollmentStatus.DROPPED
    enrollment.save(update_fields=["status"])
    enrollment_rejected_notify(enrollment=enrollment, offering=offering)
    _fill_seats(offering)
    return enrollment


@transaction.atomic
def offering_waitlist_fill(*, offering: CourseOffering) -> list[CourseEnrollment]:
    """Give the seats that are free to the waitlist, first come first served."""
    return _fill_seats(_lock_offering(offering.pk))


def _lock_offerings(*offering_ids: int | None) -> list[CourseOffering]:
    """Lock several offerings in id order, so two writers never wait on each other."""
    return [_lock_offering(pk) for pk in sorted({pk for pk in offering_ids if pk is not None})]


@transaction.atomic
def enrollment_save(*, enrollment: CourseEnrollment) -> list[CourseEnrollment]:
    """Save an enrollment as staff edited it (its status, or even its offering). A seat it gave
    up goes to the waitlist of the offering it held it in. Returns the promoted enrollments."""
    before = (
        CourseEnrollment.objects.filter(pk=enrollment.pk)
        .values_list("course_offering_id", flat=True)
        .first()
        if enrollment.pk is not None
        else None
    )
    offerings = _lock_offerings(before, enrollment.course_offering_id)
    enrollment.save()
    return [promoted for offering in offerings for promoted in _fill_seats(offering)]


@transaction.atomic
def enrollment_delete(*, enrollment: CourseEnrollment) -> list[CourseEnrollment]:
    """Remove an enrollment row altogether; its seat goes to the waitlist."""
    offering = _lock_offering(enrollment.course_offering_id)
    CourseEnrollment.objects.filter(pk=enrollment.pk).delete()
    return _fill_seats(offering)


@transaction.atomic
def enrollments_complete(*, offering_id: int, user_ids: list[int]) -> int:
    """Mark the active enrollments of `user_ids` in the offering completed (their final course
    grade passed), which unlocks the courses that require this one. Enrollments in any other status
    stay as they are; running it again changes nothing. A completed enrollment holds no seat, so
    the seats freed go to the waitlist. Returns how many changed."""
    if not user_ids:
        return 0
    offering = _lock_offering(offering_id)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE course_enrollments
            SET status = %s, completed_at = coalesce(completed_at, statement_timestamp())
            WHERE course_offering_id = %s AND status = %s AND user_id = ANY(%s)
            """,
            [EnrollmentStatus.COMPLETED, offering_id, EnrollmentStatus.ACTIVE, list(user_ids)],
        )
        changed = cursor.rowcount
    if changed:
        _fill_seats(offering)  # a completed enrollment holds no seat
    return changed
