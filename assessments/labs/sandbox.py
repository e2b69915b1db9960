"""Runners that execute a lab's hidden tests against a submission.

`LAB_RUNNER` names the runner class (a dotted path). Both runners copy the files into a fresh
scratch directory, start `harness.py` there with the lab's limits, read its per-test results and
remove the directory, whatever happened.

`SubprocessRunner` (the default) runs the harness as a child process of the worker:

- limits: RLIMIT_CPU (the wall time at the lab's cores), RLIMIT_AS (`memory_limit`),
  RLIMIT_NPROC (`LAB_MAX_PROCESSES`), RLIMIT_FSIZE (`LAB_MAX_FILE_BYTES`), no core files; the
  wall time (`timeout_seconds`, at most `LAB_GRADING_MAX_SECONDS`) kills the whole process
  group, and with a PID namespace everything the code started;
- isolation: when `unshare` works on the host, the run gets its own network namespace (no
  interface but a downed loopback: no network at all) and PID namespace (nothing outlives the
  run, nothing else is visible). As root, unshare also switches to `LAB_SANDBOX_USER` (nobody);
  without root it uses a user namespace. Where unshare is missing or refused, the run falls
  back to a setuid in the child (as root) and, as everywhere, a Python-level guard in the
  harness that refuses internet sockets: best effort, documented as such in the README;
- a clean environment: a fixed PATH, HOME and TMPDIR in the scratch directory, no proxies, no
  worker secrets, plus the lab's `env` minus variables that change how programs load;
- the interpreter is `LAB_PYTHON`, or the worker's own Python when the sandbox user may run
  it, else the system's python3.

`ContainerRunner` (assessments.labs.container) is the production option: one `docker run` (or
podman: `LAB_CONTAINER_ENGINE`) of the lab's `container_image` per run, with `--network none`,
`--memory`, `--cpus`, `--pids-limit`, a read-only root and a read-only mount of the files, as
nobody, without capabilities.
"""

import errno
import functools
import json
import os
import pwd
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from assessments.labs.limits import Limits

HARNESS = Path(__file__).with_name("harness.py")


OUTPUT_TAIL_BYTES = 8 * 1024


SUPPORTED_RUNTIMES = ("python-datascience",)


# Variables of the lab's `env` that are never passed on: they change how programs load or where
# their traffic goes.
UNSAFE_ENV_PREFIXES = ("LD_", "PYTHON", "DYLD_")


UNSAFE_ENV_NAMES = {"http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "no_proxy", "path"}


BASE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONHASHSEED": "0",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
}


SIGNAL_REASONS = {
    signal.SIGXCPU: "it used up its CPU time ({cpu} s)",
    signal.SIGXFSZ: "it wrote more than the file size limit",
    signal.SIGKILL: "it was killed (the CPU time or memory limit)",
    signal.SIGSEGV: "it crashed (segmentation fault, often the memory limit)",
    signal.SIGABRT: "it aborted (often the memory limit)",
}


class LabSetupError(Exception):
    """The lab cannot be graded as configured (a runtime the runner cannot run, a missing file);
    grading more often will not help, so the submission gets the error status with this text."""


@dataclass(frozen=True)
class LabJob:
    """What one grading run needs. `files` are written in order (starter files, then the
    submission, then the hidden tests, so a submission cannot replace a test); `tests` are the
    hidden test paths the harness runs."""

    runtime: str
    container_image: str
    files: dict[str, bytes]
    tests: list[str]
    limits: Limits
    env: dict[str, str] = field(default_factory=dict)
    label: str = "lab"


@dataclass
class RunOutcome:
    """The harness's results and what stopped the run early, if anything (`reason`)."""

    tests: list[dict[str, Any]]
    finished: bool
    reason: str = ""
    stdout: str = ""
    stderr: str = ""
    duration_ms: int = 0
    sandbox: dict[str, Any] = field(default_factory=dict)


class LabRunner(Protocol):
    name: str

    def run(self, job: LabJob) -> RunOutcome: ...


def lab_runner() -> LabRunner:
    """The runner the `LAB_RUNNER` setting names."""
    return import_string(settings.LAB_RUNNER)()


