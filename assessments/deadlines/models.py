"""The secret address of a learner's calendar feed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.db import TimestampedModel


class CalendarFeed(TimestampedModel):
    """One per learner who asked for a feed address. The address carries the user id and
    `secret`; resetting writes a new secret, so every old address stops working at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="calendar_feed",
    )
    secret = models.CharField(max_length=64)

    class Meta:
        db_table = "calendar_feeds"
        verbose_name = _("calendar feed")

    def __str__(self) -> str:
        return _("calendar feed of %(user)s") % {"user": self.user}

    @property
    def token(self) -> str:
        """What the feed's address carries: `<user id>.<secret>` (the secret never has a dot)."""
        return f"{self.user_id}.{self.secret}"
