"""Dates render in the signed-in user's time zone."""

import datetime as dt

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from tenancy.middleware import UserTimeZoneMiddleware
from tenancy.models import User

# 23:30 UTC on 1 March is already 2 March in Tokyo and still 1 March in New York.
MOMENT = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)


def render_moment(request) -> HttpResponse:
    template = Template("{{ when|date:'Y-m-d H:i e' }}")
    return HttpResponse(template.render(Context({"when": MOMENT})))


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("Asia/Tokyo", "2026-03-02 08:30 JST"),
        ("America/New_York", "2026-03-01 18:30 EST"),
        ("UTC", "2026-03-01 23:30 UTC"),
        ("Not/AZone", "2026-03-01 23:30 UTC"),
    ],
)
def test_middleware_renders_in_the_users_zone(zone, shown):
    request = RequestFactory().get("/")
    request.user = User(email="ada@example.edu", time_zone=zone)
    response = UserTimeZoneMiddleware(render_moment)(request)
    assert response.content.decode() == shown
    assert timezone.get_current_timezone_name() == "UTC"  # deactivated afterwards


def test_anonymous_visitors_get_utc():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = UserTimeZoneMiddleware(render_moment)(request)
    assert response.content.decode() == "2026-03-01 23:30 UTC"