def clean_env(extra: dict[str, str], home: str) -> dict[str, str]:
    env = dict(BASE_ENV, HOME=home, TMPDIR=home)
    for name, value in extra.items():
        if name.lower() in UNSAFE_ENV_NAMES or name.upper().startswith(UNSAFE_ENV_PREFIXES):
            continue
        env[name] = value
    return env


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise LabSetupError(f"unsafe file path {name!r}")
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or target.is_dir():
            raise LabSetupError(f"{name} is both a folder and a file")
        target.write_bytes(data)


def _tail(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - OUTPUT_TAIL_BYTES))
            data = handle.read()
    except OSError:
        return ""
    text = data.decode("utf-8", "replace")
    return f"…{text}" if size > OUTPUT_TAIL_BYTES else text


def read_results(path: Path) -> tuple[list[dict[str, Any]], bool]:
    """The harness's test records and whether it reported the end of the run."""
    tests: list[dict[str, Any]] = []
    done = False
    try:
        lines = path.read_bytes().splitlines()
    except OSError:
        return tests, done
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        if record.get("done") is True:
            done = True
        elif isinstance(record.get("name"), str) and record.get("outcome") in (
            "passed",
            "failed",
            "error",
        ):
            tests.append(
                {
                    "name": record["name"],
                    "outcome": record["outcome"],
                    "message": str(record.get("message") or "")[:2000],
                    "duration_ms": int(record.get("duration_ms") or 0),
                }
            )
    return tests, done


def stop_reason(*, timed_out: bool, signal_number: int | None, limits: Limits) -> str:
    if timed_out:
        return f"Time limit exceeded: the run was stopped after {limits.wall_seconds} s."
    if signal_number:
        template = SIGNAL_REASONS.get(signal_number, "it was stopped by signal {signal}")
        text = template.format(cpu=limits.cpu_seconds, signal=signal_number)
        return f"The run ended early: {text}."
    return "The run ended before all tests reported a result."


def _world_runnable(path: str) -> bool:
    """Whether a user without any relation to the file's owner may run it (every folder on
    the way searchable, the file readable and executable by others)."""
    real = Path(os.path.realpath(path))
    try:
        for folder in real.parents:
            if not folder.stat().st_mode & stat.S_IXOTH:
                return False
        mode = real.stat().st_mode
    except OSError:
        return False
    return bool(mode & stat.S_IROTH and mode & stat.S_IXOTH)


def _processes_of(uid: int) -> int:
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += 1
            except OSError:
                continue
    return count


def _await_exit(uid: int, seconds: float = 3.0) -> None:
    """Wait until the killed processes of the sandbox user are gone (reaped by init), so the
    next run does not find the process limit used up by the last one's leftovers."""
    deadline = time.monotonic() + seconds
    while _processes_of(uid) and time.monotonic() < deadline:
        time.sleep(0.05)


