"""The Celery application.

When CELERY_TASK_ALWAYS_EAGER is not set explicitly, the broker is probed once at start-up;
if it cannot be reached, tasks run in-process and a warning says so, so local development
works without Redis. In production tasks never run in-process.
"""

import logging
import os

from celery import Celery

from lms.observability import worker as observability_worker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

logger = logging.getLogger("lms.celery")

app = Celery("lms")
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
