"""`{{ value|local_date }}`, `{{ value|local_datetime }}`, `{{ value|local_time }}` and
`{{ value|iso_day }}`: dates as lms.dates shows them.
Built into every template (settings.TEMPLATES builtins), so no template formats dates itself."""

from django import template

from lms.dates import display_date, display_datetime, display_time, iso_day

register = template.Library()
register.filter("local_date", display_date)
register.filter("local_datetime", display_datetime)
register.filter("local_time", display_time)
register.filter("iso_day", iso_day)
