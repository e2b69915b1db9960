"""The learner's pages over HTTP under gunicorn, side by side with a bare one-row view.

    .venv/bin/python bench/http_bench.py [--quick] [--duration 20] [--connections 16] [--workers 2]
                                   [--only outline] [--rebuild]

Builds (or reuses) the data of bench/pages.py in its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/lms_bench), starts gunicorn with the production settings
(DJANGO_ENV=production, DEBUG off, the Redis cache of REDIS_URL; the HTTPS redirect off, as
behind a proxy that ends TLS) plus `/bench/bare/` (bench/http_settings.py), on BENCH_PORT
(default 8605). Each user's session is made in-process (force_login) and sent by wrk's Lua
script as a cookie. For every page it prints the queries (counted once through Django's test
client), req/s, p50/p95/p99, errors (socket errors and responses of 400 and above) and req/s as
a share of the bare view's, measured just before and just after that page (their mean).
The outline's first request after the start (cold caches, cold worker) is timed on its own.

The figures are those of this machine at this moment: on a shared or busy machine judge a
change by the ratios, not by the absolute numbers. --quick runs each page for 3 s.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The bench process and gunicorn share the key, so a session made here is valid there.
SECRET_KEY = "bench-http-secret-key-not-for-any-deployment-0123456789abcdef"
os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY

from bench import pages  # noqa: E402  (sets the database before Django starts)

PORT = int(os.environ.get("BENCH_PORT", "8605"))
BARE = "bare view (1 row)"


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


def gunicorn_env(workers: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.http_settings",
        DJANGO_ENV="production",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=pages.DATABASE_URL,
        PORT=str(PORT),
        WEB_CONCURRENCY=str(workers),
    )
    return env


def start_gunicorn(workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py", "lms.wsgi"],
        cwd=ROOT,
        env=gunicorn_env(workers),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited with {server.returncode}") from None
            time.sleep(0.3)
    stop_gunicorn(server)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def timed_get(path: str, cookie: str) -> tuple[float, int]:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        return (time.perf_counter() - started) * 1000, response.status


def run_wrk(path: str, cookie: str, *, duration: int, connections: int) -> Result:
    command = [
        "wrk",
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=30s",
        f"--script={Path(__file__).with_name('wrk_session.lua')}",
        f"http://127.0.0.1:{PORT}{path}",
    ]
    output = subprocess.run(
        command,
        env={**os.environ, "BENCH_COOKIE": cookie},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    fields = {key: int(value) for key, value in (part.split("=") for part in line.split()[1:])}
    return Result(
        requests_per_second=fields["requests"] / (fields["duration_us"] / 1e6),
        p50_ms=fields["p50_us"] / 1000,
        p95_ms=fields["p95_us"] / 1000,
        p99_ms=fields["p99_us"] / 1000,
        errors=fields["socket_errors"] + fields["status_errors"],
    )


def http_pages(bench) -> list[tuple[str, str, str]]:
    """(name, path, user) of the pages to drive: bench/pages.py's that need no preparation
    between requests, and the demo student's grades and a discussion thread."""
    from community.models import DiscussionThread

    chosen = []
    for page in pages.PAGES:
        url = page.url(bench)
        if page.before_each is None and url and not url.startswith("?"):
            chosen.append((page.name, url, page.as_user))
    ids = pages.demo_objects()
    grades = pages._reverse("portal:grades", offering_id=ids["offering_id"])
    if grades:
        chosen.append(("demo: grades", grades, pages.DEMO_STUDENT))
    thread = (
        DiscussionThread.objects.filter(course_offering_id=ids["offering_id"])
        .order_by("pk")
        .first()
    )
    url = thread and pages._reverse(
        "portal:thread", offering_id=ids["offering_id"], thread_id=thread.pk
    )
    if url:
        chosen.append(("demo: discussion thread", url, pages.DEMO_STUDENT))
    return chosen


def cookie_for(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def query_count(user, path: str) -> tuple[int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    return len(queries), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per page (20)")
    parser.add_argument("--connections", type=int, default=16, help="open connections (16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--quick", action="store_true", help="3 s per page")
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    duration = 3 if args.quick else args.duration
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install -y wrk")

    pages.ensure_database()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.http_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    bench = pages.load_or_build(args.rebuild)
    bare_path = reverse("bench-bare")
    chosen = [page for page in http_pages(bench) if args.only in page[0]]
    users = {who: pages.user_for(bench, who) for _, _, who in chosen}
    users.setdefault("student", bench.student)
    cookies = {who: cookie_for(user) for who, user in users.items()}
    counts = {path: query_count(users[who], path) for _, path, who in chosen}
    counts[bare_path] = query_count(users["student"], bare_path)
    outline = pages._reverse("portal:outline", offering_id=bench.big_offering.pk)

    server = start_gunicorn(args.workers)
    try:
        cold_ms, cold_status = timed_get(outline, cookies["student"])
        for _, path, who in [(BARE, bare_path, "student"), *chosen]:
            for _ in range(3):  # every worker warm
                timed_get(path, cookies[who])

        # The bare view runs between every two pages, so each page's ratio is taken against
        # the machine as it was just before and just after it.
        def bare_run() -> Result:
            return run_wrk(bare_path, cookies["student"], duration=duration, connections=16)

        bare = [bare_run()]
        results = {}
        for name, path, who in chosen:
            results[name] = run_wrk(
                path, cookies[who], duration=duration, connections=args.connections
            )
            bare.append(bare_run())
    finally:
        stop_gunicorn(server)

    bare_rates = [r.requests_per_second for r in bare]
    print(
        f"gunicorn {args.workers} workers, production settings; wrk {duration} s per page, "
        f"{args.connections} connections; database {pages.DATABASE_URL}"
    )
    print(
        f"bare view: {counts[bare_path][0]} queries, {min(bare_rates):.0f}-{max(bare_rates):.0f} "
        f"req/s (median {statistics.median(bare_rates):.0f}), p95 median "
        f"{statistics.median(r.p95_ms for r in bare):.1f} ms, {sum(r.errors for r in bare)} errors"
    )
    print(f"outline, first request after the start: {cold_ms:.0f} ms (status {cold_status})")
    header = f"{'page':<44} {'queries':>7} {'status':>6} {'req/s':>7} {'p50':>7} {'p95':>7}"
    print(f"{header} {'p99':>7} {'errors':>6} {'ratio':>6}")
    ratios = []
    for index, (name, path, _) in enumerate(chosen):
        result = results[name]
        around = statistics.mean(bare_rates[index : index + 2])
        ratio = result.requests_per_second / around
        ratios.append(ratio)
        queries, status = counts[path]
        print(
            f"{name:<44} {queries:>7} {status:>6} {result.requests_per_second:>7.1f} "
            f"{result.p50_ms:>7.1f} {result.p95_ms:>7.1f} {result.p99_ms:>7.1f} "
            f"{result.errors:>6} {ratio:>6.1%}"
        )
    if ratios:
        # A mix spends on each page its time per request: its share of the bare view's rate
        # is the harmonic mean of the pages' shares.
        print(
            f"{'page mix (harmonic mean of the ratios)':<44} "
            f"{statistics.harmonic_mean(ratios):>62.1%}"
        )


if __name__ == "__main__":
    main()
