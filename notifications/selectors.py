"""Reads of the notification centre. The unread count is in every learner page's header, so it
is kept in the cache (one key per person) and costs a query only on a miss; every write that
changes it (a notification shown, one or all marked read) deletes the key once it commits."""

from django.core.cache import cache
from django.db.models import QuerySet

from notifications.kinds import KINDS, SHOWN, Channel
from notifications.models import Notification, NotificationPreference
from tenancy.models import User

UNREAD_CACHE_SECONDS = 24 * 60 * 60
LIST_LENGTH = 50


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def notifications_shown(*, user_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user_id, channel__in=SHOWN)


def unread_count_refresh(*, user_id: int) -> int:
    """Count `user_id`'s unread notifications (one query) and keep the count in the cache."""
    count = notifications_shown(user_id=user_id).filter(read_at__isnull=True).count()
    cache.set(unread_cache_key(user_id), count, UNREAD_CACHE_SECONDS)
    return count


def unread_count(*, user_id: int) -> int:
    count = cache.get(unread_cache_key(user_id))
    return unread_count_refresh(user_id=user_id) if count is None else int(count)


def notifications_for_user(*, user: User, limit: int = LIST_LENGTH) -> list[Notification]:
    """The newest notifications shown to `user`, newest first (one query)."""
    return list(notifications_shown(user_id=user.pk).order_by("-created_at", "-pk")[:limit])


def notification_for_user(*, user: User, notification_id: int) -> Notification:
    """`user`'s own notification; someone else's raises DoesNotExist like a missing one."""
    return notifications_shown(user_id=user.pk).get(pk=notification_id)


def preferences_for(*, user: User) -> dict[str, Channel]:
    """Each kind's channel for `user`: their choice, else the kind's default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {
        name: Channel(chosen.get(name, kind.default))
        if chosen.get(name, kind.default) in kind.channels()
        else kind.default
        for name, kind in KINDS.items()
    }
