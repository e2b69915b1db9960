"""The lab runners: the subprocess sandbox on real student code (passing, failing, endless
loops, memory hogs, fork bombs, network use), its fallback without namespaces, and the command
line of the container runner. No database needed."""

import os
import time
from pathlib import Path

import pytest

from assessments.labs import sandbox
from assessments.labs.container import ContainerRunner
from assessments.labs.limits import Limits, cpu_cores, limits_for, memory_bytes
from assessments.labs.sandbox import LabJob, LabSetupError, SubprocessRunner

HIDDEN = b"""
from solution import add

def test_adds():
    assert add(2, 3) == 5

def test_opposites():
    assert add(-1, 1) == 0, "opposites add up to zero"
"""

LIMITS = Limits(
    cpu_cores=1, memory_bytes=256 * 1024**2, wall_seconds=5, processes=16, file_bytes=1 << 20
)


def job(solution: bytes, *, limits: Limits = LIMITS, runtime="python-datascience", **extra):
    files = {"solution.py": solution, "tests/test_hidden.py": HIDDEN}
    return LabJob(
        runtime=runtime,
        container_image="registry.example.edu/labs/python:3.12",
        files=files,
        tests=["tests/test_hidden.py"],
        limits=limits,
        **extra,
    )


def outcomes(outcome) -> list[tuple[str, str]]:
    return [(t["name"], t["outcome"]) for t in outcome.tests]


@pytest.fixture(params=["namespaces", "fallback"])
def runner(request, settings):
    settings.LAB_USE_NAMESPACES = request.param == "namespaces"
    if request.param == "namespaces" and not sandbox.isolation().namespaces:
        pytest.skip("this host does not allow unshare")
    return SubprocessRunner()


def test_passing_submission_passes_every_test(runner):
    outcome = runner.run(job(b"def add(a, b):\n    return a + b\n"))

    assert outcome.finished is True
    assert outcome.reason == ""
    assert outcomes(outcome) == [
        ("tests/test_hidden.py::test_adds", "passed"),
        ("tests/test_hidden.py::test_opposites", "passed"),
    ]


def test_failing_submission_fails_with_the_assertion(runner):
    outcome = runner.run(job(b"def add(a, b):\n    return a - b\n"))

    assert outcome.finished is True
    assert outcomes(outcome) == [
        ("tests/test_hidden.py::test_adds", "failed"),
        ("tests/test_hidden.py::test_opposites", "failed"),
    ]
    assert outcome.tests[0]["message"] == "assertion failed (tests/test_hidden.py, line 5)"
    assert outcome.tests[1]["message"] == (
        "AssertionError: opposites add up to zero (tests/test_hidden.py, line 8)"
    )


def test_syntax_error_is_reported_for_the_test_file(runner):
    outcome = runner.run(job(b"def add(a, b)\n    return a + b\n"))

    assert outcomes(outcome) == [("tests/test_hidden.py", "error")]
    assert outcome.tests[0]["message"].startswith("SyntaxError:")


def test_endless_loop_is_stopped_at_the_wall_time(runner):
    limits = Limits(
        cpu_cores=1, memory_bytes=256 * 1024**2, wall_seconds=2, processes=16, file_bytes=1 << 20
    )
    started = time.monotonic()

    outcome = runner.run(job(b"def add(a, b):\n    while True:\n        pass\n", limits=limits))

    assert time.monotonic() - started < 6
    assert outcome.finished is False
    assert outcome.tests == []
    assert outcome.reason in (
        "Time limit exceeded: the run was stopped after 2 s.",
        "The run ended early: it used up its CPU time (2 s).",
    )


def test_memory_hog_gets_a_memory_error(runner):
    hog = (
        b"def add(a, b):\n"
        b"    chunks = []\n"
        b"    for _ in range(60):\n"  # 600 MiB at most, over the 256 MiB limit
        b"        chunks.append(bytearray(10 * 2**20))\n"
        b"    return a + b\n"
    )

    outcome = runner.run(job(hog))

    assert outcome.finished is True
    assert outcomes(outcome) == [
        ("tests/test_hidden.py::test_adds", "failed"),
        ("tests/test_hidden.py::test_opposites", "failed"),
    ]
    assert outcome.tests[0]["message"] == (
        "MemoryError: ran out of memory (the lab's limit is 256 MiB)"
    )


def test_fork_bomb_hits_the_process_limit(runner):
    # Bounded by itself too: 200 children that sleep a few seconds and leave.
    bomb = (
        b"import os, time\n"
        b"def add(a, b):\n"
        b"    for _ in range(200):\n"
        b"        if os.fork() == 0:\n"
        b"            time.sleep(3)\n"
        b"            os._exit(0)\n"
        b"    return a + b\n"
    )
    started = time.monotonic()

    outcome = runner.run(job(bomb))

    assert time.monotonic() - started < 5
    assert outcome.finished is True
    assert outcomes(outcome)[0] == ("tests/test_hidden.py::test_adds", "failed")
    assert outcome.tests[0]["message"] == (
        "BlockingIOError: could not start another process (the lab's process limit was reached)"
    )


def test_network_attempt_is_refused(runner):
    code = (
        b"import socket\n"
        b"def add(a, b):\n"
        b"    socket.create_connection(('192.0.2.1', 80), timeout=2)\n"
        b"    return a + b\n"
    )

    outcome = runner.run(job(code))

    assert outcomes(outcome)[0] == ("tests/test_hidden.py::test_adds", "failed")
    assert outcome.tests[0]["message"] == (
        "NetworkBlocked: network access is disabled in the lab sandbox"
    )


