"""Roster decisions on many enrollments: approve, reject, promote, drop, complete."""

import pytest
from django.utils import timezone

from catalog.selectors.roster import roster_summary
from catalog.services import roster
from catalog.services.enrollment import enrollment_create
from catalog.tests.factories import EnrollmentFactory
from catalog.tests.roster.support import (
    ACTIVE,
    COMPLETED,
    DROPPED,
    PENDING,
    WAITLISTED,
    enroll,
    statuses,
)
from tenancy.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_env")]


# Decisions ----------------------------------------------------------------------------------


def test_approve_gives_seats_in_request_order_then_waitlists(offering, admin):
    enroll(offering, ACTIVE, email="seated@x.edu")
    second = enroll(offering, PENDING, minutes_ago=1, email="second@x.edu")
    first = enroll(offering, PENDING, minutes_ago=2, email="first@x.edu")
    enroll(offering, PENDING, email="untouched@x.edu")
    change = roster.roster_approve(
        actor=admin, offering=offering, enrollment_ids=[second.pk, first.pk]
    )
    assert [r.pk for r in change.changed] == [first.pk, second.pk]
    assert statuses(offering) == {
        "seated@x.edu": ACTIVE,
        "first@x.edu": ACTIVE,
        "second@x.edu": WAITLISTED,
        "untouched@x.edu": PENDING,
    }


def test_approve_skips_rows_that_are_not_pending_and_ignores_other_offerings(offering, admin):
    active = enroll(offering, ACTIVE)
    foreign = EnrollmentFactory(status=PENDING)
    change = roster.roster_approve(
        actor=admin, offering=offering, enrollment_ids=[active.pk, foreign.pk]
    )
    assert change.changed == []
    assert [(r.pk, reason) for r, reason in change.skipped] == [(active.pk, "not pending approval")]
    foreign.refresh_from_db()
    assert foreign.status == PENDING


def test_reject(offering, admin):
    enroll(offering, ACTIVE, email="a@x.edu")
    enroll(offering, ACTIVE, email="b@x.edu")  # full: a rejected request frees no seat
    pending = enroll(offering, PENDING, email="p@x.edu")
    waiting = enroll(offering, WAITLISTED, email="w@x.edu")
    change = roster.roster_reject(
        actor=admin, offering=offering, enrollment_ids=[pending.pk, waiting.pk]
    )
    assert [r.pk for r in change.changed] == [pending.pk]
    assert statuses(offering) == {
        "a@x.edu": ACTIVE,
        "b@x.edu": ACTIVE,
        "p@x.edu": DROPPED,
        "w@x.edu": WAITLISTED,
    }


def test_promote_respects_capacity_in_waitlist_order(offering, admin):
    enroll(offering, ACTIVE, email="seated@x.edu")
    third = enroll(offering, WAITLISTED, minutes_ago=1, email="third@x.edu")
    second = enroll(offering, WAITLISTED, minutes_ago=2, email="second@x.edu")
    enroll(offering, WAITLISTED, minutes_ago=3, email="first@x.edu")
    change = roster.roster_promote(
        actor=admin, offering=offering, enrollment_ids=[third.pk, second.pk]
    )
    # The admin chose these two; the one seat goes to the earlier of them.
    assert [r.pk for r in change.changed] == [second.pk]
    assert [(r.pk, reason) for r, reason in change.skipped] == [(third.pk, "no seat left")]
    assert statuses(offering) == {
        "seated@x.edu": ACTIVE,
        "second@x.edu": ACTIVE,
        "third@x.edu": WAITLISTED,
        "first@x.edu": WAITLISTED,
    }


def test_promote_over_capacity_when_asked(offering, admin):
    enroll(offering, ACTIVE)
    enroll(offering, ACTIVE)
    rows = [enroll(offering, WAITLISTED, minutes_ago=m) for m in (1, 2)]
    change = roster.roster_promote(
        actor=admin, offering=offering, enrollment_ids=[r.pk for r in rows], over_capacity=True
    )
    assert len(change.changed) == 2
    summary = roster_summary(offering=offering)
    assert (summary.counts["active"], summary.seats_left, summary.over_capacity) == (4, 0, 2)
    # Over capacity, a drop frees no seat for the waitlist.
    late = enroll(offering, WAITLISTED)
    change = roster.roster_drop(actor=admin, offering=offering, enrollment_ids=[rows[0].pk])
    assert change.promoted == []
    late.refresh_from_db()
    assert late.status == WAITLISTED


def test_drop_promotes_the_waitlist_in_order(offering, admin):
    one = enroll(offering, ACTIVE, email="one@x.edu")
    two = enroll(offering, ACTIVE, email="two@x.edu")
    enroll(offering, WAITLISTED, minutes_ago=1, email="late@x.edu")
    enroll(offering, WAITLISTED, minutes_ago=3, email="early@x.edu")
    enroll(offering, WAITLISTED, minutes_ago=2, email="middle@x.edu")
    done = enroll(offering, COMPLETED, email="done@x.edu")
    change = roster.roster_drop(
        actor=admin, offering=offering, enrollment_ids=[one.pk, two.pk, done.pk]
    )
    assert sorted(r.pk for r in change.changed) == sorted([one.pk, two.pk])
    assert [r.user.email for r in change.promoted] == ["early@x.edu", "middle@x.edu"]
    assert [(r.pk, reason) for r, reason in change.skipped] == [(done.pk, "completed")]
    assert statuses(offering) == {
        "one@x.edu": DROPPED,
        "two@x.edu": DROPPED,
        "early@x.edu": ACTIVE,
        "middle@x.edu": ACTIVE,
        "late@x.edu": WAITLISTED,
        "done@x.edu": COMPLETED,
    }


def test_complete_marks_active_and_frees_the_seat(offering, admin):
    now = timezone.now()
    one = enroll(offering, ACTIVE, email="one@x.edu")
    enroll(offering, ACTIVE, email="two@x.edu")
    enroll(offering, WAITLISTED, email="next@x.edu")
    pending = enroll(offering, PENDING, email="p@x.edu")
    change = roster.roster_complete(
        actor=admin, offering=offering, enrollment_ids=[one.pk, pending.pk], now=now
    )
    one.refresh_from_db()
    assert (one.status, one.completed_at) == (COMPLETED, now)
    assert [r.user.email for r in change.promoted] == ["next@x.edu"]
    assert statuses(offering)["p@x.edu"] == PENDING


def test_waitlist_promotion_order_matches_enrollment_order(offering, admin):
    """Students who joined a full offering get the freed seats in the order they came."""
    enroll(offering, ACTIVE, email="a@x.edu")
    seated = enroll(offering, ACTIVE, email="b@x.edu")
    names = ["w1@x.edu", "w2@x.edu", "w3@x.edu"]
    for email in names:
        outcome = enrollment_create(offering=offering, user=UserFactory(email=email))
        assert outcome.enrollment.status == WAITLISTED
    promoted = []
    for _ in names:
        change = roster.roster_drop(actor=admin, offering=offering, enrollment_ids=[seated.pk])
        promoted += [r.user.email for r in change.promoted]
        seated = change.promoted[0]
    assert promoted == names
