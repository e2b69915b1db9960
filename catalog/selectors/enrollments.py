"""Reads of enrollments: which statuses count as learning or hold a place, whose completion is
final, waitlist places, and the offerings a person learns in or teaches.
"""

from datetime import datetime

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.utils import timezone

from catalog.models import (
    CourseEnrollment,
    CourseOffering,
    CourseOfferingInstructor,
    EnrollmentStatus,
)
from tenancy.access import Visitor

LEARNING_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)


# Statuses that hold a place in the offering; a dropped row may be enrolled again.
HELD_STATUSES = (
    EnrollmentStatus.ACTIVE,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.PENDING,
    EnrollmentStatus.WAITLISTED,
)


def final_completion_q() -> Q:
    """Completed enrollments (a filter on CourseEnrollment) whose completion is final: the
    offering's grades were finalised, its end date passed, or it is self-paced (no end date,
    completed once every graded item is graded). Only these satisfy a prerequisite."""
    return Q(status=EnrollmentStatus.COMPLETED) & (
        Q(course_offering__grades_finalized_at__isnull=False)
        | Q(course_offering__ends_at__isnull=True)
        | Q(course_offering__ends_at__lte=timezone.now())
    )


def waitlist_position() -> Case:
    """Annotation for CourseEnrollment rows: 1-based place on the offering's waitlist (by
    enrolled_at, then id), None unless waitlisted."""
    ahead = (
        CourseEnrollment.objects.filter(
            course_offering=OuterRef("course_offering"), status=EnrollmentStatus.WAITLISTED
        )
        .filter(
            Q(enrolled_at__lt=OuterRef("enrolled_at"))
            | Q(enrolled_at=OuterRef("enrolled_at"), pk__lte=OuterRef("pk"))
        )
        .order_by()
        .values("course_offering")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Case(
        When(status=EnrollmentStatus.WAITLISTED, then=Subquery(ahead)),
        default=None,
        output_field=IntegerField(),
    )


def learner_enrollments(*, user: Visitor) -> list[CourseEnrollment]:
    """All of the user's enrollments (dropped ones included), newest first, with the offering,
    its course, and both their universities loaded and `waitlist_position` set; one query."""
    if not user.is_authenticated:
        return []
    return list(
        CourseEnrollment.objects.filter(user_id=user.pk)
        .select_related("course_offering__university", "course_offering__course__university")
        .annotate(waitlist_position=waitlist_position())
        .order_by("-enrolled_at", "-pk")
    )


def teaching_offerings(*, user: Visitor, now: datetime | None = None) -> list[CourseOffering]:
    """The offerings the user teaches (as instructor or TA) that have not ended, the running
    ones first, with their course and university loaded; one query."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    return list(
        CourseOffering.objects.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now),
            pk__in=CourseOfferingInstructor.objects.filter(user_id=user.pk).values(
                "course_offering_id"
            ),
        )
        .select_related("course", "university")
        .order_by(F("starts_at").asc(nulls_last=True), "course__code", "pk")
    )
