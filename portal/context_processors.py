"""What the header of every page shows about the reader: the unread notifications.

The count is computed only when a template reads it, from the cache (a query on a miss:
notifications.selectors.unread_count)."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def notification_bell(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user_id=user.pk))}
