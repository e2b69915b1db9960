from django.conf import settings
from django.db import models
from django.db.models import Q

from lms.db import created_at_field, enum_check, updated_at_field
from notifications.kinds import Channel

USER = settings.AUTH_USER_MODEL


class Notification(models.Model):
    """One event told to one person. `event_key` names the event (e.g. "enrollment-approved:7"),
    unique per recipient, so the same event notified twice is one row and one email. `channel`
    is the recipient's choice when it was written: shown in the list (in_app, both), mailed
    (email, both); `emailed_at` records the one mail."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    event_key = models.CharField(max_length=200)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True, default="", db_default="")
    link = models.CharField(max_length=500, blank=True, default="", db_default="")
    created_at = created_at_field()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "notifications"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event_key"], name="ux_notifications_user_event"
            ),
            enum_check("channel", Channel, "notifications_channel_valid"),
        ]
        indexes = [
            models.Index(
                fields=["user", "-created_at"],
                name="ix_notifications_user_created",
            ),
            models.Index(
                fields=["user"],
                name="ix_notifications_user_unread",
                condition=Q(read_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"


class NotificationPreference(models.Model):
    """How a person wants to hear of one kind of event; no row means the kind's default."""

    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    updated_at = updated_at_field()

    class Meta:
        db_table = "notification_preferences"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="ux_notification_preferences"),
            enum_check("channel", Channel, "notification_preferences_channel_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.channel}"
