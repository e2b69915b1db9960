"""The learner dashboard shows dates in the signed-in user's time zone (the middleware is
tenancy's, the page is portal's)."""

import datetime as dt

import pytest
from django.urls import reverse

from catalog.models import EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from tenancy.tests.factories import UserFactory

# 23:30 UTC on 1 March is already 2 March in Tokyo and still 1 March in New York.
MOMENT = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "date"), [("Asia/Tokyo", "March 2, 2026"), ("America/New_York", "March 1, 2026")]
)
def test_dashboard_dates_are_in_the_users_zone(client, zone, date):
    student = UserFactory(time_zone=zone)
    EnrollmentFactory(
        user=student,
        course_offering=OfferingFactory(course=CourseFactory(title="Statics")),
        status=EnrollmentStatus.COMPLETED,
        completed_at=MOMENT,
    )
    client.force_login(student)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert f"Completed · {date}" in page
    assert f'Times are shown in <a href="{reverse("accounts:profile")}">{zone}</a>.' in page
