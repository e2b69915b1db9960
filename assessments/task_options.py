"""Options every assessments task shares (labs have their own): idempotent tasks run with
acks_late and reject_on_worker_lost, and retry a bounded number of times with backoff on
database and connection errors."""

from django.db import DatabaseError

RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (DatabaseError, OSError),
    "retry_backoff": 5,
    "retry_backoff_max": 10 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}
