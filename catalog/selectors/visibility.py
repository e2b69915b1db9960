"""Who may see an offering in the catalog and who may open its material, on top of the roles
of tenancy.access.

An offering with visibility "public" is seen by everyone; any other visibility ("private")
only by people holding a role at the offering's university, and by platform admins. Staff of
a course (its instructors and the admins over it) also see its drafts and all its offerings.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery

from catalog.models import (
    CourseEnrollment,
    CourseOffering,
    CourseOfferingInstructor,
    OfferingVisibility,
)
from catalog.selectors.enrollments import LEARNING_STATUSES
from tenancy.access import Visitor, administers, member_university_ids, sees_everything

PUBLIC = OfferingVisibility.PUBLIC


def offering_visibility_q(user: Visitor, prefix: str = "") -> Q:
    """The offerings `user` may see in the catalog, as a filter on CourseOffering (or, with
    `prefix` such as "offerings__", on a relation to it)."""
    if sees_everything(user):
        return Q()
    q = Q(**{f"{prefix}visibility": PUBLIC})
    universities = member_university_ids(user)
    if universities:
        q |= Q(**{f"{prefix}university_id__in": sorted(universities)})
    return q


def can_access_offering(*, user: Visitor, offering: CourseOffering) -> bool:
    """Whether `user` may open the offering's learning material: as a learner (an active or
    completed enrollment) or as its staff (an instructor of it, or an admin over it). One query,
    plus the user's roles once per request."""
    if not user.is_authenticated:
        return False
    row = (
        CourseOffering.objects.filter(pk=offering.pk)
        .annotate(
            learner=Exists(
                CourseEnrollment.objects.filter(
                    course_offering=OuterRef("pk"), user_id=user.pk, status__in=LEARNING_STATUSES
                )
            ),
            instructor=Exists(
                CourseOfferingInstructor.objects.filter(
                    course_offering=OuterRef("pk"), user_id=user.pk
                )
            ),
        )
        .values_list("learner", "instructor", "university_id", "course__department_id")
        .first()
    )
    if row is None:
        return False
    learner, instructor, university_id, department_id = row
    return (
        learner
        or instructor
        or administers(user=user, university_id=university_id, department_id=department_id)
    )


def is_offering_staff(*, user: Visitor, offering: CourseOffering) -> bool:
    """An instructor (or TA) of the offering, or an admin over it."""
    if not user.is_authenticated:
        return False
    university_id, department_id = (
        CourseOffering.objects.filter(pk=offering.pk)
        .values_list("university_id", "course__department_id")
        .get()
    )
    if administers(user=user, university_id=university_id, department_id=department_id):
        return True
    return CourseOfferingInstructor.objects.filter(
        course_offering_id=offering.pk, user_id=user.pk
    ).exists()


@dataclass(frozen=True)
class OfferingRelation:
    """An offering and what `user` is to it: their enrollment's status (None without one) and
    whether they are its staff (an instructor or TA of it, or an admin over it)."""

    offering: CourseOffering
    enrollment_status: str | None
    is_staff: bool


def offering_relation(
    *, user: Visitor, offering_id: int, related: tuple[str, ...] = ("course",)
) -> OfferingRelation | None:
    """The offering with `related` loaded and what `user` is to it, in one query (plus the
    user's roles once per request); None when it does not exist. The player and the
    discussions decide from this who may come in."""
    offering = (
        CourseOffering.objects.select_related(*related)
        .annotate(
            enrollment_status=Subquery(
                # An anonymous visitor's pk is None, which the lookup reads as IS NULL (no
                # row); the stubs do not allow None for an exact lookup.
                CourseEnrollment.objects.filter(
                    course_offering=OuterRef("pk"),
                    user_id=user.pk,  # type: ignore[misc]
                ).values("status")[:1]
            ),
            is_instructor=Exists(
                CourseOfferingInstructor.objects.filter(
                    course_offering=OuterRef("pk"),
                    user_id=user.pk,  # type: ignore[misc]
                )
            ),
        )
        .filter(pk=offering_id)
        .first()
    )
    if offering is None:
        return None
    is_staff = offering.is_instructor or administers(
        user=user, university_id=offering.university_id, department_id=offering.course.department_id
    )
    return OfferingRelation(offering, offering.enrollment_status, is_staff)
