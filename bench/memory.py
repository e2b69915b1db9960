"""Peak memory of a web worker and of a Celery worker under load, and whether it grows.

    .venv/bin/python bench/memory.py [--minutes 2] [--port 8314] [--threads 4]

Uses its own database (BENCH_MEMORY_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/lms_bench_memory), created, migrated and seeded with the demo
data on the first run, and BENCH_REDIS_URL (default REDIS_URL) as broker and cache. It starts
gunicorn with the production profile (gunicorn.conf.py; a random secret key, plain http) on
--port and a Celery worker (prefork, --concurrency children), both sharing a metrics folder
(PROMETHEUS_MULTIPROC_DIR). Then, for --minutes, --threads signed-in demo students load the
learner pages (dashboard, catalog, course page, items, outline) and a stream of grade rollups
and lab grading runs goes to the worker. Every --every seconds it reads the resident memory
(RSS) of each gunicorn and Celery process.

It prints the peak RSS per kind of process, and the growth: the median RSS of the busiest
process of each kind over the last minute against the first minute after --warmup seconds.
With --minutes 2 these minutes overlap; `--minutes 10` is the long run.
"""

import argparse
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["BENCH_DATABASE_URL"] = os.environ.get(
    "BENCH_MEMORY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench_memory"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL") or os.environ.get(
    "REDIS_URL", "redis://127.0.0.1:6379/0"
)
os.environ.update(
    REDIS_URL=REDIS_URL,
    CELERY_BROKER_URL=REDIS_URL,
    CELERY_RESULT_BACKEND=REDIS_URL,
    CELERY_TASK_ALWAYS_EAGER="false",
)

from bench.pages import DATABASE_URL, DEMO_STUDENT, PAGES, demo_objects, ensure_database  # noqa: E402

MB = 1024 * 1024
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Tasks waiting in the broker above which the stream pauses (the worker is the bottleneck).
MAX_BACKLOG = 40
# Totals read from /metrics at the end: what the web workers and the worker's children counted.
SCRAPED = ("lms_http_requests_total", "lms_celery_tasks_total", "lms_lab_grading_seconds_count")


@dataclass
class Load:
    """What the page threads and the task stream did."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    timings: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    tasks: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def answered(self, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.timings.append(seconds)


def free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def server_env(port: int, metrics_dir: str, workers: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_ENV": "production",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        # Plain http on the loopback: no redirect to https, cookies sent without TLS.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_CSRF_COOKIE_SECURE": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORT": str(port),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "PROMETHEUS_MULTIPROC_DIR": metrics_dir,
        "DATABASE_CONN_MAX_AGE": "60",
    }


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


def wait_ready(base: str, processes: list[subprocess.Popen], logs: list[Path]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for process, log in zip(processes, logs, strict=True):
            if process.poll() is not None:
                sys.exit(f"{log.name} stopped at start:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    sys.exit(f"{base}/readyz did not answer 200 within a minute; see {logs[0]}")


def signed_in(base: str, password: str) -> urllib.request.OpenerDirector:
    """An opener holding the demo student's session."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with opener.open(f"{base}/accounts/login/", timeout=10) as page:
        token = CSRF_FIELD.search(page.read().decode())
    if token is None:
        sys.exit("the login page has no CSRF field")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": DEMO_STUDENT, "password": password}
    ).encode()
    with opener.open(f"{base}/accounts/login/", data=form, timeout=10) as answer:
        if answer.url.rstrip("/").endswith("/accounts/login"):
            sys.exit(f"{DEMO_STUDENT} could not sign in")
    return opener


def browse(base: str, urls: list[str], password: str, until: float, load: Load) -> None:
    opener = signed_in(base, password)
    while time.monotonic() < until:
        url = random.choice(urls)
        started = time.perf_counter()
        try:
            with opener.open(base + url, timeout=30) as answer:
                answer.read()
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        load.answered(status, time.perf_counter() - started)


def task_stream(until: float, load: Load, per_second: float) -> None:
    """Grade rollups of demo learners and lab grading runs of demo submissions."""
    import redis

    from assessments.grades.tasks import grade_rollup_task
    from assessments.labs.models import LabSubmission
    from assessments.labs.tasks import lab_submission_grade_task
    from catalog.models import CourseEnrollment, EnrollmentStatus

    learners = list(
        CourseEnrollment.objects.filter(status=EnrollmentStatus.ACTIVE).values_list(
            "course_offering_id", "user_id"
        )[:500]
    )
    submissions = list(LabSubmission.objects.values_list("pk", flat=True)[:500])
    broker = redis.Redis.from_url(REDIS_URL)
    while time.monotonic() < until:
        time.sleep(1 / per_second)
        if sum(broker.llen(queue) for queue in ("labs", "grades")) > MAX_BACKLOG:
            load.tasks["paused"] += 1
            continue
        if submissions and random.random() < 0.3:
            lab_submission_grade_task.delay(random.choice(submissions))
            load.tasks["lab grading"] += 1
        elif learners:
            offering_id, user_id = random.choice(learners)
            grade_rollup_task.delay(offering_id, user_id)
            load.tasks["grade rollup"] += 1


def kind_of(process, web_pid: int, worker_pid: int) -> str | None:
    if process.pid == web_pid:
        return "gunicorn master"
    if process.pid == worker_pid:
        return "celery main"
    parent = process.ppid()
    if parent == web_pid:
        return "gunicorn worker"
    if parent == worker_pid:
        return "celery child"
    return None


