"""Celery tasks of tenancy: thin wrappers around its services."""

from celery import shared_task

from lms.celery import EMAIL_TASK_OPTIONS
from tenancy import services


@shared_task(**EMAIL_TASK_OPTIONS, soft_time_limit=60, time_limit=90)
def signup_attempt_notice_task(user_id: int) -> bool:
    return services.signup_attempt_notice_send(user_id=user_id)
