"""Writes of the calendar feed: its secret address, created or replaced."""

import secrets

from django.db import transaction

from assessments.deadlines.models import CalendarFeed
from tenancy.models import User


def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """Gives `user` a feed address, or a new one in place of the old, which then leads
    nowhere. Concurrent resets leave one row holding the last secret written."""
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.update_or_create(
            user=user, defaults={"secret": secrets.token_urlsafe(32)}
        )
    return feed
