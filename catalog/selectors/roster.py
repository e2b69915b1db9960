"""Reads behind an offering's roster in the admin: who may manage it, the counts and seats, the
enrollments with their waitlist places, the export, and the offering's teaching staff.

Managing a roster is for the admins over the offering (its course's department admins, its
university's admins, platform admins). Everyone else gets the same 404 for "missing" and "not
yours", so the pages never tell another tenant that an offering exists.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict, cast
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from catalog.models import CourseEnrollment, CourseOffering, CourseOfferingInstructor, Invitation
from catalog.models import EnrollmentStatus as Status
from lms.input import parse_id
from tenancy.access import Visitor, administers, can_administer_university, holds_role_at_q
from tenancy.models import Role, University, User, UserUniversityRole

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Roster order: what needs a decision first, then who holds a seat, then the queue in its order.
STATUS_ORDER = (Status.PENDING, Status.ACTIVE, Status.WAITLISTED, Status.COMPLETED, Status.DROPPED)
TEACHING_ROLES = (Role.INSTRUCTOR, Role.TA)
ROSTER_PAGE_SIZE = 100


def offering_for_roster(*, user: Visitor, offering_id: int) -> CourseOffering:
    """The offering, with its course, department and university, when `user` administers it."""
    offering = (
        CourseOffering.objects.select_related("course__department", "university")
        .filter(pk=offering_id)
        .first()
    )
    if offering is None or not administers(
        user=user,
        university_id=offering.university_id,
        department_id=offering.course.department_id,
    ):
        raise Http404("No such offering.")
    return offering


@dataclass(frozen=True)
class RosterSummary:
    counts: dict[str, int]  # every status, zero included
    total: int
    capacity: int | None
    seats_left: int | None  # None: unlimited

    @property
    def over_capacity(self) -> int:
        if self.capacity is None:
            return 0
        return max(self.counts[Status.ACTIVE] - self.capacity, 0)


def roster_summary(*, offering: CourseOffering) -> RosterSummary:
    """Counts by status and seats left, in one query. Seats are held by active enrollments."""
    counts = CourseEnrollment.objects.filter(course_offering=offering).aggregate(
        **{status.value: Count("pk", filter=Q(status=status)) for status in Status},
    )
    seats_left = None
    if offering.capacity is not None:
        seats_left = max(offering.capacity - counts[Status.ACTIVE], 0)
    return RosterSummary(
        counts=counts,
        total=sum(counts.values()),
        capacity=offering.capacity,
        seats_left=seats_left,
    )


def roster_entries(
    *, offering: CourseOffering, status: str = "", search: str = ""
) -> QuerySet[CourseEnrollment]:
    """The offering's enrollments with their users, grouped by STATUS_ORDER; the waitlist in
    queue order. Only people holding a role at the offering's university are listed by name
    (tenancy.access.holds_role_at_q); the counts of roster_summary include everyone."""
    rows = CourseEnrollment.objects.filter(
        holds_role_at_q(user_ref="user", university_ref="course_offering__university"),
        course_offering=offering,
    )
    if status:
        rows = rows.filter(status=status)
    search = search.strip()
    if search:
        rows = rows.filter(Q(user__email__icontains=search) | Q(user__full_name__icontains=search))
    status_rank = Case(
        *(When(status=value, then=Value(rank)) for rank, value in enumerate(STATUS_ORDER)),
        output_field=IntegerField(),
    )
    return (
        rows.select_related("user")
        .annotate(status_rank=status_rank)
        .order_by("status_rank", "enrolled_at", "pk")
    )


def waitlist_places(*, offering: CourseOffering) -> dict[int, int]:
    """Enrollment id -> 1-based place on the offering's waitlist; one query over the waitlist's
    ids, where counting the rows ahead of each would grow with the square of its length."""
    queue = (
        CourseEnrollment.objects.filter(course_offering=offering, status=Status.WAITLISTED)
        .order_by("enrolled_at", "pk")
        .values_list("pk", flat=True)
    )
    return {pk: place for place, pk in enumerate(queue, 1)}


class _WaitlistPlace(TypedDict):
    """What with_waitlist_places sets on each row."""

    waitlist_position: int | None


def with_waitlist_places(
    rows: Iterable[CourseEnrollment], *, offering: CourseOffering
) -> "list[WithAnnotations[CourseEnrollment, _WaitlistPlace]]":
    """`rows` as a list, each with `waitlist_position` set (None unless waitlisted); counted over
    the whole waitlist, whatever filter picked the rows."""
    rows = cast("list[WithAnnotations[CourseEnrollment, _WaitlistPlace]]", list(rows))
    places = (
        waitlist_places(offering=offering)
        if any(row.status == Status.WAITLISTED for row in rows)
        else {}
    )
    for row in rows:
        row.waitlist_position = places.get(row.pk)
    return rows


def roster_page(
    *, offering: CourseOffering, status: str = "", search: str = "", number: str | int | None = 1
) -> Page:
    """One page of the roster, its rows with their waitlist places."""
    page = Paginator(
        roster_entries(offering=offering, status=status, search=search), ROSTER_PAGE_SIZE
    ).get_page(number)
    page.object_list = with_waitlist_places(page.object_list, offering=offering)
    return page


EXPORT_HEADER = (
    "email",
    "full_name",
    "status",
    "waitlist_position",
    "enrolled_at",
    "completed_at",
)


def _stamp(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).isoformat(timespec="seconds") if value else ""


def roster_export_rows(*, offering: CourseOffering) -> Iterator[tuple[str, ...]]:
    """The header, then one row per enrollment in roster order, then the pending invitations
    (the address as typed, status "invited"); times in the university's time zone. Reads in
    chunks so a large roster streams without being held in memory."""
    zone = ZoneInfo(offering.university.time_zone)
    places = waitlist_places(offering=offering)
    yield EXPORT_HEADER
    for row in roster_entries(offering=offering).iterator(chunk_size=500):
        place = places.get(row.pk)
        yield (
            row.user.email,
            row.user.full_name,
            row.status,
            "" if place is None else str(place),
            _stamp(row.enrolled_at, zone),
            _stamp(row.completed_at, zone),
        )
    for invitation in pending_invitations(university=offering.university, offering=offering):
        yield (invitation.email, "", "invited", "", _stamp(invitation.created_at, zone), "")


# Teaching staff ---------------------------------------------------------------------------


def offering_staff(*, offering: CourseOffering) -> list[User]:
    """The offering's instructors and TAs, by name."""
    return list(
        User.objects.filter(
            pk__in=CourseOfferingInstructor.objects.filter(course_offering=offering).values(
                "user_id"
            )
        ).order_by("full_name", "email")
    )


