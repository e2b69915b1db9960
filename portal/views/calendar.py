"""The learner's calendar: a month grid or an agenda of their deadlines, across their courses or
for one offering, in their time zone; and the secret-address iCalendar feed of the same
deadlines, which calendar apps fetch without a session."""

import calendar as calendar_grid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from icalendar import Calendar, Event

from assessments.deadlines.selectors import (
    Deadline,
    calendar_feed_for_token,
    calendar_feed_of,
    learner_deadlines,
)
from assessments.deadlines.services import calendar_feed_reset
from portal.views.player import learner_view
from syllabus.selectors import LearningAccess

VIEWS = ("month", "agenda")


@dataclass(frozen=True)
class Day:
    day: date
    in_month: bool
    is_today: bool
    deadlines: list[Deadline]


def _month_asked(value: str | None, today: date) -> date:
    """The first day of the month `?month=YYYY-MM` names; this month when absent or unreadable."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        # Years 1 and 9999 are refused: their neighbouring months, or their bounds moved to
        # UTC from a zone ahead of it or behind it, fall outside what datetime holds.
        return date(year, month, 1) if 2 <= year <= 9998 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


def _month_param(first: date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _previous_month(first: date) -> date:
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def _calendar_page(
    request: HttpRequest, *, offering_ids: list[int] | None, title: str, extra: dict
) -> HttpResponse:
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    first = _month_asked(request.GET.get("month"), today)
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "month"
    after = _next_month(first)
    start = datetime(first.year, first.month, 1, tzinfo=zone).astimezone(UTC)
    end = datetime(after.year, after.month, 1, tzinfo=zone).astimezone(UTC)
    deadlines = learner_deadlines(
        user_id=request.user.pk, offering_ids=offering_ids, start=start, end=end
    )
    by_day: dict[date, list[Deadline]] = {}
    for deadline in deadlines:
        by_day.setdefault(timezone.localtime(deadline.at, zone).date(), []).append(deadline)
    first_weekday = (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7
    weeks = [
        [Day(d, d.month == first.month, d == today, by_day.get(d, [])) for d in week]
        for week in calendar_grid.Calendar(first_weekday).monthdatescalendar(
            first.year, first.month
        )
    ]
    context = {
        "title": title,
        "view": view,
        "month": first,
        "month_label": date_format(first, "YEAR_MONTH_FORMAT"),
        "month_param": _month_param(first),
        "previous_month": _month_param(_previous_month(first)),
        "next_month": _month_param(after),
        "this_month": _month_param(today),
        "weekdays": [(date_format(d.day, "l"), date_format(d.day, "D")) for d in weeks[0]],
        "weeks": weeks,
        "agenda": [(day, by_day[day]) for day in sorted(by_day)],
        "now": timezone.now(),
        **extra,
    }
    return render(request, "portal/calendar.html", context)


@login_required
@require_safe
def my_calendar_view(request: HttpRequest) -> HttpResponse:
    feed = calendar_feed_of(user_id=request.user.pk)
    feed_url = (
        request.build_absolute_uri(reverse("portal:calendar-feed", kwargs={"token": feed.token}))
        if feed
        else None
    )
    return _calendar_page(
        request,
        offering_ids=None,
        title=_("My calendar"),
        extra={"feed_url": feed_url, "personal": True},
    )


@require_safe
@learner_view
def course_calendar_view(request: HttpRequest, access: LearningAccess) -> HttpResponse:
    offering = access.offering
    return _calendar_page(
        request,
        offering_ids=[offering.pk],
        title=_("Calendar of %(course)s") % {"course": offering.course.title},
        extra={
            "offering": offering,
            "personal": False,
            "staff_not_enrolled": access.is_staff and not access.records_progress,
        },
    )


@login_required
@require_POST
def feed_reset_view(request: HttpRequest) -> HttpResponse:
    had_feed = calendar_feed_of(user_id=request.user.pk) is not None
    calendar_feed_reset(user=request.user)
    messages.success(
        request,
        _("Your calendar feed has a new address; the old one no longer works.")
        if had_feed
        else _("Your calendar feed address is ready."),
    )
    return redirect(f"{reverse('portal:calendar')}#feed")


@require_safe
def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    feed = calendar_feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar feed.")
    cal = Calendar()
    cal.add("prodid", "-//LMS//Deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Deadlines"))
    stamp = timezone.now().astimezone(UTC)
    for deadline in learner_deadlines(user_id=feed.user_id):
        event = Event()
        event.add("uid", deadline.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.at.astimezone(UTC))
        event.add("summary", f"{deadline.course_code}: {deadline.title} ({deadline.kind_label})")
        event.add("description", deadline.course_title)
        event.add("url", request.build_absolute_uri(deadline.path))
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


routes = [
    path("my/calendar/", my_calendar_view, name="calendar"),
    path("my/calendar/feed/", feed_reset_view, name="calendar-feed-reset"),
    path("calendar/<str:token>.ics", feed_view, name="calendar-feed"),
    path("learn/<int:offering_id>/calendar/", course_calendar_view, name="course-calendar"),
]
