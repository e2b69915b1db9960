"""Helpers of the observability tests: the site's LOGGING applied with its console writing to a
buffer, and a fresh Python process that sets Django up under given environment variables."""

import io
import logging
import logging.config
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from lms.observability.logs import logging_config


@contextmanager
def site_logs(log_format: str = "text") -> Iterator[io.StringIO]:
    buffer = io.StringIO()
    logging.config.dictConfig(logging_config(log_format=log_format, level="INFO"))
    (handler,) = logging.getLogger().handlers
    handler.setStream(buffer)
    try:
        yield buffer
    finally:
        logging.config.dictConfig(settings.LOGGING)


ROOT = Path(__file__).resolve().parents[2]


def django_process(code: str = "", **env: str) -> subprocess.CompletedProcess:
    """Runs `django.setup()` then `code` in a new interpreter with `env` added."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
