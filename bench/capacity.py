"""What background work and learners cost in Redis and PostgreSQL, for sizing (docs/deploy.md).

    .venv/bin/python bench/capacity.py [--tasks 10000] [--redis-db 15]

Measures, on this machine's PostgreSQL and Redis:
- Redis: the memory of N grade-rollup messages waiting in the `grades` queue (what an exam's
  burst costs when workers fall behind), per message and for N;
- PostgreSQL: the size of N task outbox rows (the same burst recorded with its writes);
- PostgreSQL: the bytes per learner of the demo data set (enrollments, progress, attempts,
  submissions, grades with their indexes), scaled to 10,000 and 100,000 learners.

Uses its own database (BENCH_DATABASE_URL, default lms_bench_capacity: created, migrated and
seeded with the demo data once) and its own Redis database (emptied before and after).
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench_capacity")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from bench.pages import ensure_database  # noqa: E402  (sets DATABASE_URL first)

LEARNER_TABLES = (
    "course_enrollments",
    "user_content_progress",
    "user_module_progress",
    "quiz_attempts",
    "lab_submissions",
    "course_grades",
    "certificates",
)


def mib(value: float) -> str:
    return f"{value / 2**20:,.1f} MiB"


def redis_cost(tasks: int, db: int) -> tuple[float, float]:
    import redis
    from django.conf import settings

    from lms import outbox
    from lms.celery import app

    url = settings.REDIS_URL.rsplit("/", 1)[0] + f"/{db}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    before = client.info("memory")["used_memory"]
    task = outbox.task_named("assessments.tasks.grade_rollup_task")
    with app.producer_or_acquire() as producer:
        for n in range(tasks):
            task.apply_async((1000 + n % 500, 100_000 + n), countdown=None, producer=producer)
    after = client.info("memory")["used_memory"]
    queued = client.llen("grades")
    client.flushdb()
    assert queued == tasks, f"{queued} messages in the queue, expected {tasks}"
    return (after - before) / tasks, after - before


def outbox_cost(tasks: int) -> tuple[float, float]:
    from django.db import connection, transaction

    from lms import outbox

    with transaction.atomic():
        outbox.enqueue_many(
            "assessments.tasks.grade_rollup_task",
            [((1000 + n % 500, 100_000 + n), {}, f"bench:{n}") for n in range(tasks)],
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE task_outbox")
            cursor.execute("SELECT pg_total_relation_size('task_outbox')")
            (size,) = cursor.fetchone()
        transaction.set_rollback(True)
    return size / tasks, size


def learner_cost() -> tuple[int, float]:
    from django.db import connection

    from catalog.models import CourseEnrollment

    learners = CourseEnrollment.objects.values("user_id").distinct().count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(pg_total_relation_size(t::regclass)) FROM unnest(%s::text[]) AS t",
            [list(LEARNER_TABLES)],
        )
        (size,) = cursor.fetchone()
    return learners, size / max(learners, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--redis-db", type=int, default=15)
    options = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    from demo.seed import seed_demo

    call_command("migrate", verbosity=0)

    seed_demo()
    per_message, total = redis_cost(options.tasks, options.redis_db)
    print(f"Redis: {options.tasks:,} queued rollups take {mib(total)} ({per_message:,.0f} B each)")
    per_row, rows = outbox_cost(options.tasks)
    print(f"PostgreSQL: {options.tasks:,} outbox rows take {mib(rows)} ({per_row:,.0f} B each)")
    learners, per_learner = learner_cost()
    print(
        f"PostgreSQL: {per_learner / 1024:,.1f} KiB of learner data per learner of the demo "
        f"({learners} learners); 10,000 learners ~ {mib(per_learner * 10_000)}, "
        f"100,000 ~ {mib(per_learner * 100_000)}"
    )


if __name__ == "__main__":
    main()
