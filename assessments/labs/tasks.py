"""The Celery task that autogrades a lab submission (registered through CELERY_IMPORTS).

It takes the submission id and calls the services: the claim is a conditional UPDATE, so a
duplicate delivery does nothing. acks_late with reject_on_worker_lost puts the message back when
a worker dies mid-run; the redelivered task finds the dead run's claim and retries once that
claim is stale. Passing failures (database, storage) give the claim back and retry with
backoff, a bounded number of times; after the last one the submission gets the error status with
the reason. The time limits sit above the longest run the runner allows
(LAB_GRADING_MAX_SECONDS) and far under the broker's visibility timeout.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError

from assessments.labs import services

MAX_RETRIES = 4


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=settings.LAB_GRADING_MAX_SECONDS + 60,
    time_limit=settings.LAB_GRADING_MAX_SECONDS + 120,
)
def lab_submission_grade_task(self, submission_id: int) -> str:
    claim = services.lab_submission_claim(submission_id=submission_id)
    if claim.token is None:
        if claim.retry_in is not None and self.request.retries < MAX_RETRIES:
            raise self.retry(countdown=claim.retry_in)
        return "skipped"
    try:
        services.lab_submission_run(submission_id=submission_id, token=claim.token)
    except SoftTimeLimitExceeded:
        services.lab_submission_fail(
            submission_id=submission_id,
            token=claim.token,
            reason="Grading took longer than the worker allows.",
        )
        return "error"
    except (DatabaseError, OSError) as exc:
        if self.request.retries >= MAX_RETRIES:
            services.lab_submission_fail(
                submission_id=submission_id, token=claim.token, reason=f"Grading failed: {exc}"
            )
            raise
        services.lab_submission_release(submission_id=submission_id, token=claim.token)
        raise self.retry(exc=exc, countdown=min(600, 10 * 2**self.request.retries)) from exc
    return "graded"
