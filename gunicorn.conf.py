"""gunicorn's settings, read from the environment: `gunicorn -c gunicorn.conf.py lms.wsgi`.

BIND (default 127.0.0.1:PORT, PORT default 8000), WEB_CONCURRENCY (worker processes, default
3), GUNICORN_TIMEOUT (seconds a request may take before its worker is restarted, default 30).
"""

import os
import re
from pathlib import Path

bind = [os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = timeout
accesslog = "-"
# One control socket per instance, named by its address: gunicorn's default is one file in the
# user's home folder, which every instance shares and the first to stop removes.
_run = Path(__file__).resolve().parent / ".run"
_run.mkdir(exist_ok=True)
control_socket = str(_run / ("gunicorn-" + re.sub(r"[^A-Za-z0-9.]+", "_", bind[0]) + ".ctl"))
