"""Celery tasks of the discussions: thin wrappers around community.discussions.notifications.

Both are idempotent (the services record what was sent under unique constraints), so a task
delivered twice, or retried after a failed send, emails nobody twice.
"""

from datetime import date

from celery import shared_task
from django.utils import timezone

from community.discussions import notifications
from lms.celery import EMAIL_TASK_OPTIONS


@shared_task(**EMAIL_TASK_OPTIONS, soft_time_limit=120, time_limit=180)
def reply_notification_task(post_id: int) -> int:
    return notifications.reply_notifications_send(post_id=post_id)


@shared_task(**EMAIL_TASK_OPTIONS, soft_time_limit=25 * 60, time_limit=30 * 60)
def discussion_digest_task(day: str | None = None) -> int:
    """Beat runs this daily; `day` (ISO date) defaults to today in UTC."""
    return notifications.discussion_digests_send(
        day=date.fromisoformat(day) if day else timezone.now().date()
    )
