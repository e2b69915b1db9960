"""The Celery application.

When CELERY_TASK_ALWAYS_EAGER is not set explicitly, the broker is probed once at start-up;
if it cannot be reached, tasks run in-process and a warning says so, so local development
works without Redis. In production tasks never run in-process.
"""

import logging
import os

from celery import Celery, Task

from lms.observability import worker as observability_worker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

logger = logging.getLogger("lms.celery")


OUTBOX_HEADER = "lms_outbox"


def outbox_row(request) -> tuple[int, int] | None:
    """The task outbox row (id, version) a running task was sent for, if any: a message header,
    kept on retries."""
    value = (request.headers or {}).get(OUTBOX_HEADER) or getattr(request, OUTBOX_HEADER, None)
    return (int(value[0]), int(value[1])) if value else None


class OutboxAwareTask(Task):
    """Every task of the project: one sent from the task outbox (lms/outbox.py) deletes its row
    once it has run to the end, so the sweep leaves it alone."""

    def __call__(self, *args, **kwargs):
        result = super().__call__(*args, **kwargs)
        row = outbox_row(self.request)
        if row is not None:
            from lms import outbox

            outbox.done(*row)
        return result

    def on_retry(self, exc, task_id, args, kwargs, einfo) -> None:
        """A retry is the task still at work: its outbox lease starts again after the longest
        wait between retries, so the sweep does not send it a second time meanwhile."""
        row = outbox_row(self.request)
        if row is not None:
            from lms import outbox

            outbox.extend(*row, seconds=int(self.retry_backoff_max or 600))


app = Celery("lms", task_cls=OutboxAwareTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task id and name in every log line of a task; task counts and durations for Prometheus.
observability_worker.connect()


def broker_reachable(url: str, timeout: float = 0.5) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        return bool(client.ping())
    except (redis.RedisError, OSError, ValueError):
        return False


def configure_eager_mode() -> bool:
    """Decide eager mode once; returns True when tasks run in-process."""
    from django.conf import settings

    eager = settings.CELERY_TASK_ALWAYS_EAGER
    if settings.PRODUCTION:
        # In production tasks always go to the broker: without a worker, work waits queued.
        eager = False
    elif eager is None:
        eager = not broker_reachable(settings.CELERY_BROKER_URL)
        if eager:
            logger.warning(
                "Celery broker %s is not reachable: tasks run in-process (eager mode).",
                settings.CELERY_BROKER_URL,
            )
    app.conf.task_always_eager = bool(eager)
    return bool(eager)


# Options of tasks that send email: acknowledged once done, retried with backoff on connection
# and SMTP errors (smtplib.SMTPException is an OSError), a bounded number of times.
EMAIL_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}
