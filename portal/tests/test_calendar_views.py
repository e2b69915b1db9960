"""The deadlines on My learning, the calendar pages (month grid and agenda, per student and per
offering) and the iCalendar feed, which is parsed back and compared with the selector."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from assessments.deadlines.models import CalendarFeed
from assessments.deadlines.selectors import learner_deadlines
from assessments.deadlines.services import calendar_feed_reset
from assessments.tests import trees
from catalog.models import CourseOfferingInstructor, EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from lms.dates import display_date, display_datetime
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CALENDAR = "/my/calendar/"
DASHBOARD = "/my/"
TASK = '<li class="deadline" data-kind="assignment_due">'


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def course_with_deadlines(title: str, due: list[datetime], *, student=None):
    offering = OfferingFactory(course=CourseFactory(title=title))
    unit = trees.module(trees.root(offering.course), "Unit")
    items = [
        trees.item(
            unit,
            f"{title} task {n}",
            "assignment",
            data=trees.payload("assignment") | {"due_at": iso(when)},
        )
        for n, when in enumerate(due, start=1)
    ]
    if student is not None:
        EnrollmentFactory(user=student, course_offering=offering)
    return offering, items


def section(page: str, name: str) -> str:
    match = re.search(rf'aria-labelledby="section-{name}">.*?</section>', page, re.S)
    assert match, name
    return match.group(0)


def test_routes():
    assert reverse("portal:calendar") == CALENDAR
    assert reverse("portal:calendar-feed", kwargs={"token": "7.abc"}) == "/calendar/7.abc.ics"
    assert reverse("portal:course-calendar", kwargs={"offering_id": 3}) == "/learn/3/calendar/"


def test_dashboard_shows_coming_up_and_overdue_in_the_students_zone(client):
    student = UserFactory(time_zone="Asia/Tokyo")
    now = timezone.now()
    soon = (now + timedelta(days=2)).replace(hour=15, minute=30, second=0, microsecond=0)
    _offering, (due_soon, missed, later) = course_with_deadlines(
        "Statics", [soon, now - timedelta(days=1), now + timedelta(days=20)], student=student
    )
    client.force_login(student)

    page = client.get(DASHBOARD).content.decode()

    coming = section(page, "coming-up")
    assert due_soon.title in coming and later.title not in coming and missed.title not in coming
    assert display_datetime(soon, ZoneInfo("Asia/Tokyo")) in coming
    assert display_datetime(soon, UTC) not in coming
    assert "Assignment due" in coming and "To do" in coming
    overdue = section(page, "overdue")
    assert missed.title in overdue and "Missed" in overdue
    assert due_soon.title not in overdue


def test_dashboard_query_count_is_constant_with_deadlines(client, django_assert_num_queries):
    student = UserFactory()
    client.force_login(student)
    now = timezone.now()
    # session, user, enrollments, progress, the deadlines of every course, teaching, roles, the
    # newest announcements of the current courses.
    for count in (1, 4):
        for n in range(count):
            course_with_deadlines(
                f"Course {count}-{n}", [now + timedelta(days=d) for d in (1, 2, 3)], student=student
            )
        with django_assert_num_queries(8):
            page = client.get(DASHBOARD).content.decode()
        assert section(page, "coming-up").count(TASK) == 3 * (1 if count == 1 else 5)


def test_calendar_month_grid_and_agenda(client):
    student = UserFactory(time_zone="America/New_York")
    # 02:30 UTC on 1 March is still 28 February in New York.
    moment = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
    _offering, (task,) = course_with_deadlines("Optics", [moment], student=student)
    client.force_login(student)

    month = client.get(CALENDAR, {"month": "2026-02"}).content.decode()
    agenda = client.get(CALENDAR, {"month": "2026-02", "view": "agenda"}).content.decode()
    march = client.get(CALENDAR, {"month": "2026-03"}).content.decode()

    assert '<table class="month-grid" aria-labelledby="calendar-month">' in month
    assert month.count('<th scope="col">') == 7
    assert '<abbr title="Sunday">Sun</abbr>' in month
    cell = re.search(r'<span class="day-number">28</span>(.*?)</td>', month, re.S).group(1)
    assert task.title in cell
    assert 'href="?month=2026-01&amp;view=month" rel="prev"' in month
    assert 'href="?month=2026-03&amp;view=month" rel="next"' in month
    assert "month-grid" not in agenda
    assert display_date(moment, ZoneInfo("America/New_York")) in agenda
    assert task.title in agenda
    assert task.title not in march


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_unreadable_month_falls_back_to_this_month(client, zone):
    client.force_login(UserFactory(time_zone=zone))
    today = timezone.localdate(timezone=ZoneInfo(zone))
    for month in ("2026-13", "abc", "0-1", "1-01", "0001-12", "9999-12", "99999-01", "2026-1-1"):
        response = client.get(CALENDAR, {"month": month})
        assert response.status_code == 200
        assert f"{today:%B} {today.year}" in response.content.decode()


def test_calendar_query_count_is_constant(client, django_assert_num_queries):
    student = UserFactory()
    client.force_login(student)
    start = timezone.localdate().replace(day=1)
    moment = datetime(start.year, start.month, 15, 12, tzinfo=UTC)
    calendar_feed_reset(user=student)
    # session, user, the feed address, the deadlines, the user's roles (navigation).
    for count in (1, 4):
        for n in range(count):
            course_with_deadlines(f"Course {count}-{n}", [moment] * 3, student=student)
        with django_assert_num_queries(5):
            page = client.get(CALENDAR).content.decode()
        assert page.count(TASK) == 3 * (1 if count == 1 else 5)


def test_course_calendar_shows_one_offering_and_needs_enrollment(client, django_assert_num_queries):
    student = UserFactory()
    moment = datetime.combine(timezone.localdate().replace(day=10), datetime.min.time(), UTC)
    mine, (task,) = course_with_deadlines("Mine", [moment], student=student)
    _other, (other_task,) = course_with_deadlines("Other", [moment], student=student)
    stranger, _ = course_with_deadlines("Stranger", [moment])
    client.force_login(student)
    url = reverse("portal:course-calendar", kwargs={"offering_id": mine.pk})

    page = client.get(url).content.decode()

    assert task.title in page and other_task.title not in page
    assert "Calendar of Mine" in page
    response = client.get(reverse("portal:course-calendar", kwargs={"offering_id": stranger.pk}))
    assert response.status_code == 302
    assert response.url == reverse("portal:course-detail", kwargs={"course_id": stranger.course_id})


def test_calendar_needs_login(client):
    assert client.get(CALENDAR).status_code == 302
    assert client.post(reverse("portal:calendar-feed-reset")).status_code == 302
    assert not CalendarFeed.objects.exists()


def test_feed_address_is_created_then_reset_by_post(client):
    student = UserFactory()
    client.force_login(student)
    assert "Get my feed address" in client.get(CALENDAR).content.decode()
    assert client.get(reverse("portal:calendar-feed-reset")).status_code == 405
    assert not CalendarFeed.objects.exists()

    response = client.post(reverse("portal:calendar-feed-reset"), follow=True)
    first = CalendarFeed.objects.get(user=student).token
    assert f"/calendar/{first}.ics" in response.content.decode()
    assert "Your calendar feed address is ready." in response.content.decode()

    response = client.post(reverse("portal:calendar-feed-reset"), follow=True)
    second = CalendarFeed.objects.get(user=student).token
    assert second != first
    assert f"/calendar/{second}.ics" in response.content.decode()
    assert "the old one no longer works" in response.content.decode()
    client.logout()
    assert client.get(f"/calendar/{first}.ics").status_code == 404
    assert client.get(f"/calendar/{second}.ics").status_code == 200


def test_feed_parses_back_to_the_deadlines(client):
    student = UserFactory()
    now = timezone.now().replace(microsecond=0)
    course_with_deadlines(
        "Statics", [now + timedelta(days=1), now - timedelta(days=3)], student=student
    )
    course_with_deadlines("Dynamics", [now + timedelta(days=9)], student=student)
    dropped, _ = course_with_deadlines("Dropped", [now + timedelta(days=2)])
    EnrollmentFactory(user=student, course_offering=dropped, status=EnrollmentStatus.DROPPED)
    token = calendar_feed_reset(user=student).token

    response = client.get(f"/calendar/{token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    expected = learner_deadlines(user_id=student.pk)
    assert len(expected) == 9  # 3 assignments, 2 x (start, end, enrollment closes)
    assert [
        (str(e["UID"]), e.decoded("DTSTART"), str(e["SUMMARY"]), str(e["URL"])) for e in events
    ] == [
        (
            d.uid,
            d.at.astimezone(UTC).replace(microsecond=0),
            f"{d.course_code}: {d.title} ({d.kind_label})",
            f"http://testserver{d.path}",
        )
        for d in expected
    ]
    # Every start is written in UTC ("Z"), none in a floating or named local time.
    starts = re.findall(rb"^DTSTART[^\r\n]*", response.content, re.M)
    assert len(starts) == 9
    assert all(re.fullmatch(rb"DTSTART:\d{8}T\d{6}Z", line) for line in starts)


def test_feed_query_count_is_constant(client, django_assert_num_queries):
    student = UserFactory()
    token = calendar_feed_reset(user=student).token
    now = timezone.now()
    # the feed with its user, the deadlines.
    for count in (1, 4):
        for n in range(count):
            course_with_deadlines(
                f"Course {count}-{n}", [now + timedelta(days=d) for d in (1, 2, 3)], student=student
            )
        with django_assert_num_queries(2):
            body = client.get(f"/calendar/{token}.ics").content
        assert len(Calendar.from_ical(body).walk("VEVENT")) == 6 * (1 if count == 1 else 5)


@pytest.mark.parametrize("suffix", ["", "x", "-tampered"])
def test_wrong_feed_token_is_404(client, suffix):
    feed = calendar_feed_reset(user=UserFactory())
    token = f"{feed.token[:-1]}{suffix}" if suffix else f"{feed.user_id}.wrong"
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_inactive_users_feed_is_404(client):
    student = UserFactory()
    token = calendar_feed_reset(user=student).token
    student.is_active = False
    student.save(update_fields=["is_active"])
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_navigation_links_to_the_calendar(client):
    client.force_login(UserFactory())
    assert f'<a href="{CALENDAR}">Calendar</a>' in client.get(DASHBOARD).content.decode()


def test_outline_links_to_the_course_calendar(client):
    student = UserFactory()
    offering, _ = course_with_deadlines("Optics", [timezone.now()], student=student)
    client.force_login(student)
    page = client.get(reverse("portal:outline", kwargs={"offering_id": offering.pk}))
    url = reverse("portal:course-calendar", kwargs={"offering_id": offering.pk})
    assert f'<a href="{url}">Course calendar</a>' in page.content.decode()


def test_course_calendar_tells_its_instructor_why_it_is_empty(client):
    offering, (task,) = course_with_deadlines("Taught", [timezone.now()], student=UserFactory())
    instructor = UserFactory()
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    client.force_login(instructor)
    url = reverse("portal:course-calendar", kwargs={"offering_id": offering.pk})

    page = client.get(url).content.decode()

    assert "You teach this offering, so it holds no deadlines of yours" in page
    assert task.title not in page


def test_course_calendar_query_count_is_constant(client, django_assert_num_queries):
    student = UserFactory()
    client.force_login(student)
    start = timezone.localdate().replace(day=1)
    moment = datetime(start.year, start.month, 15, 12, tzinfo=UTC)
    offering, _ = course_with_deadlines("Growing", [moment], student=student)
    unit = trees.module(trees.root(offering.course), "More")
    url = reverse("portal:course-calendar", kwargs={"offering_id": offering.pk})
    # session, user, the user's roles, the offering with what the user is to it, the deadlines.
    for count in (1, 6):
        for n in range(count):
            trees.item(
                unit, f"More {count}-{n}", "assignment",
                data=trees.payload("assignment") | {"due_at": iso(moment)},
            )  # fmt: skip
        with django_assert_num_queries(5):
            page = client.get(url).content.decode()
        assert page.count(TASK) == 1 + (1 if count == 1 else 7)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_first_and_last_months_shown_keep_their_neighbours(client, zone):
    client.force_login(UserFactory(time_zone=zone))
    first = client.get(CALENDAR, {"month": "0002-01"}).content.decode()
    last = client.get(CALENDAR, {"month": "9998-12"}).content.decode()
    assert 'href="?month=0001-12&amp;view=month" rel="prev"' in first
    assert 'href="?month=9999-01&amp;view=month" rel="next"' in last
