"""Task context and task metrics in Celery processes, through Celery's signals (an
infrastructure concern, not domain flow). lms/celery.py connects them.

- before_task_publish: the enqueuing request's id travels in the message headers;
- task_prerun / task_postrun: task_id, task_name (and that request id) in every log line of
  the run; the run counted by state and timed, lab grading timed on its own histogram;
- worker_process_shutdown: in multiprocess mode, a finished child's live samples are dropped;
- worker_ready: with CELERY_METRICS_PORT set, the worker serves its metrics on that port.
"""

import contextlib
import logging
import os
import time
from contextvars import Token
from typing import Any

from celery import signals

from lms.observability import metrics
from lms.observability.context import context_end, context_start, log_context

logger = logging.getLogger("lms.observability.worker")

REQUEST_ID_HEADER = "lms_request_id"

# task id -> (start time, context token) of the runs in progress in this process.
_running: dict[str, tuple[float, Token]] = {}


def _on_publish(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = log_context()["request_id"]
    if headers is not None and request_id and REQUEST_ID_HEADER not in headers:
        headers[REQUEST_ID_HEADER] = request_id


def _on_prerun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if task_id is None or task is None:
        return
    request_id = getattr(task.request, REQUEST_ID_HEADER, None)
    if request_id is None:
        headers = getattr(task.request, "headers", None) or {}
        request_id = headers.get(REQUEST_ID_HEADER)
    # A task run in-process (eager) keeps the request it runs in.
    request_id = request_id or log_context()["request_id"]
    current = log_context()
    token = context_start(
        request_id=request_id,
        user_id=current["user_id"] if request_id == current["request_id"] else None,
        university_id=current["university_id"] if request_id == current["request_id"] else None,
        task_id=task_id,
        task_name=task.name,
    )
    _running[task_id] = (time.perf_counter(), token)


def _on_postrun(
    task_id: str | None = None,
    task: Any = None,
    retval: Any = None,
    state: str | None = None,
    **_: Any,
) -> None:
    started = _running.pop(task_id, None) if task_id else None
    if started is None or task is None:
        return
    begun, token = started
    seconds = time.perf_counter() - begun
    state_label = (state or "unknown").lower()
    metrics.celery_tasks.labels(task=task.name, state=state_label).inc()
    metrics.celery_task_seconds.labels(task=task.name).observe(seconds)
    if task.name == metrics.LAB_GRADING_TASK:
        outcome = retval if state == "SUCCESS" and isinstance(retval, str) else state_label
        metrics.lab_grading_seconds.labels(outcome=outcome).observe(seconds)
    # postrun in another context than prerun (never with Celery's pools) cannot reset it; the
    # next task starts its own context anyway.
    with contextlib.suppress(ValueError):
        context_end(token)


def _on_process_shutdown(pid: int | None = None, **_: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())


def _on_worker_ready(**_: Any) -> None:
    from django.conf import settings
    from prometheus_client import start_http_server

    port = settings.METRICS_WORKER_PORT
    if port is None:
        return
    start_http_server(port, addr=settings.METRICS_WORKER_ADDR, registry=metrics.scrape_registry())
    logger.info("Worker metrics served on %s:%s.", settings.METRICS_WORKER_ADDR, port)


def connect() -> None:
    signals.before_task_publish.connect(_on_publish, weak=False)
    signals.task_prerun.connect(_on_prerun, weak=False)
    signals.task_postrun.connect(_on_postrun, weak=False)
    signals.worker_process_shutdown.connect(_on_process_shutdown, weak=False)
    signals.worker_ready.connect(_on_worker_ready, weak=False)
