"""The course page: the course, its offerings as cards with what the visitor may do with each
(enroll, join the waitlist, request a place), its instructors and prerequisites, and the
enrollment of a visitor in an offering.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, TypedDict, cast

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from catalog.models import (
    Course,
    CourseEnrollment,
    CourseOffering,
    CourseOfferingInstructor,
    CoursePrerequisite,
    CourseSubject,
    EnrollmentStatus,
    PrerequisiteType,
    Subject,
)
from catalog.selectors.browse import _not_over_q
from catalog.selectors.enrollments import final_completion_q, waitlist_position
from catalog.selectors.visibility import offering_visibility_q
from tenancy.access import Visitor, administers
from tenancy.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations


class VisitorCourseFacts(TypedDict):
    """What course_for_visitor adds to the course."""

    is_instructor: bool
    is_staff: bool


def course_for_visitor(
    *, user: Visitor, course_id: int
) -> "WithAnnotations[Course, VisitorCourseFacts]":
    """The course with its university, country, department and primary subject and
    `is_staff` (whether `user` teaches or administers it), in one query. A draft is found only
    by its staff: everyone else gets the same 404 as for a course that does not exist."""
    courses = Course.objects.select_related("university__country", "department", "primary_subject")
    if user.is_authenticated:
        courses = courses.annotate(
            is_instructor=Exists(
                CourseOfferingInstructor.objects.filter(
                    course_offering__course=OuterRef("pk"), user_id=user.pk
                )
            )
        )
    else:
        courses = courses.annotate(is_instructor=Value(False))
    course = cast(
        "WithAnnotations[Course, VisitorCourseFacts] | None", courses.filter(pk=course_id).first()
    )
    if course is None:
        raise Http404("No such course.")
    course.is_staff = course.is_instructor or administers(
        user=user, university_id=course.university_id, department_id=course.department_id
    )
    if not course.is_published and not course.is_staff:
        raise Http404("No such course.")
    return course


class Instructor(NamedTuple):
    pk: int
    full_name: str


def _staff_column(column: str) -> Subquery:
    """The offering's instructors' `column` as an array, in the order of their names."""
    return Subquery(
        CourseOfferingInstructor.objects.filter(course_offering=OuterRef("pk"))
        .order_by()
        .values("course_offering")
        .annotate(v=ArrayAgg(column, order_by=("user__full_name", "user_id")))
        .values("v")
    )


class EnrollAction(StrEnum):
    ENROLL = "enroll"
    WAITLIST = "waitlist"  # full: enrolling puts the student on the waitlist
    REQUEST = "request"  # needs a department admin's approval


class WindowState(StrEnum):
    OPEN = "open"
    NOT_YET = "not_yet"
    CLOSED = "closed"


@dataclass
class OfferingCard:
    """An offering as the course page shows it to one visitor."""

    offering: CourseOffering
    instructors: list["Instructor"]
    seats_taken: int
    waitlist_length: int
    window: WindowState
    enrollment: CourseEnrollment | None = None  # the visitor's, not dropped
    # The visitor is active in this other offering of the course, and so may not enroll here.
    enrolled_elsewhere: CourseOffering | None = None

    @property
    def seats_left(self) -> int | None:
        capacity = self.offering.capacity
        return None if capacity is None else max(capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    @property
    def action(self) -> EnrollAction | None:
        """What the enroll button does, or None when there is no button."""
        if self.enrollment is not None or self.enrolled_elsewhere is not None:
            return None
        if self.window != WindowState.OPEN:
            return None
        if self.offering.requires_approval:
            return EnrollAction.REQUEST
        return EnrollAction.WAITLIST if self.is_full else EnrollAction.ENROLL

    @property
    def can_drop(self) -> bool:
        return self.enrollment is not None and self.enrollment.status != (
            EnrollmentStatus.COMPLETED
        )


PREREQUISITE_LABELS: "dict[str, StrOrPromise]" = {
    PrerequisiteType.STRICT: gettext_lazy("Required before enrolling"),
    PrerequisiteType.RECOMMENDED: gettext_lazy("Recommended before"),
    PrerequisiteType.CO_REQUISITE: gettext_lazy("Co-requisite: before or at the same time"),
}


@dataclass(frozen=True)
class PrerequisiteState:
    course: Course
    kind: str
    completed: bool
    in_progress: bool  # an active enrollment in one of its offerings

    @property
    def met(self) -> bool:
        if self.kind == PrerequisiteType.CO_REQUISITE:
            return self.completed or self.in_progress
        return self.completed

    @property
    def blocks(self) -> bool:
        """Unmet and not merely recommended."""
        return not self.met and self.kind != PrerequisiteType.RECOMMENDED

    @property
    def label(self) -> "StrOrPromise":
        return PREREQUISITE_LABELS[self.kind]

    @property
    def status_label(self) -> str:
        if self.completed:
            return gettext("Completed")
        if self.met:
            return gettext("Taking it now")
        if self.kind == PrerequisiteType.RECOMMENDED:
            return gettext("Not completed")
        return gettext("Not met")


@dataclass
class CoursePage:
    course: Course
    subjects: list[Subject]
    offerings: list[OfferingCard]
    instructors: list["Instructor"]
    prerequisites: list[PrerequisiteState]
    signed_in: bool
    completed: bool = False  # the visitor completed some offering of this course


def _window_state(offering: CourseOffering, now: datetime) -> WindowState:
    if offering.enrollment_start is not None and now < offering.enrollment_start:
        return WindowState.NOT_YET
    if offering.enrollment_end is not None and now > offering.enrollment_end:
        return WindowState.CLOSED
    return WindowState.OPEN


def course_page(*, user: Visitor, course_id: int, now: datetime | None = None) -> CoursePage:
    """Everything the course page shows except the outline and reviews (other apps compose
    those): a constant number of queries whatever the numbers of offerings, instructors,
    subjects and prerequisites (4 for anonymous visitors, 5 when signed in, plus the user's
    roles once)."""
    now = now or timezone.now()
    course = course_for_visitor(user=user, course_id=course_id)
    subjects = list(
        Subject.objects.filter(
            Q(pk=course.primary_subject_id)
            | Q(pk__in=CourseSubject.objects.filter(course=course).values("subject_id"))
        ).order_by("name")
    )

    mine: dict[int, CourseEnrollment] = {}
    if user.is_authenticated:
        mine = {
            e.course_offering_id: e
            for e in CourseEnrollment.objects.filter(
                user_id=user.pk, course_offering__course=course
            ).annotate(waitlist_position=waitlist_position())
        }
    shown = Q(pk__in=[pk for pk, e in mine.items() if e.status != EnrollmentStatus.DROPPED])
    if not course.is_staff:
        shown |= offering_visibility_q(user) & _not_over_q(now)
    else:
        shown |= _not_over_q(now)
    offerings = list(
        CourseOffering.objects.filter(course=course)
        .filter(shown)
        .annotate(
            seats_taken=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE)),
            waitlist_length=Count(
                "enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED)
            ),
        )
        .annotate(staff_ids=_staff_column("user_id"), staff_names=_staff_column("user__full_name"))
        .order_by(F("starts_at").asc(nulls_last=True), "pk")
    )
    cards = []
    instructors: dict[int, Instructor] = {}
    active_in = next(
        (o for o in offerings if o.pk in mine and mine[o.pk].status == EnrollmentStatus.ACTIVE),
        None,
    )
    for offering in offerings:
        enrollment = mine.get(offering.pk)
        if enrollment is not None and enrollment.status == EnrollmentStatus.DROPPED:
            enrollment = None
        people = [
            Instructor(pk, name)
            for pk, name in zip(offering.staff_ids or (), offering.staff_names or (), strict=True)
        ]
        for person in people:
            instructors.setdefault(person.pk, person)
        cards.append(
            OfferingCard(
                offering=offering,
                instructors=people,
                seats_taken=offering.seats_taken,
                waitlist_length=offering.waitlist_length,
                window=_window_state(offering, now),
                enrollment=enrollment,
                enrolled_elsewhere=active_in if active_in not in (None, offering) else None,
            )
        )

    prerequisites = _prerequisite_states(user=user, course=course)
    return CoursePage(
        course=course,
        subjects=subjects,
        offerings=cards,
        instructors=sorted(instructors.values(), key=lambda u: (u.full_name, u.pk)),
        prerequisites=prerequisites,
        signed_in=user.is_authenticated,
        completed=any(e.status == EnrollmentStatus.COMPLETED for e in mine.values()),
    )


def _prerequisite_states(*, user: Visitor, course: Course) -> list[PrerequisiteState]:
    links = CoursePrerequisite.objects.filter(course=course).select_related(
        "prerequisite_course__university"
    )
    if user.is_authenticated:
        taken = CourseEnrollment.objects.filter(
            user_id=user.pk, course_offering__course=OuterRef("prerequisite_course")
        )
        links = links.annotate(
            completed=Exists(taken.filter(final_completion_q())),
            in_progress=Exists(taken.filter(status=EnrollmentStatus.ACTIVE)),
        )
    else:
        links = links.annotate(completed=Value(False), in_progress=Value(False))
    order = {kind: i for i, kind in enumerate(PrerequisiteType.values)}
    states = [
        PrerequisiteState(
            course=link.prerequisite_course,
            kind=link.prerequisite_type,
            completed=link.completed,
            in_progress=link.in_progress,
        )
        for link in links
    ]
    return sorted(states, key=lambda s: (order[s.kind], s.course.title, s.course.pk))


def offering_for_enrollment(*, user: Visitor, offering_id: int) -> CourseOffering:
    """The offering `user` may enroll in or leave, with its course; 404 when it does not exist,
    its course is a draft, or it is hidden from the user (private to another university) and
    the user has no enrollment in it."""
    seen = offering_visibility_q(user)
    if user.is_authenticated:
        seen |= Q(
            Exists(CourseEnrollment.objects.filter(course_offering=OuterRef("pk"), user_id=user.pk))
        )
    offering = (
        CourseOffering.objects.select_related("course")
        .filter(seen, pk=offering_id, course__is_published=True)
        .first()
    )
    if offering is None:
        raise Http404("No such offering.")
    return offering


def enrollment_for_user(*, user: User, offering: CourseOffering) -> CourseEnrollment | None:
    return (
        CourseEnrollment.objects.filter(user_id=user.pk, course_offering=offering)
        .annotate(waitlist_position=waitlist_position())
        .first()
    )
