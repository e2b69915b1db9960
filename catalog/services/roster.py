"""Writes behind an offering's roster in the admin: decisions on many enrollments at once and the
offering's teaching staff (the CSV is catalog.services.roster_csv, roles within a university
catalog.services.roles).

Every write checks the actor first and runs in one transaction that starts by locking the
offering row, the same lock the student-facing services in catalog.services.enrollment take, so
a roster action and a student enrolling at the same moment run one after the other.

Capacity. Seats are held by active enrollments. Promoting from the waitlist respects the seats,
in queue order among the selected students, unless the admin explicitly asks to go over
capacity; then every selected student gets a seat and the offering stays over capacity until
enough students leave (no one is promoted while it is). Dropping and completing free seats,
which go to the waitlist at once, as catalog.services.enrollment does.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import CourseEnrollment, CourseOffering, CourseOfferingInstructor
from catalog.models import EnrollmentStatus as Status
from catalog.selectors.roster import TEACHING_ROLES
from catalog.services.accounts import account_invitations_enqueue
from catalog.services.enrollment import (
    _fill_seats,
    _free_seats,
    _lock_offering,
    enrollment_approve,
    enrollment_drop,
    enrollment_reject,
)
from catalog.services.enrollment_notices import waitlist_promoted_notify
from catalog.services.offerings import offering_instructor_add, offering_instructor_remove
from tenancy.access import administers
from tenancy.models import User, UserUniversityRole


@dataclass
class RosterChange:
    """What a roster action did: the rows it changed, the ones it left alone with the reason,
    and the waitlisted students who got a freed seat."""

    changed: list[CourseEnrollment] = field(default_factory=list)
    skipped: list[tuple[CourseEnrollment, str]] = field(default_factory=list)
    promoted: list[CourseEnrollment] = field(default_factory=list)
    # Among `changed`: approved requests that found no free seat and joined the waitlist.
    waitlisted: list[CourseEnrollment] = field(default_factory=list)


def _check_manager(actor: User, offering: CourseOffering) -> None:
    if not administers(
        user=actor,
        university_id=offering.university_id,
        department_id=offering.course.department_id,
    ):
        raise PermissionDenied(_("Only an admin of the course's department may do this."))


def _locked_rows(offering: CourseOffering, enrollment_ids: Iterable[int]) -> list[CourseEnrollment]:
    """The selected enrollments of this offering (ids of other offerings are ignored), locked,
    in queue order."""
    return list(
        CourseEnrollment.objects.select_for_update()
        .filter(course_offering=offering, pk__in=list(enrollment_ids))
        .select_related("user")
        .order_by("enrolled_at", "pk")
    )


def _begin(actor: User, offering: CourseOffering) -> CourseOffering:
    locked = _lock_offering(offering.pk)
    _check_manager(actor, locked)
    return locked


def _not_in(status: str) -> str:
    return _("not %(status)s") % {"status": Status(status).label.lower()}


@transaction.atomic
def roster_approve(
    *, actor: User, offering: CourseOffering, enrollment_ids: Iterable[int]
) -> RosterChange:
    """Approve the selected pending requests, in the order they were made: a seat while there
    is one, the waitlist after that."""
    offering = _begin(actor, offering)
    change = RosterChange()
    for row in _locked_rows(offering, enrollment_ids):
        if row.status != Status.PENDING:
            change.skipped.append((row, _not_in(Status.PENDING)))
            continue
        approved = enrollment_approve(enrollment=row, actor=actor).enrollment
        change.changed.append(approved)
        if approved.status == Status.WAITLISTED:
            change.waitlisted.append(approved)
    return change


@transaction.atomic
def roster_reject(
    *, actor: User, offering: CourseOffering, enrollment_ids: Iterable[int]
) -> RosterChange:
    offering = _begin(actor, offering)
    change = RosterChange()
    for row in _locked_rows(offering, enrollment_ids):
        if row.status != Status.PENDING:
            change.skipped.append((row, _not_in(Status.PENDING)))
            continue
        change.changed.append(enrollment_reject(enrollment=row, actor=actor))
    return change


@transaction.atomic
def roster_promote(
    *,
    actor: User,
    offering: CourseOffering,
    enrollment_ids: Iterable[int],
    over_capacity: bool = False,
) -> RosterChange:
    """Give the selected waitlisted students a seat, earliest on the waitlist first, while seats
    last; with `over_capacity` all of them, past the capacity."""
    offering = _begin(actor, offering)
    change = RosterChange()
    free = None if over_capacity else _free_seats(offering)
    for row in _locked_rows(offering, enrollment_ids):
        if row.status != Status.WAITLISTED:
            change.skipped.append((row, _not_in(Status.WAITLISTED)))
        elif free == 0:
            change.skipped.append((row, _("no seat left")))
        else:
            row.status = Status.ACTIVE
            row.save(update_fields=["status"])
            change.changed.append(row)
            free = None if free is None else free - 1
    waitlist_promoted_notify(enrollments=change.changed, offering=offering)
    return change


@transaction.atomic
def roster_drop(
    *, actor: User, offering: CourseOffering, enrollment_ids: Iterable[int]
) -> RosterChange:
    """Drop the selected students (active, waitlisted or pending); freed seats go to the
    waitlist in its order."""
    offering = _begin(actor, offering)
    change = RosterChange()
    for row in _locked_rows(offering, enrollment_ids):
        if row.status in (Status.DROPPED, Status.COMPLETED):
            change.skipped.append((row, Status(row.status).label.lower()))
            continue
        outcome = enrollment_drop(enrollment=row)
        change.changed.append(outcome.enrollment)
        change.promoted.extend(outcome.promoted)
    dropped = {row.pk for row in change.changed}
    change.promoted = [row for row in change.promoted if row.pk not in dropped]
    return change


@transaction.atomic
def roster_complete(
    *,
    actor: User,
    offering: CourseOffering,
    enrollment_ids: Iterable[int],
    now: datetime | None = None,
) -> RosterChange:
    """Mark the selected active students as having completed the offering. A completed
    enrollment holds no seat, so the freed seats go to the waitlist."""
    offering = _begin(actor, offering)
    now = now or timezone.now()
    change = RosterChange()
    for row in _locked_rows(offering, enrollment_ids):
        if row.status != Status.ACTIVE:
            change.skipped.append((row, _not_in(Status.ACTIVE)))
            continue
        row.status = Status.COMPLETED
        row.completed_at = now
        row.save(update_fields=["status", "completed_at"])
        change.changed.append(row)
    if change.changed:
        change.promoted = _fill_seats(offering)
    return change


@transaction.atomic
def roster_fill_seats(*, actor: User, offering: CourseOffering) -> list[CourseEnrollment]:
    """Give every free seat to the waitlist, first come first served."""
    return _fill_seats(_begin(actor, offering))


def roster_change_summary(change: RosterChange, done: Any) -> str:
    """One line for the admin's message. `done` has a %(count)d placeholder (a plural-aware
    ngettext_lazy keyed on "count") for the changed rows; approvals that only reached the
    waitlist are counted on their own, so "2 approved" never hides a waitlisted student."""
    seated = len(change.changed) - len(change.waitlisted)
    parts = []
    if seated or not change.waitlisted:
        parts.append(done % {"count": seated})
    if change.waitlisted:
        n = len(change.waitlisted)
        parts.append(
            ngettext(
                "%(count)d approved onto the waitlist (no seat was free)",
                "%(count)d approved onto the waitlist (no seats were free)",
                n,
            )
            % {"count": n}
        )
    if change.skipped:
        parts.append(
            ngettext(
                "%(count)d left as it was (%(reasons)s)",
                "%(count)d left as they were (%(reasons)s)",
                len(change.skipped),
            )
            % {
                "count": len(change.skipped),
                "reasons": "; ".join(
                    f"{row.user.email}: {reason}" for row, reason in change.skipped[:10]
                ),
            }
        )
    if change.promoted:
        parts.append(
            _("promoted from the waitlist: %(names)s")
            % {"names": ", ".join(row.user.email for row in change.promoted)}
        )
    return "; ".join(parts) + "."


class StaffRefused(ValidationError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="staff_refused")


@transaction.atomic
def offering_staff_add(
    *, actor: User, offering: CourseOffering, user: User
) -> CourseOfferingInstructor:
    """Add `user` to the offering's staff, with the object permissions that go with it. They
    must hold an instructor or TA role at the offering's university."""
    offering = _begin(actor, offering)
    if not UserUniversityRole.objects.filter(
        user=user, university_id=offering.university_id, role__in=TEACHING_ROLES
    ).exists():
        raise StaffRefused(
            _(
                "%(user)s holds no instructor or teaching assistant role at %(university)s; a "
                "university admin can grant one."
            )
            % {"user": user.email, "university": offering.university.name}
        )
    return offering_instructor_add(offering=offering, user=user)


@transaction.atomic
def offering_staff_remove(*, actor: User, offering: CourseOffering, user: User) -> None:
    offering = _begin(actor, offering)
    if not CourseOfferingInstructor.objects.filter(course_offering=offering, user=user).exists():
        raise StaffRefused(_("%(user)s does not teach this offering.") % {"user": user.email})
    offering_instructor_remove(offering=offering, user=user)


@transaction.atomic
def roster_invitations_resend(
    *, actor: User, offering: CourseOffering, enrollment_ids: Iterable[int]
) -> RosterChange:
    """Send the set-password email again to selected students whose account was created from a
    roster and never used (an expired link cannot be replaced through "forgot password", which
    only serves accounts with a password)."""
    offering = _begin(actor, offering)
    change = RosterChange()
    for row in _locked_rows(offering, enrollment_ids):
        if row.user.has_usable_password() or row.user.last_login is not None:
            change.skipped.append((row, _("has already signed in or chosen a password")))
        else:
            change.changed.append(row)
    if change.changed:
        account_invitations_enqueue([row.user_id for row in change.changed], offering.pk)
    return change
