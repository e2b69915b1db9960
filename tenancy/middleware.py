from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from lms.observability.context import context_bind
from tenancy.access import primary_university_id


class UserTimeZoneMiddleware:
    """Render every date in the signed-in user's time zone (their profile setting).

    Anonymous visitors and users whose stored zone no longer exists get the default (UTC).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = _user_zone(request)
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def _user_zone(request: HttpRequest) -> ZoneInfo | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.time_zone:
        return None
    try:
        return ZoneInfo(user.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None


class RequestUserContextMiddleware:
    """Adds who is asking (user_id, university_id) to the log lines of the request; goes
    after AuthenticationMiddleware. Anonymous requests leave both empty."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context_bind(user_id=user.pk, university_id=primary_university_id(user))
        return self.get_response(request)
