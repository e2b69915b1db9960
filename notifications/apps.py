from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """What a person is told about: the in-app notification centre, its emails and each person's
    choice of channel per kind of event. It sits just above tenancy so that the apps where the
    events happen (catalog, assessments, community) call `notify()` inside their own
    transactions; it names no model or page of theirs (links come through `lms.links`)."""

    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from notifications.selectors import unread_count_refresh

        # Not domain flow: the header's unread count is put in the cache as a person logs in,
        # so the pages after it read the cache instead of counting (the count runs again only
        # after a change or an eviction).
        user_logged_in.connect(
            lambda sender, user, **kwargs: unread_count_refresh(user_id=user.pk),
            weak=False,
            dispatch_uid="notifications-unread-count-at-login",
        )
