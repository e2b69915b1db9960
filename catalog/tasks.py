"""Celery tasks of the catalog: thin wrappers around its services."""

from celery import shared_task

from catalog.services import accounts, invitations
from lms.celery import EMAIL_TASK_OPTIONS


@shared_task(**EMAIL_TASK_OPTIONS, soft_time_limit=60, time_limit=90)
def account_invitation_task(user_id: int, offering_id: int) -> bool:
    return accounts.account_invitation_send(user_id=user_id, offering_id=offering_id)


@shared_task(**EMAIL_TASK_OPTIONS, soft_time_limit=60, time_limit=90)
def invitation_email_task(invitation_id: int) -> bool:
    return invitations.invitation_email_send(invitation_id=invitation_id)
