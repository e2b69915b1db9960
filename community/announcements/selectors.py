"""Reads of announcements: the newest of some offerings (one for the course page and the
outline, a learner's current ones for the dashboard), in one query, none for no offering. The
body is rendered by the filter that renders discussion posts (community.markup)."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from catalog.models import CourseEnrollment, EnrollmentStatus
from community.models import Announcement

SHOWN = 3


def announcements_for_offerings(
    *, offering_ids: Iterable[int], limit: int = SHOWN
) -> list[Announcement]:
    ids = sorted(set(offering_ids))
    if not ids:
        return []
    return list(
        Announcement.objects.filter(course_offering_id__in=ids).select_related(
            "course_offering__course"
        )[:limit]
    )


def announcement_recipients(*, offering_id: int, author_id: int | None) -> QuerySet[Any]:
    """The user ids of the offering's active learners but the author, as a query (for one
    INSERT … SELECT)."""
    learners = CourseEnrollment.objects.filter(
        course_offering_id=offering_id, status=EnrollmentStatus.ACTIVE
    )
    if author_id is not None:
        learners = learners.exclude(user_id=author_id)
    return learners.values("user_id")
