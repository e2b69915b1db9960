"""The one way the site shows dates and times: the viewer's locale formats (DATE_FORMAT,
DATETIME_FORMAT, TIME_FORMAT) in the viewer's time zone, which tenancy.middleware activates
from their profile (a `{% timezone %}` block or an explicit zone overrides it). Templates use
the `local_date`, `local_datetime`, `local_time` and `iso_day` filters
(lms.templatetags.dates, built in); Python that writes dates for people calls these
functions."""

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.formats import date_format


def zone_named(name: str | None) -> ZoneInfo | None:
    """The time zone a profile names (User.time_zone); None for an empty or unknown name, so
    the caller falls back to the active zone."""
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _local(value: datetime, zone: tzinfo | None) -> datetime:
    return timezone.localtime(value, zone) if timezone.is_aware(value) else value


def display_datetime(value: datetime | date | None, zone: tzinfo | None = None) -> str:
    """A moment as people read it; a plain date gets the date format. Empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return date_format(_local(value, zone), "DATETIME_FORMAT")
    return date_format(value, "DATE_FORMAT")


def display_date(value: datetime | date | None, zone: tzinfo | None = None) -> str:
    """The day of a moment (in the viewer's zone) or a plain date. Empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value, zone)
    return date_format(value, "DATE_FORMAT")


def display_time(value: datetime | None, zone: tzinfo | None = None) -> str:
    """The time of day of a moment (in the viewer's zone), for a page that already shows its
    day. Empty for None."""
    if value is None or value == "":
        return ""
    return date_format(_local(value, zone), "TIME_FORMAT")


def iso_day(value: datetime | date | None, zone: tzinfo | None = None) -> str:
    """The day of a moment (in the viewer's zone) as YYYY-MM-DD, for `<time datetime>`."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value, zone)
    return value.isoformat()