def test_raw_socket_has_no_network_in_the_namespace(settings):
    settings.LAB_USE_NAMESPACES = True
    if not sandbox.isolation().namespaces:
        pytest.skip("this host does not allow unshare")
    code = (
        b"import _socket\n"
        b"def add(a, b):\n"
        b"    s = _socket.socket(2, 1)\n"
        b"    s.settimeout(2)\n"
        b"    s.connect(('192.0.2.1', 80))\n"
        b"    return a + b\n"
    )

    outcome = SubprocessRunner().run(job(code))

    assert outcome.tests[0]["outcome"] == "failed"
    assert outcome.tests[0]["message"] == (
        "OSError: network access is disabled in the lab sandbox (Network is unreachable)"
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="switching users needs root")
def test_code_runs_as_the_unprivileged_user_with_a_clean_environment(runner, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.edu:3128")
    monkeypatch.setenv("DATABASE_URL", "postgres://secret@db/lms")
    code = (
        b"import os, pwd\n"
        b"def add(a, b):\n"
        b"    assert pwd.getpwuid(os.getuid()).pw_name == 'nobody', os.getuid()\n"
        b"    assert 'DATABASE_URL' not in os.environ\n"
        b"    assert 'HTTPS_PROXY' not in os.environ and 'https_proxy' not in os.environ\n"
        b"    assert os.environ['LAB_SLUG'] == 'demo'\n"
        b"    assert 'LD_PRELOAD' not in os.environ\n"
        b"    return a + b\n"
    )

    outcome = runner.run(
        job(code, env={"LAB_SLUG": "demo", "LD_PRELOAD": "/tmp/x.so", "https_proxy": "x"})
    )

    assert [t["message"] for t in outcome.tests] == ["", ""]


def test_scratch_directory_is_removed(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox.tempfile, "tempdir", str(tmp_path))

    runner.run(job(b"def add(a, b):\n    return a + b\n"))

    assert list(tmp_path.iterdir()) == []


def test_unsupported_runtime_is_a_setup_error():
    with pytest.raises(LabSetupError, match="'matlab' needs the container runner"):
        SubprocessRunner().run(job(b"", runtime="matlab"))


def test_limits_from_the_payload(settings):
    settings.LAB_GRADING_MAX_SECONDS = 120
    settings.LAB_MAX_PROCESSES = 32
    limits = limits_for({"cpu_limit": "500m", "memory_limit": "2Gi", "timeout_seconds": 5400})

    assert (limits.cpu_cores, limits.memory_bytes, limits.wall_seconds) == (0.5, 2 * 1024**3, 120)
    assert (limits.cpu_seconds, limits.processes, limits.memory_label) == (60, 32, "2 GiB")
    assert memory_bytes("512M") == 512_000_000
    assert cpu_cores("2") == 2.0
    with pytest.raises(ValueError, match="not a memory amount"):
        memory_bytes("lots")


def test_container_runner_command_line(settings):
    settings.LAB_CONTAINER_ENGINE = "podman"
    limits = Limits(
        cpu_cores=0.5, memory_bytes=512 * 1024**2, wall_seconds=30, processes=64, file_bytes=4096
    )
    lab = job(b"", limits=limits, env={"LAB_SLUG": "demo", "http_proxy": "x"}, label="lab-7")

    command = ContainerRunner().command(
        lab, work=Path("/s/work"), harness_dir=Path("/s/harness"), out=Path("/s/out"), name="n1"
    )

    assert command[:3] == ["podman", "run", "--rm"]
    pairs = {command[i]: command[i + 1] for i in range(len(command) - 1)}
    assert pairs["--network"] == "none"
    assert pairs["--memory"] == str(512 * 1024**2)
    assert pairs["--memory-swap"] == str(512 * 1024**2)
    assert pairs["--cpus"] == "0.5"
    assert pairs["--pids-limit"] == "64"
    assert pairs["--user"] == "65534:65534"
    assert pairs["--cap-drop"] == "ALL"
    assert pairs["--name"] == "n1"
    assert "--read-only" in command
    assert "type=bind,source=/s/work,target=/lab/work,readonly" in command
    assert "type=bind,source=/s/harness,target=/lab/harness,readonly" in command
    assert "type=bind,source=/s/out,target=/lab/out" in command
    envs = [command[i + 1] for i, part in enumerate(command) if part == "--env"]
    assert "LAB_SLUG=demo" in envs
    assert not any(e.lower().startswith("http_proxy") for e in envs)
    image_at = command.index("registry.example.edu/labs/python:3.12")
    assert command[image_at + 1 :] == [
        "python3",
        "-I",
        "-B",
        "/lab/harness/harness.py",
        "--workdir",
        "/lab/work",
        "--results-file",
        "/lab/out/results",
        "--memory-limit",
        "512 MiB",
        "--block-network",
        "tests/test_hidden.py",
    ]


def test_lab_runner_follows_the_setting(settings):
    settings.LAB_RUNNER = "assessments.labs.container.ContainerRunner"
    assert isinstance(sandbox.lab_runner(), ContainerRunner)
    settings.LAB_RUNNER = "assessments.labs.sandbox.SubprocessRunner"
    assert isinstance(sandbox.lab_runner(), SubprocessRunner)
