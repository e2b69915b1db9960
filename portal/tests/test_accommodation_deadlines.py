"""A later due date given to one learner moves that learner's deadline in the calendar feed and
on My learning, without another query, and leaves a classmate's as it was."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from assessments.accommodations.models import Accommodation
from assessments.accommodations.services import accommodation_save
from assessments.deadlines.services import calendar_feed_reset
from assessments.tests import trees
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from lms.dates import display_datetime

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def assignment_with_extension():
    offering = OfferingFactory()
    unit = trees.module(trees.root(offering.course), "Unit")
    due = NOW + timedelta(days=1)
    data = trees.payload("assignment") | {"due_at": due.astimezone(UTC).isoformat()}
    item = trees.item(unit, "Problem set 1", "assignment", data=data)
    student, classmate = (EnrollmentFactory(course_offering=offering).user for _n in range(2))
    later = NOW + timedelta(days=5)
    accommodation_save(
        Accommodation(course_offering=offering, user=student, content_item=item, due_at=later)
    )
    return item, student, classmate, due, later


def feed_starts(client, user, title: str) -> list:
    token = calendar_feed_reset(user=user).token
    events = Calendar.from_ical(client.get(f"/calendar/{token}.ics").content).walk("VEVENT")
    return [e.decoded("DTSTART") for e in events if title in str(e["SUMMARY"])]


def test_the_feed_carries_the_learners_own_due_date(client, assignment_with_extension):
    item, student, classmate, due, later = assignment_with_extension
    assert feed_starts(client, student, item.title) == [later]
    assert feed_starts(client, classmate, item.title) == [due]


def test_my_learning_shows_the_later_date_in_the_same_number_of_queries(
    client, assignment_with_extension, django_assert_num_queries
):
    item, student, _classmate, due, later = assignment_with_extension
    student.time_zone = "UTC"
    student.save(update_fields=["time_zone"])
    client.force_login(student)
    # As without accommodations (portal/tests/test_calendar_views.py): session, user,
    # enrollments, progress, the deadlines, teaching, roles, the announcements.
    with django_assert_num_queries(8):
        page = client.get("/my/").content.decode()
    assert item.title in page
    assert display_datetime(later, UTC) in page
    assert display_datetime(due, UTC) not in page
