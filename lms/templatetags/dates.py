"""`{{ value|local_date }}` and `{{ value|local_datetime }}`: dates as lms.dates shows them.
Built into every template (settings.TEMPLATES builtins), so no template formats dates itself."""

from django import template

from lms.dates import display_date, display_datetime

register = template.Library()
register.filter("local_date", display_date)
register.filter("local_datetime", display_datetime)
