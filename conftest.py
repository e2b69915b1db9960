"""Fixtures shared by every app's tests: Playwright driving the system's Chromium against
Django's live server (tests marked `browser`), and a real Celery worker consuming the local
Redis and reading the test database (tests marked `worker`)."""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
# The worker and the test roll a learner's grade up this soon after a score (5 s by default).
WORKER_COALESCE_SECONDS = 1


@pytest.fixture(autouse=True)
def _empty_local_cache():
    """Each test starts with an empty in-process cache: user ids repeat between tests, so a
    count cached by one test (the header's unread notifications) must not reach the next and
    change its pinned queries; the same goes for the outline kept in this process by course and
    version, which a later test's course of the same id could otherwise be shown. A shared
    cache (Redis, CACHE_URL) is left alone."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from content.selectors import outline_cache_clear

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
    outline_cache_clear()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; scripts/test.sh installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Opens a page in a browser context of its own (another person beside `page`); every
    context it opened is closed after the test."""
    contexts = []

    def open_page(width: int = 1280, height: int = 900):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        contexts.append(context)
        opened = context.new_page()
        opened.set_default_timeout(10_000)
        return opened

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/screenshots/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def artifacts_dir() -> Path:
    """Where screenshots go; created on first use."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def tasks_in_process(settings, tmp_path):
    """Celery tasks run in-process (eager), stored files under a temporary media root."""
    from lms.celery import app as celery_app

    settings.MEDIA_ROOT = tmp_path
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@dataclass
class Worker:
    """A running worker: where it stores files, its log for failure messages, its process."""

    media: Path
    log: Path
    process: subprocess.Popen | None = None

    def wait_for(self, condition: Callable[[], Any], timeout: float, what: str) -> Any:
        """Poll `condition` until it returns something truthy (returned), failing with the
        worker's log after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.2)
        pytest.fail(f"timed out waiting for {what}; worker log:\n{self.log.read_text()[-4000:]}")

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once, as an out-of-memory kill or a
        lost machine would: nothing is acknowledged or cleaned up."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _worker_env(settings, media: Path, extra: dict[str, str]) -> dict[str, str]:
    from django.db import connection

    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(media),
        "DATABASE_CONN_MAX_AGE": "0",
        "GRADE_ROLLUP_COALESCE_SECONDS": str(WORKER_COALESCE_SECONDS),
        **extra,
    }
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return env


@pytest.fixture
def start_worker(tmp_path, settings):
    """Start Celery worker subprocesses on REDIS_URL that read the test database, so they see
    what the test commits (use with `django_db(transaction=True)`): `start_worker(beat=True)`
    also runs the beat schedule in it, `env={...}` sets its environment. Tasks the test process
    (and its live server) enqueue go to them; grade rollups follow a score after
    WORKER_COALESCE_SECONDS in both processes, and both store files under `worker.media`.
    Every worker started is stopped after the test."""
    import redis
    from celery.result import allow_join_result

    from lms.celery import app as celery_app

    try:
        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.fail(f"Redis at {settings.CELERY_BROKER_URL} does not answer")
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    settings.GRADE_ROLLUP_COALESCE_SECONDS = WORKER_COALESCE_SECONDS
    celery_app.control.purge()
    started: list[Worker] = []

    def start(*, beat: bool = False, env: dict[str, str] | None = None) -> Worker:
        number = len(started) + 1
        log = tmp_path / f"worker-{number}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--queues=labs,grades,email,default",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            f"--hostname=test-worker-{os.getpid()}-{number}@%h",
        ]
        if beat:
            command += ["--beat", f"--schedule={tmp_path / f'beat-{number}'}"]
        with log.open("wb") as output:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=_worker_env(settings, media, env or {}),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        running = Worker(media=media, log=log, process=process)
        started.append(running)
        running.wait_for(lambda: b"ready." in log.read_bytes(), 20, "the worker to start")
        return running

    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        # Eager tasks mark "joining would block" in one process-wide flag and restore it on the
        # way out; two threads doing that at once (a test and its live server, under
        # tasks_in_process) can leave it set, and every later result.get() here would refuse.
        with allow_join_result():
            yield start
    finally:
        celery_app.conf.task_always_eager = eager
        for running in started:
            running.stop()


@pytest.fixture
def worker(start_worker):
    """One running worker (see start_worker)."""
    return start_worker()


# A port where nothing listens: the broker as the web process sees it during an outage.
NO_BROKER_URL = "redis://127.0.0.1:9/0"


@pytest.fixture
def broker_away():
    """The broker unreachable from this process (the test and its live server) until the
    returned `back()` is called or the test ends; workers keep theirs."""
    from lms.celery import app as celery_app
    from tests.faults import use_broker

    before = celery_app.conf.broker_url
    use_broker(celery_app, NO_BROKER_URL)

    def back() -> None:
        use_broker(celery_app, before)

    yield back
    back()


# Tests that start or break real servers, fuzz every page, or walk a whole term in a browser:
# they run in CI (CI=true), with LMS_ALL_TESTS=1, when a marker is selected (-m) or when their
# files are named; a plain local run skips them so it stays quick.
HEAVY_MARKERS = ("fuzz", "fault", "servers", "slow")


def pytest_collection_modifyitems(config, items):
    everything = os.environ.get("CI") == "true" or os.environ.get("LMS_ALL_TESTS") == "1"
    named = any(arg not in ("", ".", str(config.rootpath)) for arg in config.args)
    if everything or named or config.getoption("markexpr"):
        return
    skip = pytest.mark.skip(
        reason="heavy: runs in CI (CI=true), with LMS_ALL_TESTS=1, or with -m <marker>"
    )
    for item in items:
        if any(item.get_closest_marker(name) for name in HEAVY_MARKERS):
            item.add_marker(skip)
