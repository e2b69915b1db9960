"""Writes on offerings and the taxonomy: teaching staff and their object permissions, running
an offering again, saving an offering (which may free seats), finalising its grades, and
deleting a subject.
"""

from datetime import datetime
from typing import cast

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_users_with_perms, remove_perm

from catalog.models import (
    Course,
    CourseEnrollment,
    CourseOffering,
    CourseOfferingInstructor,
    Subject,
)
from catalog.services.enrollment import _fill_seats, _lock_offering
from tenancy.models import User

# What teaching an offering lets a member of its staff do, as guardian object permissions.
OFFERING_PERMS = ("catalog.view_courseoffering", "catalog.change_courseoffering")


COURSE_PERMS = ("catalog.view_course", "catalog.change_course")


@transaction.atomic
def offering_instructor_add(*, offering: CourseOffering, user: User) -> CourseOfferingInstructor:
    """Make `user` staff of `offering` and grant the object permissions that go with it."""
    link, _ = CourseOfferingInstructor.objects.get_or_create(course_offering=offering, user=user)
    for perm in OFFERING_PERMS:
        assign_perm(perm, user, offering)
    course = Course.objects.get(pk=offering.course_id)
    for perm in COURSE_PERMS:
        assign_perm(perm, user, course)
    return link


@transaction.atomic
def offering_instructor_remove(*, offering: CourseOffering, user: User) -> None:
    """Remove `user` from the offering's staff; keep course rights while they teach another run."""
    CourseOfferingInstructor.objects.filter(course_offering=offering, user=user).delete()
    for perm in OFFERING_PERMS:
        remove_perm(perm, user, offering)
    still_teaches = CourseOfferingInstructor.objects.filter(
        user=user, course_offering__course_id=offering.course_id
    ).exists()
    if not still_teaches:
        course = Course.objects.get(pk=offering.course_id)
        for perm in COURSE_PERMS:
            remove_perm(perm, user, course)


@transaction.atomic
def offering_rerun(
    *, offering: CourseOffering, starts_at: datetime, term_name: str | None = None
) -> CourseOffering:
    """A new offering of the same course starting at `starts_at`: its end and enrollment dates
    move by the same amount as the start; visibility, capacity and approval rule are kept
    (the term name too unless `term_name` is given); the staff are the same, each with the
    object permissions they held on the source (instructors, not TAs). No enrollments.

    Raises ValidationError and writes nothing when the source has no start date to shift
    from or the new dates break a rule of offerings.
    """
    source = CourseOffering.objects.select_for_update().get(pk=offering.pk)
    if source.starts_at is None:
        raise ValidationError(
            {
                "starts_at": _(
                    "This offering has no start date to move the others by; give it one first."
                )
            }
        )
    delta = starts_at - source.starts_at

    def shifted(value: datetime | None) -> datetime | None:
        return value + delta if value is not None else None

    try:
        ends_at, enrollment_start, enrollment_end = (
            shifted(source.ends_at),
            shifted(source.enrollment_start),
            shifted(source.enrollment_end),
        )
    except OverflowError:
        # A start near the year 1 or 9999 moves the other dates off the calendar.
        raise ValidationError(
            {
                "starts_at": _(
                    "The other dates of the offering would move off the calendar; choose a "
                    "start closer to this offering's."
                )
            }
        ) from None
    rerun = CourseOffering(
        course_id=source.course_id,
        university_id=source.university_id,
        term_name=term_name or source.term_name,
        starts_at=starts_at,
        ends_at=ends_at,
        enrollment_start=enrollment_start,
        enrollment_end=enrollment_end,
        visibility=source.visibility,
        capacity=source.capacity,
        requires_approval=source.requires_approval,
    )
    rerun.full_clean()
    rerun.save()
    # A queryset of users without attach_perms; guardian annotates the other shapes too.
    granted = cast(
        "QuerySet[User]",
        get_users_with_perms(source, only_with_perms_in=["change_courseoffering"]),
    )
    granted_ids = set(granted.values_list("pk", flat=True))
    staff = User.objects.filter(courseofferinginstructor__course_offering=source).order_by("pk")
    for user in staff:
        if user.pk in granted_ids:
            offering_instructor_add(offering=rerun, user=user)
        else:
            CourseOfferingInstructor.objects.create(course_offering=rerun, user=user)
    return rerun


@transaction.atomic
def subject_delete(*, subject: Subject) -> None:
    """Delete a subject; its children become roots, as the contract's ON DELETE SET NULL says."""
    subject = Subject.objects.select_for_update().get(pk=subject.pk)
    for child in list(subject.get_children()):
        child.refresh_from_db()
        child.move_to(None)
    Subject.objects.get(pk=subject.pk).delete()


@transaction.atomic
def offering_grades_finalize(*, offering_id: int) -> bool:
    """Record that the offering's grades are final (its staff finalised them or its term
    ended); True when this call recorded it, False when it already was."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE course_offerings SET grades_finalized_at = statement_timestamp()"
            " WHERE id = %s AND grades_finalized_at IS NULL",
            [offering_id],
        )
        return cursor.rowcount == 1


@transaction.atomic
def offering_save(*, offering: CourseOffering) -> list[CourseEnrollment]:
    """Save an offering as staff edited it. A raised (or removed) capacity gives the new seats
    to the waitlist at once; the row is locked first, so enrollments of the offering wait."""
    if offering.pk is not None:
        _lock_offering(offering.pk)
    offering.save()
    return _fill_seats(_lock_offering(offering.pk))
