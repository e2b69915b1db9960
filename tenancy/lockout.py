"""Throttling of failed logins with django-axes: after AXES_FAILURE_LIMIT failures for one email
from one address, logins for that pair are refused until the cool-off ends (lms/settings.py)."""

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off, get_failure_limit
from axes.utils import reset as axes_reset
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' standalone backend, except that authenticate() without a request is let through.

    Every login over HTTP (the site's form, the admin's) passes the request; a call without one
    comes from code (a shell, the test client's login()) where there is no client address to
    throttle, and axes would refuse it outright.
    """

    def authenticate(self, request: HttpRequest | None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


# Axes' username columns hold 255 characters (as many as an email here); it cuts the other
# request values it records to their columns but not the username.
USERNAME_MAX_LENGTH = 255


def login_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The email a login attempt is counted against, lower-cased as emails are stored, so
    "Ana@Uni.edu" and "ana@uni.edu" share one count; a longer text than any email is counted
    by its first 255 characters, so recording the failure cannot fail."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username") if source else None
    if not isinstance(username, str):
        return username
    return username.strip().lower()[:USERNAME_MAX_LENGTH]


def login_lockout_clear(*, email: str) -> int:
    """Forget the failed logins of `email` from every address; returns how many were removed."""
    return axes_reset(username=email.strip().lower())


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The page a locked-out login gets, on the site and in the admin (HTTP 429)."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": login_username(request, credentials) or "",
        "cool_off_minutes": minutes,
    }
    return render(
        request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
