"""What a student is told when their enrollment is decided or the waitlist gives them a seat:
notifications written in the transaction of the change, so they exist exactly when it does.

An enrollment row is reused when a student asks again after a rejection or a drop, so each
event key carries the time the request (or the place on the waitlist) was made: a new request
is a new event, the same one notified twice is not.
"""

from collections.abc import Iterable
from functools import partial

from django.utils.translation import gettext as _

from catalog.models import CourseEnrollment, CourseOffering, EnrollmentStatus
from lms import links
from notifications.services import notify


def _episode(enrollment: CourseEnrollment) -> str:
    stamp = enrollment.enrolled_at.isoformat() if enrollment.enrolled_at else "-"
    return f"{enrollment.pk}:{stamp}"


def _course(offering: CourseOffering) -> str:
    term = f" ({offering.term_name})" if offering.term_name else ""
    return f"{offering.course.title}{term}"


def _approved_title(offering: CourseOffering) -> str:
    return _("Your enrollment in %(course)s is approved") % {"course": _course(offering)}


def _waitlisted_title(offering: CourseOffering) -> str:
    return _("Your request for %(course)s is approved: you are on the waitlist") % {
        "course": _course(offering)
    }


def _waitlisted_summary(position: int | None) -> str:
    return _("You are number %(n)s on the waitlist; you will be told when a seat is yours.") % {
        "n": position
    }


def _rejected_title(offering: CourseOffering) -> str:
    return _("Your enrollment request for %(course)s was turned down") % {
        "course": _course(offering)
    }


def _promoted_title(offering: CourseOffering) -> str:
    return _("A seat in %(course)s is yours") % {"course": _course(offering)}


def _promoted_summary() -> str:
    return _("You moved up from the waitlist and are now enrolled.")


def enrollment_approved_notify(
    *, enrollment: CourseEnrollment, offering: CourseOffering, waitlist_position: int | None
) -> None:
    active = enrollment.status == EnrollmentStatus.ACTIVE
    notify(
        recipient=enrollment.user,
        kind="enrollment_approved",
        event_key=f"enrollment-approved:{_episode(enrollment)}",
        title=partial(_approved_title if active else _waitlisted_title, offering),
        summary=(lambda: "") if active else partial(_waitlisted_summary, waitlist_position),
        link=links.page_path("course-outline", offering_id=offering.pk)
        if active
        else links.page_path("course", course_id=offering.course_id),
    )


def enrollment_rejected_notify(*, enrollment: CourseEnrollment, offering: CourseOffering) -> None:
    notify(
        recipient=enrollment.user,
        kind="enrollment_rejected",
        event_key=f"enrollment-rejected:{_episode(enrollment)}",
        title=partial(_rejected_title, offering),
        link=links.page_path("course", course_id=offering.course_id),
    )


def waitlist_promoted_notify(
    *, enrollments: Iterable[CourseEnrollment], offering: CourseOffering
) -> None:
    for enrollment in enrollments:
        notify(
            recipient=enrollment.user,
            kind="waitlist_promoted",
            event_key=f"waitlist-promoted:{_episode(enrollment)}",
            title=partial(_promoted_title, offering),
            summary=_promoted_summary,
            link=links.page_path("course-outline", offering_id=offering.pk),
        )
