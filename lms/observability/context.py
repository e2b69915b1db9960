"""The request or task a log line belongs to, kept in a contextvar and added to every record.

A web request binds request_id first (lms.observability.middleware), then user_id and
university_id once the user is known; a Celery task binds task_id and task_name (and the
request id of the page that enqueued it) while it runs.
"""

import logging
from contextvars import ContextVar, Token
from typing import Any

FIELDS = ("request_id", "user_id", "university_id", "task_id", "task_name")

_context: ContextVar[dict[str, Any] | None] = ContextVar("lms_log_context", default=None)


def log_context() -> dict[str, Any]:
    """The fields bound now; every field is present, None when unknown."""
    bound = _context.get() or {}
    return {field: bound.get(field) for field in FIELDS}


def context_start(**fields: Any) -> Token:
    """Begin a new context (a request or a task) with these fields; pass the token to
    context_end when it is over."""
    return _context.set({field: fields.get(field) for field in FIELDS})


def context_bind(**fields: Any) -> None:
    """Add fields to the current context (the user, once authentication has run)."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown log context fields: {sorted(unknown)}")
    _context.set({**(_context.get() or {}), **fields})


def context_end(token: Token) -> None:
    _context.reset(token)


def context_clear(**_: Any) -> None:
    """Forget the context (connected to request_finished: a request's context lasts until its
    response is closed, so Django's own "Not Found" and error lines, written after the
    middleware, still carry it)."""
    _context.set(None)


class LogContextFilter(logging.Filter):
    """Puts the context's fields on every record that passes a handler (None outside a
    request or task), so formatters can name them."""

    def filter(self, record: logging.LogRecord) -> bool:
        for field, value in log_context().items():
            if not hasattr(record, field):
                setattr(record, field, value)
        return True
