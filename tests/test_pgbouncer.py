"""The product works through a real PgBouncer in transaction mode (scripts/pooler_smoke.py)."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.servers

ROOT = Path(__file__).resolve().parent.parent
SMOKE = ROOT / "scripts" / "pooler_smoke.py"
PGBOUNCER = Path("/usr/sbin/pgbouncer")
PORT = 6442
DATABASE = "lms_pooler_smoke"
# Fewer server connections than the smoke script's threads, so their transactions interleave.
POOL_SIZE = 3


def _as_postgres(command: list[str]) -> list[str]:
    """PgBouncer refuses to run as root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


PSQL = ("psql", "-X", "-At", "-h", "127.0.0.1", "-U", "postgres")


def _psql(sql: str, *, port: int = 5432, database: str = "postgres") -> str:
    out = subprocess.run(
        [*PSQL, "-p", str(port), "-d", database, "-c", sql],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if out.returncode != 0:
        raise subprocess.CalledProcessError(out.returncode, sql, out.stdout, out.stderr)
    return out.stdout.strip()


CONFIG = """\
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir = {directory}
pidfile = {directory}/pgbouncer.pid
logfile = {directory}/pgbouncer.log
auth_type = trust
auth_file = {directory}/userlist.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options
stats_period = 1
"""


@pytest.fixture(scope="module")
def pgbouncer() -> Iterator[Path]:
    """PgBouncer in transaction mode on 127.0.0.1:6442 in front of the local PostgreSQL, run in
    the foreground as a child process (as the postgres user when the tests run as root)."""
    if not PGBOUNCER.exists():
        pytest.fail("PgBouncer is missing: apt-get install pgbouncer (scripts/test.sh does)")
    directory = Path(tempfile.mkdtemp(prefix="lms-pgbouncer-"))
    (directory / "pgbouncer.ini").write_text(
        CONFIG.format(port=PORT, directory=directory, pool_size=POOL_SIZE)
    )
    (directory / "userlist.txt").write_text('"postgres" ""\n')
    if os.geteuid() == 0:
        for path in (directory, *directory.iterdir()):
            shutil.chown(path, "postgres", "postgres")
    server = subprocess.Popen(
        _as_postgres([str(PGBOUNCER), str(directory / "pgbouncer.ini")]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                _psql("SHOW VERSION", port=PORT, database="pgbouncer")
                break
            except subprocess.CalledProcessError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = directory / "pgbouncer.log"
                    pytest.fail(
                        f"PgBouncer did not start: {log.read_text() if log.exists() else ''}"
                    )
                time.sleep(0.2)
        yield directory
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(directory)


def _smoke(database_url: str, pooler: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATABASE_POOLER": pooler,
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }
    return subprocess.run(
        [sys.executable, str(SMOKE)], capture_output=True, text=True, env=env, timeout=180
    )


def _transactions_through_pgbouncer() -> int:
    for row in _psql("SHOW STATS", port=PORT, database="pgbouncer").splitlines():
        fields = row.split("|")
        if fields[0] == DATABASE:
            return int(fields[1])
    return 0


def test_the_workload_runs_through_pgbouncer_in_transaction_mode(pgbouncer):
    _psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _psql(f"CREATE DATABASE {DATABASE}")
    try:
        result = _smoke(f"postgres://postgres@127.0.0.1:{PORT}/{DATABASE}", "pgbouncer")
        assert result.returncode == 0, result.stderr[-3000:]
        assert result.stdout.splitlines() == [
            "ok: migrated",
            "ok: quiz attempt submitted, 6.00 of 6.00",
            "ok: enrolled a newcomer",
            "ok: 5 pages served",
            "ok: iterated 2 users",
            "ok: 6 concurrent enrollments",
            "pooler smoke ok",
        ]
        config = _psql("SHOW CONFIG", port=PORT, database="pgbouncer").splitlines()
        assert next(row for row in config if row.startswith("pool_mode|")).split("|")[1] == (
            "transaction"
        )
        time.sleep(1.5)  # stats_period: the totals below are refreshed every second
        # The work went through PgBouncer, which holds at most POOL_SIZE server connections.
        transactions = _transactions_through_pgbouncer()
        assert transactions > 200  # about 400: the migrations, the workload and its pages
        servers = _psql(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{DATABASE}'")
        assert 1 <= int(servers) <= POOL_SIZE
    finally:
        _psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def test_the_smoke_script_refuses_to_run_without_the_pooler_setting():
    result = _smoke(f"postgres://postgres@127.0.0.1:{PORT}/{DATABASE}", "")
    assert result.returncode == 2
    assert "set DATABASE_POOLER=pgbouncer" in result.stderr
