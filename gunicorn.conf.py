"""gunicorn's settings, read from the environment: `gunicorn -c gunicorn.conf.py lms.wsgi`.

BIND (default 127.0.0.1:PORT, PORT default 8000), WEB_CONCURRENCY (worker processes, default
3), GUNICORN_TIMEOUT (seconds a request may take before its worker is restarted, default 30).
LOG_FORMAT=json writes gunicorn's own lines (start, access log) as JSON too. With
PROMETHEUS_MULTIPROC_DIR set, the worker processes share their metrics through that folder:
it is created, cleared of files left by processes that no longer run, and an exited worker's
live samples are dropped.
"""

import os
import re
from pathlib import Path

bind = [os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = timeout
accesslog = "-"
# gunicorn's default access line, followed by the request's id (lms.observability).
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
)
if os.environ.get("LOG_FORMAT") == "json":
    logconfig_dict = {
        "formatters": {
            "generic": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        # As gunicorn's own set-up does: its lines go to its handlers only, not to the root's too.
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }
# One control socket per instance, named by its address: gunicorn's default is one file in the
# user's home folder, which every instance shares and the first to stop removes.
_run = Path(__file__).resolve().parent / ".run"
_run.mkdir(exist_ok=True)
control_socket = str(_run / ("gunicorn-" + re.sub(r"[^A-Za-z0-9.]+", "_", bind[0]) + ".ctl"))

_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _metrics_dir:
    Path(_metrics_dir).mkdir(parents=True, exist_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def on_starting(server) -> None:
    """Samples of processes that no longer run (an earlier start) would be summed forever."""
    if not _metrics_dir:
        return
    for path in Path(_metrics_dir).glob("*.db"):
        found = re.search(r"_(\d+)\.db$", path.name)
        if found and not _running(int(found.group(1))):
            path.unlink(missing_ok=True)


def child_exit(server, worker) -> None:
    if _metrics_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
