"""One date format across the site, in the viewer's zone: the locale's DATE_FORMAT and
DATETIME_FORMAT through lms.dates, and no template formatting dates its own way."""

import datetime as dt
import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation

from lms.dates import display_date, display_datetime

LATE_UTC = dt.datetime(2026, 12, 1, 23, 59, tzinfo=dt.UTC)
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_a_moment_is_shown_in_the_active_zone_with_the_locale_format():
    with translation.override("en"):
        with timezone.override("Asia/Tokyo"):
            tokyo = (display_datetime(LATE_UTC), display_date(LATE_UTC))
        with timezone.override("America/New_York"):
            new_york = (display_datetime(LATE_UTC), display_date(LATE_UTC))

    assert tokyo == ("Dec. 2, 2026, 8:59 a.m.", "Dec. 2, 2026")
    assert new_york == ("Dec. 1, 2026, 6:59 p.m.", "Dec. 1, 2026")


def test_the_locale_decides_the_format():
    with translation.override("de"), timezone.override("Europe/Berlin"):
        assert display_datetime(LATE_UTC) == "2. Dezember 2026 00:59"
        assert display_date(dt.date(2026, 3, 4)) == "4. März 2026"


def test_empty_values_show_nothing():
    assert (display_datetime(None), display_date(None), display_date("")) == ("", "", "")


def test_the_filters_are_built_into_every_template():
    template = Template("{{ when|local_datetime }} / {{ when|local_date }} / {{ none|local_date }}")

    with translation.override("en"), timezone.override("Asia/Tokyo"):
        text = template.render(Context({"when": LATE_UTC, "none": None}))

    assert text == "Dec. 2, 2026, 8:59 a.m. / Dec. 2, 2026 / "


def test_no_template_formats_dates_its_own_way():
    own_formats = re.compile(r"\|date:(?![\"']c[\"'])|\|time:|\|timezone:|\|localtime\b")
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*"))
        if path.suffix in (".html", ".txt")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if own_formats.search(line)
    ]

    assert found == []
