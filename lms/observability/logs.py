"""LOGGING for web processes and workers: plain text (the default) or one JSON object a line
(LOG_FORMAT=json, python-json-logger), each record carrying the request or task context."""

import logging
from typing import Any

from lms.observability.context import FIELDS

FORMATS = ("text", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ContextTextFormatter(logging.Formatter):
    """The plain format, followed by the context fields that are set, e.g.
    `... GET done [request_id=3f2a... user_id=7 university_id=2]`."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        bound = [
            f"{field}={getattr(record, field)}"
            for field in FIELDS
            if getattr(record, field, None) is not None
        ]
        return f"{line} [{' '.join(bound)}]" if bound else line


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT is {log_format!r}; use text or json.")
    level = level.upper()
    if level not in LEVELS:
        raise ValueError(f"LOG_LEVEL is {level!r}; use one of {', '.join(LEVELS)}.")
    formatters = {
        "text": {
            "()": "lms.observability.logs.ContextTextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": " ".join(
                f"%({name})s" for name in ("asctime", "levelname", "name", "message", *FIELDS)
            ),
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "lms.observability.context.LogContextFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }
