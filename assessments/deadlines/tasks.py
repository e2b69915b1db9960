"""The hourly "due in 24 hours" reminders: a thin wrapper, idempotent through the reminders'
event keys (a rerun, or two overlapping runs, tell nobody twice)."""

from celery import shared_task

from assessments.deadlines import reminders
from assessments.task_options import RETRY


@shared_task(
    **RETRY, name="assessments.tasks.deadline_reminders_task", soft_time_limit=240, time_limit=300
)
def deadline_reminders_task() -> int:
    return reminders.deadline_reminders_send()
