"""1,000 students start the same exam at once: every start succeeds, nobody gets two attempts.

    .venv/bin/python bench/quiz_burst.py [--students 1000] [--workers 40] [--clicks 2]

Uses its own database (BENCH_QUIZ_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/lms_bench_quiz), creates and migrates it, and builds one
offering with an exam (20 questions drawn from a pool of 40, a time limit, two attempts allowed)
and the enrolled students (rebuilt on every run). Then `--workers` threads, each with its own
database connection, fire every student's "start" `--clicks` times (a double click, or two
tabs) in shuffled order, all released together. It prints the wall time, starts per second,
latency percentiles and checks: one open attempt per student, numbered 1, all drawn from the
pool. The worker count stays below PostgreSQL's max_connections (100 by default), which is
what bounds the burst in production as well (the web server's worker pool).
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get(
    "BENCH_QUIZ_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench_quiz"
)
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")


def ensure_database() -> None:
    import psycopg
    from psycopg import sql

    *server, name = DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(f"{server[0]}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def build(students: int):
    """A fresh university, course, offering, exam and enrolled students."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from assessments.progress.tree_changes import tracked
    from assessments.quizzes.models import Choice, Question, QuestionPool
    from catalog.models import Course, CourseEnrollment, CourseOffering
    from content.services import content_item_create
    from syllabus.services import course_root
    from tenancy.models import Country, Department, University, User

    stamp = str(time.time_ns())[-9:]
    country, _ = Country.objects.get_or_create(iso_code="BQ", defaults={"name": "Bench"})
    university = University.objects.create(
        name=f"Bench University {stamp}", short_code=f"B{stamp}", country=country
    )
    department = Department.objects.create(university=university, name="Physics", code="PHY")
    course = Course.objects.create(
        university=university, department=department, title="Mechanics", code="PHY101"
    )
    now = timezone.now()
    offering = CourseOffering.objects.create(
        course=course,
        university=university,
        term_name="Exam week",
        starts_at=now - timedelta(days=10),
        ends_at=now + timedelta(days=80),
        enrollment_start=now - timedelta(days=30),
        enrollment_end=now + timedelta(days=20),
    )
    pool = QuestionPool.objects.create(course=course, title="Final exam bank")
    questions = Question.objects.bulk_create(
        [
            Question(
                pool=pool,
                question_type="single",
                prompt=f"Question {n}",
                position=n,
                points=Decimal(1),
            )
            for n in range(1, 41)
        ]
    )
    Choice.objects.bulk_create(
        [
            Choice(question=q, text=f"Option {k}", is_correct=k == 1, position=k)
            for q in questions
            for k in range(1, 5)
        ]
    )
    item = tracked(
        content_item_create,
        module=course_root(course=course),
        content_type="quiz",
        title="Final exam",
        data_json={
            "question_pool_id": pool.pk,
            "quiz_mode": "exam",
            "num_questions_per_attempt": 20,
            "randomize_order": True,
            "time_limit_seconds": 3600,
            "mastery": {"points": 100, "threshold_correct_in_row": 5, "max_attempts": 2},
        },
    )
    users = User.objects.bulk_create(
        [
            User(email=f"bench-{stamp}-{n}@example.edu", full_name=f"Student {n}")
            for n in range(students)
        ]
    )
    CourseEnrollment.objects.bulk_create(
        [CourseEnrollment(user=u, course_offering=offering, status="active") for u in users]
    )
    return offering, item, users, {q.pk for q in questions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=40)
    parser.add_argument("--clicks", type=int, default=2, help="start requests per student")
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from assessments.quizzes.models import QuizAttempt
    from assessments.quizzes.services import attempt_start

    offering, item, users, pool_ids = build(args.students)
    connection.close()
    calls = [user for user in users for _ in range(args.clicks)]
    random.Random(7).shuffle(calls)
    chunks = [calls[i :: args.workers] for i in range(args.workers)]
    gate = threading.Barrier(args.workers)
    latencies: list[float] = []
    created: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(chunk) -> None:
        mine_latencies, mine_created = [], 0
        try:
            gate.wait()
            for user in chunk:
                t0 = time.perf_counter()
                try:
                    result = attempt_start(user=user, offering=offering, item_id=item.pk)
                except Exception as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                mine_latencies.append(time.perf_counter() - t0)
                mine_created += result.created
        finally:
            connection.close()
            with lock:
                latencies.extend(mine_latencies)
                created.append(mine_created)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        list(pool.map(worker, chunks))
    wall = time.perf_counter() - started

    attempts = list(
        QuizAttempt.objects.filter(course_offering=offering, content_item=item).values_list(
            "user_id", "attempt_number", "submitted_at", "raw_response_json"
        )
    )
    per_user: dict[int, int] = {}
    for user_id, *_rest in attempts:
        per_user[user_id] = per_user.get(user_id, 0) + 1
    drawn_ok = all(
        len(raw["question_ids"]) == 20 and set(raw["question_ids"]) <= pool_ids
        for *_rest, raw in attempts
    )
    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(p * len(ms)))] if ms else float("nan")

    print(f"students                {args.students}")
    print(f"start requests          {len(calls)} ({args.clicks} per student)")
    print(f"workers (connections)   {args.workers}")
    print(f"wall time               {wall:.2f} s")
    print(f"starts per second       {len(calls) / wall:.0f}")
    print(
        f"latency ms              median {statistics.median(ms):.1f}  p95 {pct(0.95):.1f}"
        f"  p99 {pct(0.99):.1f}  max {ms[-1]:.1f}"
    )
    print(f"errors                  {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"attempts created        {sum(created)} (reported by the service)")
    print(f"attempt rows            {len(attempts)}")
    print(f"students with one       {sum(1 for n in per_user.values() if n == 1)}")
    print(f"students with more      {sum(1 for n in per_user.values() if n > 1)}")
    print(f"all numbered 1, open    {all(n == 1 and s is None for _u, n, s, _r in attempts)}")
    print(f"20 questions from pool  {drawn_ok}")
    ok = (
        not errors
        and len(attempts) == args.students == len(per_user)
        and sum(created) == args.students
        and drawn_ok
    )
    print("result                  " + ("OK" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
