"""Tasks of the platform itself."""

from celery import shared_task

from lms import outbox


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def task_outbox_sweep_task() -> int:
    """Beat runs this every TASK_OUTBOX_SWEEP_SECONDS: work that could not be sent, or whose
    worker died, is sent again (lms/outbox.py). A run that finds none changes nothing."""
    return outbox.sweep()
