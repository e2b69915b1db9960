"""Runs a lab's hidden tests inside the sandbox and reports one JSON line per test.

This file is copied next to the submission and started by a runner with the sandbox's Python
(which may be older than the project's and has no Django), so it uses the standard library
only. Test files are pytest-style: every module-level function named `test_*` is a test, and a
plain `assert` fails it. A test file without such functions is a single test that passes when
the file runs to its end.

Results go to a file descriptor (or file) the runner opened, not to stdout, so what the
student's code prints cannot be mistaken for a result. Only the process that started the
harness writes results: a process forked by the student's code that returns into the harness
leaves silently.

The tests run in the student's process, so this is a grading aid, not a security boundary: the
runner's limits, namespaces and unprivileged user protect the machine.
"""

import argparse
import errno
import importlib.util
import json
import os
import socket
import sys
import time
import traceback

MAIN_PID = os.getpid()
NETWORK_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EACCES}
NETWORK_MESSAGE = "network access is disabled in the lab sandbox"


class NetworkBlocked(PermissionError):
    pass


def block_network() -> None:
    """Refuse internet sockets at the Python level. Best effort: the runner also starts the
    harness in a network namespace without interfaces when the host allows it."""
    real_socket = socket.socket

    class GuardedSocket(real_socket):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if fileno is None and family in (-1, socket.AF_INET, socket.AF_INET6):
                raise NetworkBlocked(errno.EACCES, NETWORK_MESSAGE)
            super().__init__(family, type, proto, fileno)

    def refuse(*args, **kwargs):
        raise NetworkBlocked(errno.EACCES, NETWORK_MESSAGE)

    socket.socket = GuardedSocket
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    socket.gethostbyname = refuse


class Reporter:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def write(self, record: dict) -> None:
        if os.getpid() != MAIN_PID:
            os._exit(0)
        data = (json.dumps(record) + "\n").encode()
        while data:
            written = os.write(self.fd, data)
            data = data[written:]


def _location(exc: BaseException, test_file: str) -> str:
    """Where in the test file the exception surfaced, as 'file, line N'."""
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if os.path.abspath(frame.filename) == os.path.abspath(test_file):
            return f"{os.path.relpath(frame.filename)}, line {frame.lineno}"
    if frames:
        last = frames[-1]
        return f"{os.path.relpath(last.filename)}, line {last.lineno}"
    return os.path.relpath(test_file)


def describe(exc: BaseException, test_file: str, memory_limit: str) -> str:
    if isinstance(exc, MemoryError):
        return f"MemoryError: ran out of memory (the lab's limit is {memory_limit})"
    if isinstance(exc, (NetworkBlocked, socket.gaierror)):
        return f"{type(exc).__name__}: {NETWORK_MESSAGE}"
    if isinstance(exc, OSError) and exc.errno == errno.EAGAIN:
        return (
            f"{type(exc).__name__}: could not start another process "
            "(the lab's process limit was reached)"
        )
    if isinstance(exc, OSError) and exc.errno in NETWORK_ERRNOS:
        return f"{type(exc).__name__}: {NETWORK_MESSAGE} ({exc.strerror})"
    if isinstance(exc, AssertionError):
        text = str(exc)
        where = _location(exc, test_file)
        return f"AssertionError: {text} ({where})" if text else f"assertion failed ({where})"
    if isinstance(exc, SystemExit):
        return f"the code called exit({exc.code!r})"
    text = str(exc)
    where = _location(exc, test_file)
    return f"{type(exc).__name__}: {text} ({where})" if text else f"{type(exc).__name__} ({where})"


def load(path: str, index: int):
    name = f"lab_hidden_test_{index}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_file(path: str, index: int, reporter: Reporter, memory_limit: str, workdir: str) -> None:
    started = time.monotonic()
    try:
        module = load(path, index)
    except BaseException as exc:  # the student's module failed to import, or the file failed
        if isinstance(exc, KeyboardInterrupt):
            raise
        reporter.write(
            {
                "name": path,
                "outcome": "error",
                "message": describe(exc, path, memory_limit),
                "duration_ms": int((time.monotonic() - started) * 1000),
            }
        )
        return
    tests = [
        (name, value)
        for name, value in vars(module).items()
        if name.startswith("test")
        and callable(value)
        and getattr(value, "__module__", None) == module.__name__
    ]
    if not tests:
        reporter.write(
            {
                "name": path,
                "outcome": "passed",
                "message": "",
                "duration_ms": int((time.monotonic() - started) * 1000),
            }
        )
        return
    for name, func in tests:
        started = time.monotonic()
        outcome, message = "passed", ""
        try:
            func()
        except AssertionError as exc:
            outcome, message = "failed", describe(exc, path, memory_limit)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            outcome, message = "failed", describe(exc, path, memory_limit)
        finally:
            os.chdir(workdir)
        reporter.write(
            {
                "name": f"{path}::{name}",
                "outcome": outcome,
                "message": message,
                "duration_ms": int((time.monotonic() - started) * 1000),
            }
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--results-fd", type=int)
    parser.add_argument("--results-file")
    parser.add_argument("--memory-limit", default="the configured amount")
    parser.add_argument("--block-network", action="store_true")
    parser.add_argument("tests", nargs="+")
    args = parser.parse_args(argv)
    if args.results_fd is not None:
        fd = args.results_fd
    else:
        fd = os.open(args.results_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    reporter = Reporter(fd)
    if args.block_network:
        block_network()
    os.chdir(args.workdir)
    sys.path.insert(0, args.workdir)
    sys.dont_write_bytecode = True
    for index, path in enumerate(args.tests):
        run_file(path, index, reporter, args.memory_limit, args.workdir)
    reporter.write({"done": True})
    return 0


if __name__ == "__main__":
    sys.exit(main())