def staff_candidates(*, offering: CourseOffering) -> QuerySet[User]:
    """People who may be added to the offering's staff: those holding an instructor or TA role
    at its university and not teaching it yet."""
    return (
        User.objects.filter(
            is_active=True,
            university_roles__university_id=offering.university_id,
            university_roles__role__in=TEACHING_ROLES,
        )
        .exclude(taught_offerings=offering)
        .distinct()
        .order_by("full_name", "email")
    )


def offering_staff_member(*, offering: CourseOffering, user_id: str) -> User | None:
    """The member of the offering's staff with id `user_id` as posted (any text); None for a
    malformed id, a missing person and someone who does not teach this offering alike."""
    pk = parse_id(user_id)
    if pk is None:
        return None
    return User.objects.filter(pk=pk, taught_offerings=offering).first()


# Roles within a university ----------------------------------------------------------------


def university_for_role_admin(*, user: Visitor, university_id: int) -> University:
    university = University.objects.filter(pk=university_id).first()
    if university is None or not can_administer_university(user, university.pk):
        raise Http404("No such university.")
    return university


def university_role_for_admin(*, university: University, value: str) -> UserUniversityRole | None:
    """The role row "<user id>:<role>" (as the roles page posts it) held at `university`; None
    for malformed text and for a role held elsewhere or not at all."""
    raw_id, _sep, role = value.partition(":")
    user_id = parse_id(raw_id)
    if user_id is None or role not in Role.values:
        return None
    return (
        UserUniversityRole.objects.select_related("user")
        .filter(university=university, user_id=user_id, role=role)
        .first()
    )


def university_member(*, university: University, email: str) -> User | None:
    """The person using `email` when they hold a role at `university`: the only people its
    staff may pick by address. Everyone else is invited (catalog.services.invitations)."""
    return (
        User.objects.filter(email__iexact=email.strip(), university_roles__university=university)
        .distinct()
        .first()
    )


def university_roles(*, university: University, search: str = "") -> QuerySet[UserUniversityRole]:
    """Every role held at the university, with its user and department, by person."""
    rows = UserUniversityRole.objects.filter(university=university)
    search = search.strip()
    if search:
        rows = rows.filter(Q(user__email__icontains=search) | Q(user__full_name__icontains=search))
    return rows.select_related("user", "department").order_by(
        "user__full_name", "user__email", "role"
    )


# Invitations --------------------------------------------------------------------------------


def pending_invitations(
    *, university: University, offering: CourseOffering | None = None
) -> QuerySet[Invitation]:
    """Invitations not accepted yet: to `offering`, or (without one) to roles at `university`.
    Only the address as typed is shown of them, never an account's name."""
    return (
        Invitation.objects.filter(
            university=university, course_offering=offering, accepted_at__isnull=True
        )
        .select_related("department")
        .order_by("email", "role")
    )


def invitation_for_token(*, token: str) -> Invitation:
    """The invitation behind a link, with what its page shows; 404 for an unknown token."""
    invitation = (
        Invitation.objects.select_related("university", "department", "course_offering__course")
        .filter(token=token)
        .first()
    )
    if invitation is None or not token:
        raise Http404("No such invitation.")
    return invitation
