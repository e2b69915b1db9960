"""The Celery task that imports a confirmed course package (sent from the task outbox).

It takes the import's id and calls the service, which imports only a queued import and under its
row lock, so a duplicate delivery changes nothing. Passing database failures retry with backoff,
a bounded number of times; the time limits leave room for the largest package the settings
allow.
"""

from celery import shared_task
from django.db import DatabaseError

from interchange.courses import services

MAX_RETRIES = 3


@shared_task(
    bind=True, acks_late=True, max_retries=MAX_RETRIES, soft_time_limit=600, time_limit=660
)
def course_import_task(self, import_id: str) -> str:
    try:
        return services.course_import_run(import_id=import_id)
    except DatabaseError as exc:
        raise self.retry(exc=exc, countdown=min(300, 10 * 2**self.request.retries)) from exc
