"""The notification mail task: a thin wrapper, idempotent (the service marks the row mailed in
the transaction that sends), retried by EMAIL_TASK_OPTIONS."""

from celery import shared_task

from lms.celery import EMAIL_TASK_OPTIONS
from notifications import services


@shared_task(**EMAIL_TASK_OPTIONS, soft_time_limit=60, time_limit=90)
def notification_email_task(notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)