def sample(web: subprocess.Popen, worker: subprocess.Popen) -> dict[str, dict[int, int]]:
    """RSS in bytes of every process of each kind, now."""
    import psutil

    found: dict[str, dict[int, int]] = defaultdict(dict)
    for root in (web, worker):
        try:
            top = psutil.Process(root.pid)
            processes = [top, *top.children()]
        except psutil.NoSuchProcess:
            continue
        for process in processes:
            try:
                kind = kind_of(process, web.pid, worker.pid)
                if kind:
                    found[kind][process.pid] = process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
    return found


def report(samples: list[tuple[float, dict[str, dict[int, int]]]], warmup: float) -> None:
    kinds = ("gunicorn worker", "celery child", "gunicorn master", "celery main")
    end = samples[-1][0]
    print(
        f"\n{'process':<16} {'peak RSS MB':>11} {'at s':>5} {'first min MB':>13} "
        f"{'last min MB':>12} {'growth MB':>10}"
    )
    for kind in kinds:
        busiest = [(at, max(rss.values())) for at, by_kind in samples if (rss := by_kind.get(kind))]
        if not busiest:
            continue
        peak_at, peak = max(busiest, key=lambda point: point[1])
        first = [v for at, v in busiest if warmup <= at < warmup + 60] or [busiest[0][1]]
        last = [v for at, v in busiest if at >= end - 60] or [busiest[-1][1]]
        first_mb, last_mb = statistics.median(first) / MB, statistics.median(last) / MB
        print(
            f"{kind:<16} {peak / MB:>11.1f} {peak_at:>5.0f} {first_mb:>13.1f} {last_mb:>12.1f} "
            f"{last_mb - first_mb:>+10.1f}"
        )


def scrape(base: str) -> dict[str, float]:
    from prometheus_client.parser import text_string_to_metric_families

    with urllib.request.urlopen(f"{base}/metrics", timeout=10) as answer:
        text = answer.read().decode()
    totals: dict[str, float] = defaultdict(float)
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name in SCRAPED:
                totals[found.name] += found.value
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--port", type=int, default=8314)
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery children (2)")
    parser.add_argument("--threads", type=int, default=4, help="browsing students (4)")
    parser.add_argument("--tasks-per-second", type=float, default=4.0)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("--warmup", type=float, default=30.0, help="seconds before measuring")
    parser.add_argument("--series", action="store_true", help="also print every sample (MB)")
    args = parser.parse_args()
    if args.minutes <= 0 or args.threads < 1 or args.every <= 0:
        parser.error("--minutes, --threads and --every need positive values")
    if not free(args.port):
        parser.error(f"something already listens on port {args.port}; pass --port")

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    from bench.pages import _reverse, demo_load
    from demo.data import PASSWORD

    call_command("migrate", verbosity=0)
    demo_load()
    ids = demo_objects()
    urls = [page.url(None) for page in PAGES if page.as_user == DEMO_STUDENT]
    urls.append(_reverse("portal:outline", offering_id=ids["offering_id"]))
    urls = [url for url in urls if url]

    run = Path(tempfile.mkdtemp(prefix="lms-bench-memory-"))
    metrics_dir = run / "metrics"
    metrics_dir.mkdir()
    env = server_env(args.port, str(metrics_dir), args.web_workers)
    web_log, worker_log = run / "gunicorn.log", run / "celery.log"
    web = start(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "lms.wsgi"], env, web_log
    )
    worker = start(
        [
            sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=prefork",
            f"--concurrency={args.concurrency}", "--queues=labs,grades,email,default",
            "--without-gossip", "--without-mingle", f"--hostname=bench-memory-{os.getpid()}@%h",
        ],
        env,
        worker_log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_ready(base, [web, worker], [web_log, worker_log])
        load = Load()
        began = time.monotonic()
        until = began + args.minutes * 60
        threads = [
            threading.Thread(target=browse, args=(base, urls, PASSWORD, until, load), daemon=True)
            for _ in range(args.threads)
        ]
        threads.append(
            threading.Thread(
                target=task_stream, args=(until, load, args.tasks_per_second), daemon=True
            )
        )
        for thread in threads:
            thread.start()
        samples = []
        print(f"{len(urls)} pages, {args.threads} students, {args.minutes:g} min; logs in {run}")
        while time.monotonic() < until:
            samples.append((time.monotonic() - began, sample(web, worker)))
            time.sleep(args.every)
        for thread in threads:
            thread.join(timeout=60)
        samples.append((time.monotonic() - began, sample(web, worker)))
        totals = scrape(base)
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    timings = sorted(load.timings)
    median_ms = statistics.median(timings) * 1000
    p95_ms = timings[int(len(timings) * 0.95)] * 1000
    print(
        f"requests: {len(timings)} ({len(timings) / (args.minutes * 60):.1f}/s), statuses "
        f"{dict(sorted(load.statuses.items()))}, median {median_ms:.0f} ms, p95 {p95_ms:.0f} ms"
    )
    print(f"tasks enqueued: {dict(load.tasks)}")
    print(
        "metrics scraped at the end: "
        + ", ".join(f"{name} {value:g}" for name, value in sorted(totals.items()))
    )
    report(samples, args.warmup)
    if args.series:
        for at, by_kind in samples:
            rss = {kind: sorted(v // MB for v in found.values()) for kind, found in by_kind.items()}
            print(f"{at:>6.0f} s  {rss}")
    shutil.rmtree(metrics_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