@functools.cache
def _works(command: tuple[str, ...]) -> bool:
    try:
        done = subprocess.run(
            [*command, "/bin/true"], capture_output=True, timeout=10, check=False, env=BASE_ENV
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


@dataclass(frozen=True)
class Isolation:
    prefix: tuple[str, ...]
    uid: int | None  # switch to this user in the child (fallback as root)
    gid: int | None
    user: str
    namespaces: bool


def isolation() -> Isolation:
    """How this host can isolate a run, probed once per process."""
    return _isolation(settings.LAB_SANDBOX_USER, settings.LAB_USE_NAMESPACES)


@functools.cache
def _isolation(user: str, use_namespaces: bool) -> Isolation:
    unshare = shutil.which("unshare")
    if os.geteuid() == 0:
        entry = pwd.getpwnam(user)
        uid, gid = entry.pw_uid, entry.pw_gid
        if unshare and use_namespaces:
            prefix = (
                unshare,
                "--net",
                "--pid",
                "--fork",
                "--kill-child",
                f"--setgid={gid}",
                f"--setuid={uid}",
            )
            if _works(prefix):
                return Isolation(prefix, None, None, user, True)
        return Isolation((), uid, gid, user, False)
    current = pwd.getpwuid(os.geteuid()).pw_name
    if unshare and use_namespaces:
        prefix = (unshare, "--user", "--net", "--pid", "--fork", "--kill-child")
        if _works(prefix):
            return Isolation(prefix, None, None, current, True)
    return Isolation((), None, None, current, False)


def sandbox_python(iso: Isolation) -> str:
    if settings.LAB_PYTHON:
        return settings.LAB_PYTHON
    switches_user = os.geteuid() == 0
    candidates = [sys.executable, "/usr/local/bin/python3", "/usr/bin/python3"]
    for candidate in candidates:
        if os.path.exists(candidate) and (not switches_user or _world_runnable(candidate)):
            return candidate
    raise LabSetupError("No Python interpreter the sandbox user may run; set LAB_PYTHON.")


class SubprocessRunner:
    name = "subprocess"

    def run(self, job: LabJob) -> RunOutcome:
        if job.runtime not in SUPPORTED_RUNTIMES:
            raise LabSetupError(
                f"The runtime {job.runtime!r} needs the container runner; "
                "this server grades Python labs only."
            )
        iso = isolation()
        python = sandbox_python(iso)
        base = Path(tempfile.mkdtemp(prefix="lab-run-"))
        try:
            return self._run_in(base, job, iso, python)
        finally:
            shutil.rmtree(base, ignore_errors=True)

    def _run_in(self, base: Path, job: LabJob, iso: Isolation, python: str) -> RunOutcome:
        limits = job.limits
        work = base / "work"
        work.mkdir()
        write_tree(work, job.files)
        harness = base / "harness.py"
        shutil.copyfile(HARNESS, harness)
        harness.chmod(0o644)
        owner = self._owner(iso)
        if owner is not None:
            base.chmod(0o711)
            for folder, _dirs, files in os.walk(work):
                os.chown(folder, *owner)
                for name in files:
                    os.chown(os.path.join(folder, name), *owner)
        results_path, out_path, err_path = base / "results", base / "stdout", base / "stderr"
        command = [
            *iso.prefix,
            *(("/bin/sh", "-c", '"$@"; exit $?', "sh") if iso.namespaces else ()),
            python,
            "-I",
            "-B",
            str(harness),
            "--workdir",
            str(work),
            "--memory-limit",
            limits.memory_label,
            "--block-network",
        ]
        nproc = limits.processes
        if os.geteuid() != 0:
            # RLIMIT_NPROC counts every process of the user, the worker's included.
            nproc += _processes_of(os.geteuid())
        started = time.monotonic()
        timed_out = False
        with (
            results_path.open("wb") as results,
            out_path.open("wb") as out,
            err_path.open("wb") as err,
        ):
            command += ["--results-fd", str(results.fileno()), *job.tests]

            def child_setup() -> None:  # runs in the child between fork and exec
                cpu = limits.cpu_seconds
                resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
                resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
                resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
                resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
                resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
                if iso.uid is not None:
                    os.setgroups([])
                    os.setgid(iso.gid)
                    os.setuid(iso.uid)

            proc = subprocess.Popen(
                command,
                cwd=work,
                env=clean_env(job.env, str(work)),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                pass_fds=(results.fileno(),),
                start_new_session=True,
                preexec_fn=child_setup,
            )
            try:
                returncode = proc.wait(timeout=limits.wall_seconds)
            except subprocess.TimeoutExpired:
                timed_out = True
                returncode = None
            finally:
                # The whole group goes, also what the code left running after a normal end.
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError as exc:
                    if exc.errno not in (errno.ESRCH, errno.EPERM):
                        raise
                proc.wait()
                if owner is not None:
                    _await_exit(owner[0])
        tests, done = read_results(results_path)
        signal_number = None
        if returncode is not None and returncode < 0:
            signal_number = -returncode
        elif returncode is not None and iso.namespaces and returncode > 128:
            signal_number = returncode - 128
        finished = done and not timed_out
        return RunOutcome(
            tests=tests,
            finished=finished,
            reason=""
            if finished
            else stop_reason(timed_out=timed_out, signal_number=signal_number, limits=limits),
            stdout=_tail(out_path),
            stderr=_tail(err_path),
            duration_ms=int((time.monotonic() - started) * 1000),
            sandbox={
                "runner": self.name,
                "user": iso.user,
                "namespaces": iso.namespaces,
                "limits": limits.as_json(),
            },
        )

    def _owner(self, iso: Isolation) -> tuple[int, int] | None:
        if os.geteuid() != 0:
            return None
        entry = pwd.getpwnam(iso.user)
        return entry.pw_uid, entry.pw_gid
