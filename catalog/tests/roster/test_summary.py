"""Roster selectors: who may see a roster, its summary, entries and export."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from catalog.models import CourseEnrollment
from catalog.selectors.roster import (
    EXPORT_HEADER,
    offering_for_roster,
    roster_export_rows,
    roster_page,
    roster_summary,
)
from catalog.services import roster
from catalog.tests.factories import EnrollmentFactory, staff_member
from catalog.tests.roster.support import (
    ACTIVE,
    COMPLETED,
    DROPPED,
    PENDING,
    WAITLISTED,
    enroll,
    outsiders,
    snapshot,
)
from tenancy.models import Role
from tenancy.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_env")]


# Scoped lookup ------------------------------------------------------------------------------


def test_offering_for_roster_admins_only(offering, admin):
    assert offering_for_roster(user=admin, offering_id=offering.pk) == offering
    university_admin = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    assert offering_for_roster(user=university_admin, offering_id=offering.pk) == offering
    for user in outsiders(offering):
        with pytest.raises(Http404):
            offering_for_roster(user=user, offering_id=offering.pk)
    with pytest.raises(Http404):
        offering_for_roster(user=admin, offering_id=offering.pk + 1000)


@pytest.mark.parametrize(
    "action",
    ["roster_approve", "roster_reject", "roster_promote", "roster_drop", "roster_complete"],
)
def test_every_action_is_refused_to_outsiders(offering, action):
    rows = [enroll(offering, status) for status in (PENDING, ACTIVE, WAITLISTED)]
    before = snapshot()
    for user in outsiders(offering):
        with pytest.raises(PermissionDenied):
            getattr(roster, action)(
                actor=user, offering=offering, enrollment_ids=[r.pk for r in rows]
            )
    assert snapshot() == before


# Summary, entries, export ---------------------------------------------------------------------


def test_summary_counts_and_seats(offering):
    enroll(offering, ACTIVE)
    enroll(offering, PENDING)
    enroll(offering, PENDING)
    enroll(offering, DROPPED)
    enroll(offering, COMPLETED)
    EnrollmentFactory(status=ACTIVE)  # another offering
    summary = roster_summary(offering=offering)
    assert summary.counts == {
        "active": 1,
        "completed": 1,
        "dropped": 1,
        "pending": 2,
        "waitlisted": 0,
    }
    assert (summary.total, summary.capacity, summary.seats_left) == (5, 2, 1)
    offering.capacity = None
    assert roster_summary(offering=offering).seats_left is None


def test_entries_order_positions_filters_and_search(offering):
    late = enroll(offering, WAITLISTED, minutes_ago=1, full_name="Late Lee")
    early = enroll(offering, WAITLISTED, minutes_ago=5, full_name="Early Eve")
    active = enroll(offering, ACTIVE, minutes_ago=9, full_name="Seated Sam")
    pending = enroll(offering, PENDING, minutes_ago=2, full_name="Asking Ann")
    rows = roster_page(offering=offering).object_list
    assert [r.pk for r in rows] == [pending.pk, active.pk, early.pk, late.pk]
    assert [r.waitlist_position for r in rows] == [None, None, 1, 2]
    only = roster_page(offering=offering, status=WAITLISTED, search="lee").object_list
    assert [(r.pk, r.waitlist_position) for r in only] == [(late.pk, 2)]
    by_email = roster_page(offering=offering, search=active.user.email.upper()).object_list
    assert [r.pk for r in by_email] == [active.pk]


def test_roster_page_query_count_is_constant(offering, django_assert_num_queries):
    """A count, the page with its users, and the waitlist's order: three queries at any size."""
    for size in (3, 9):
        for status in (ACTIVE, WAITLISTED, PENDING):
            for _ in range(size // 3):
                enroll(offering, status)
        with django_assert_num_queries(3):
            rows = roster_page(offering=offering).object_list
            assert [r.user.email for r in rows]
        assert len(rows) == CourseEnrollment.objects.filter(course_offering=offering).count()


def test_export_rows(offering):
    offering.university.time_zone = "Europe/Berlin"
    at = timezone.datetime(2026, 3, 1, 8, 30, tzinfo=timezone.UTC)
    done = EnrollmentFactory(
        course_offering=offering,
        status=COMPLETED,
        enrolled_at=at,
        completed_at=at + timedelta(days=30),
        user=UserFactory(email="zoe@example.edu", full_name='Zoë, "Z" Q'),
    )
    EnrollmentFactory(
        course_offering=offering,
        status=WAITLISTED,
        enrolled_at=at,
        user=UserFactory(email="amy@example.edu", full_name="Amy"),
    )
    assert list(roster_export_rows(offering=offering)) == [
        EXPORT_HEADER,
        ("amy@example.edu", "Amy", "waitlisted", "1", "2026-03-01T09:30:00+01:00", ""),
        (
            "zoe@example.edu",
            done.user.full_name,
            "completed",
            "",
            "2026-03-01T09:30:00+01:00",
            "2026-03-31T10:30:00+02:00",
        ),
    ]
