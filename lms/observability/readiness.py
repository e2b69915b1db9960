"""What /readyz checks: the database answers, the broker answers, and every migration is
applied. Details of a failure go to the log, not to the (unauthenticated) response."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger("lms.observability.readiness")

# Seconds the broker may take to answer.
REDIS_TIMEOUT = 1.0

# Once every migration is applied the answer stays yes for the life of the process: the
# migration graph is costly to load, and migrations are applied before new code starts.
_migrations_applied = False


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Readiness: the database does not answer.", exc_info=True)
        return "error"
    return "ok"


def redis_status() -> str:
    import redis

    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return "skipped"
    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
        )
        client.ping()
        client.close()
    except (redis.RedisError, OSError, ValueError):
        logger.warning("Readiness: the broker does not answer.", exc_info=True)
        return "error"
    return "ok"


def migrations_status() -> str:
    global _migrations_applied
    if _migrations_applied:
        return "ok"
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.warning("Readiness: cannot read the applied migrations.", exc_info=True)
        return "error"
    if plan:
        logger.warning(
            "Readiness: %d migration(s) not applied, first %s.%s.",
            len(plan),
            plan[0][0].app_label,
            plan[0][0].name,
        )
        return "pending"
    _migrations_applied = True
    return "ok"


def readiness() -> dict[str, str]:
    """Each check's answer: "ok", or why not ("error", "pending"); "skipped" for a broker
    that is not Redis."""
    return {
        "database": database_status(),
        "redis": redis_status(),
        "migrations": migrations_status(),
    }


def is_ready(report: dict[str, str]) -> bool:
    return all(value in ("ok", "skipped") for value in report.values())
