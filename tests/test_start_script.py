"""scripts/start.sh and gunicorn.conf.py run beside an instance that already serves: the script
says so and starts nothing; gunicorn instances keep control sockets of their own."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_start_refuses_a_port_that_already_serves_and_says_how_to_use_another(tmp_path):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        log = ROOT / "celery.log"
        before = log.stat().st_size if log.exists() else None
        result = subprocess.run(
            ["bash", "scripts/start.sh"],
            cwd=ROOT,
            env={**os.environ, "PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert f"something already serves http://127.0.0.1:{port}/" in result.stderr
    assert "PORT=8001 bash scripts/start.sh" in result.stderr
    assert "Migrations" not in result.stdout + result.stderr
    assert (log.stat().st_size if log.exists() else None) == before


def wait_for(path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"{path} did not appear")
        time.sleep(0.2)


def test_gunicorn_instances_keep_their_own_control_sockets():
    ports = [free_port(), free_port()]
    sockets = [ROOT / ".run" / f"gunicorn-127.0.0.1_{port}.ctl" for port in ports]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "lms.wsgi"],
            cwd=ROOT,
            env={**os.environ, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for path in sockets:
            wait_for(path)
        servers[0].send_signal(signal.SIGTERM)
        servers[0].wait(timeout=30)
        time.sleep(0.5)
        assert not sockets[0].exists()
        assert sockets[1].exists()
        assert servers[1].poll() is None
    finally:
        for server in servers:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=30)
