"""The Prometheus metrics: requests, tasks, lab grading, queue lengths.

With PROMETHEUS_MULTIPROC_DIR set (gunicorn's worker processes, Celery's prefork children),
every process writes its samples to files in that folder and a scrape sums them
(prometheus_client's multiprocess mode); without it each process keeps its own.
"""

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterable, Iterator

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

logger = logging.getLogger("lms.observability.metrics")

# The Celery queues (settings.CELERY_TASK_ROUTES, CELERY_TASK_DEFAULT_QUEUE).
QUEUES = ("labs", "grades", "email", "default")
# Kombu keeps a queue's messages of priority p > 0 in a list of its own, named
# queue + "\x06\x16" + p (its default priority steps).
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)
LAB_GRADING_TASK = "assessments.labs.tasks.lab_submission_grade_task"


def _seconds(name: str, documentation: str, label: str, buckets: tuple[float, ...]) -> Histogram:
    return Histogram(name, documentation, [label], buckets=buckets)


http_requests = Counter(
    "lms_http_requests",
    "Requests answered, by method, view name and status code.",
    ["method", "view", "status"],
)
celery_tasks = Counter(
    "lms_celery_tasks",
    "Tasks run by workers, by task name and final state (success, failure, retry...).",
    ["task", "state"],
)
http_request_seconds = _seconds(
    "lms_http_request_duration_seconds",
    "Time to answer a request, by view name.",
    "view",
    (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
celery_task_seconds = _seconds(
    "lms_celery_task_duration_seconds",
    "Time a task ran, by task name.",
    "task",
    (0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900),
)
lab_grading_seconds = _seconds(
    "lms_lab_grading_seconds",
    "Time one lab grading task took, by outcome (graded, error, skipped, retry, failure).",
    "outcome",
    (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600),
)


class QueueLengthCollector(Collector):
    """Messages waiting in each Celery queue, read from Redis (LLEN) when scraped."""

    def __init__(self, broker_url: str | None = None, timeout: float = 1.0) -> None:
        self.broker_url = broker_url
        self.timeout = timeout

    def collect(self) -> Iterator[Metric]:
        import redis

        url = self.broker_url or settings.CELERY_BROKER_URL
        lengths = GaugeMetricFamily(
            "lms_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        up = GaugeMetricFamily(
            "lms_celery_broker_up", "1 when the broker answered the queue-length read, else 0."
        )
        try:
            client = redis.Redis.from_url(
                url, socket_connect_timeout=self.timeout, socket_timeout=self.timeout
            )
            with client.pipeline(transaction=False) as pipe:
                for queue in QUEUES:
                    pipe.llen(queue)
                    for step in _PRIORITY_STEPS:
                        pipe.llen(f"{queue}{_PRIORITY_SEPARATOR}{step}")
                counts = pipe.execute()
            client.close()
        except (redis.RedisError, OSError, ValueError):
            logger.warning("Metrics: cannot read queue lengths from the broker.", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        per_queue = 1 + len(_PRIORITY_STEPS)
        for index, queue in enumerate(QUEUES):
            lengths.add_metric([queue], sum(counts[index * per_queue : (index + 1) * per_queue]))
        up.add_metric([], 1)
        yield lengths
        yield up


class OutboxCollector(Collector):
    """Background work recorded in the task outbox (lms/outbox.py), read when scraped: rows
    not sent yet (the broker was away), sent and not finished, and given up."""

    def collect(self) -> Iterator[Metric]:
        from django.db import DatabaseError, connection

        rows = GaugeMetricFamily(
            "lms_task_outbox_rows",
            "Task outbox rows: unsent, sent (not finished yet) and stuck (sent too many times).",
            labels=["state"],
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FILTER (WHERE sent_at IS NULL),"
                    " count(*) FILTER (WHERE sent_at IS NOT NULL AND sends < %s),"
                    " count(*) FILTER (WHERE sends >= %s) FROM task_outbox",
                    [settings.TASK_OUTBOX_MAX_SENDS, settings.TASK_OUTBOX_MAX_SENDS],
                )
                unsent, sent, stuck = cursor.fetchone()
        except DatabaseError:
            logger.warning("Metrics: cannot read the task outbox.", exc_info=True)
            return
        for state, value in (("unsent", unsent), ("sent", sent), ("stuck", stuck)):
            rows.add_metric([state], value)
        yield rows


class _ProcessMetrics(Collector):
    """This process's own metrics (single-process mode)."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def scrape_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    return registry


def metrics_page() -> bytes:
    """The text exposition a scrape of the web app returns: every process's metrics (or this
    one's) and the queue lengths."""
    registry = scrape_registry()
    registry.register(QueueLengthCollector())
    registry.register(OutboxCollector())
    return generate_latest(registry)


def metrics_networks(
    values: Iterable[str],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """METRICS_ALLOWED_NETWORKS parsed; a bad entry raises ValueError naming it."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(
                f"METRICS_ALLOWED_NETWORKS holds {value!r}, which is not an address or a "
                "network (e.g. 10.0.0.0/8)."
            ) from exc
    return tuple(networks)


def may_scrape(*, remote_addr: str, authorization: str) -> bool:
    """A scrape comes from an allowed network or carries `Bearer METRICS_TOKEN`."""
    token = settings.METRICS_TOKEN
    bearer = authorization.startswith("Bearer ")
    offered = authorization.removeprefix("Bearer ").strip()
    if token and bearer and hmac.compare_digest(offered.encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    candidates = (address, mapped) if mapped else (address,)
    networks = metrics_networks(settings.METRICS_ALLOWED_NETWORKS)
    return any(
        candidate.version == network.version and candidate in network
        for candidate in candidates
        for network in networks
    )
