"""The set-up scripts' checks of PostgreSQL and Redis: a missing database is created, and an
unreachable service stops the run with a message saying how to provide one."""

import os
import socket
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.conf import settings
from django.db import connection

ROOT = settings.BASE_DIR


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def ensure_postgres(**env: str) -> subprocess.CompletedProcess:
    """scripts/lib.sh's ensure_postgres, with this interpreter as the virtualenv's python."""
    script = f'source scripts/lib.sh; PY="{sys.executable}"; ensure_postgres'
    return run(["bash", "-c", script], **env)


def test_unreachable_postgresql_stops_with_how_to_provide_one():
    url = f"postgres://postgres@127.0.0.1:{free_port()}/lms_nowhere"
    result = ensure_postgres(DATABASE_URL=url)
    assert result.returncode == 1
    assert "PostgreSQL not reachable at " + url in result.stderr
    assert "error: PostgreSQL is needed." in result.stderr
    assert (
        "docker compose -f docker-compose.yml -f docker-compose.services.yml up -d db redis"
        in result.stderr
    )
    assert "set DATABASE_URL" in result.stderr


@pytest.mark.django_db
def test_a_missing_database_is_created():
    db = connection.settings_dict
    name = f"lms_setup_{uuid.uuid4().hex[:12]}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    try:
        first = ensure_postgres(DATABASE_URL=url)
        assert first.returncode == 0, first.stderr
        assert f"created database '{name}'" in first.stdout
        second = ensure_postgres(DATABASE_URL=url)
        assert second.returncode == 0, second.stderr
        assert f"database '{name}' present" in second.stdout
    finally:
        with psycopg.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_unreachable_redis_is_reported_with_its_address():
    url = f"redis://127.0.0.1:{free_port()}/0"
    result = run([sys.executable, "scripts/preflight.py", "redis"], REDIS_URL=url)
    assert result.returncode == 11
    assert f"Redis not reachable at {url}" in result.stderr
