"""Read replicas: pages that only read may be served from a streaming replica of the database.

Reads go to the replica only inside `replica_reads()`, which the `@replica_page` decorator
opens around the public read-only pages (catalog, course page, outline, certificate check).
Everything else, and every write, stays on the primary. A replica lags behind the primary, so
a visitor who just wrote something (a form sent, or any write during a request) gets a signed
cookie that keeps their pages on the primary for DATABASE_REPLICA_PIN_SECONDS: they see their
own change however far the replica lags, up to that many seconds. When the replica cannot be
reached the page is served from the primary and a warning is logged.
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponseBase

logger = logging.getLogger(__name__)

REPLICA_ALIAS = "replica"
PIN_COOKIE = "lms_primary_until"
_PIN_SALT = "lms.replicas.pin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_reads_on_replica: ContextVar[bool] = ContextVar("reads_on_replica", default=False)
# Set by the router whenever a write is routed during the current request (see the middleware).
_wrote: ContextVar[bool] = ContextVar("wrote", default=False)


def replica_configured() -> bool:
    return REPLICA_ALIAS in connections


@contextmanager
def replica_reads() -> Iterator[None]:
    """Send the ORM's reads to the replica for the duration of the block (when one is set)."""
    token = _reads_on_replica.set(True)
    try:
        yield
    finally:
        _reads_on_replica.reset(token)


class ReplicaRouter:
    """Reads inside `replica_reads()` go to the replica; all else, and every write, to default."""

    def db_for_read(self, model, **hints) -> str:
        if _reads_on_replica.get() and replica_configured():
            return REPLICA_ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Both databases hold the same rows: an object read on the replica may be related to one
        # read on the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


def pin_seconds() -> int:
    return settings.DATABASE_REPLICA_PIN_SECONDS


def pinned_to_primary(request: HttpRequest) -> bool:
    """Whether the visitor wrote something recently enough that the replica may not have it."""
    value = request.get_signed_cookie(
        PIN_COOKIE, default=None, salt=_PIN_SALT, max_age=pin_seconds()
    )
    try:
        return value is not None and float(value) > time.time()
    except ValueError:
        return False


def _replica_reachable() -> bool:
    try:
        connections[REPLICA_ALIAS].ensure_connection()
    except DatabaseError as error:
        logger.warning("database replica unreachable, reading from the primary: %s", error)
        return False
    return True


def _load_visitor(request: HttpRequest) -> None:
    user = getattr(request, "user", None)
    if user is not None:
        user.is_authenticated  # noqa: B018 - resolves the lazy user (and session) on the primary


def replica_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Serve a read-only page from the replica, unless the visitor is pinned to the primary or
    the replica is down. The visitor and the session are looked up on the primary first, so a
    login or a change of profile is never read back stale."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not replica_configured() or pinned_to_primary(request):
            return view(request, *args, **kwargs)
        _load_visitor(request)
        if not _replica_reachable():
            return view(request, *args, **kwargs)
        try:
            with replica_reads():
                return view(request, *args, **kwargs)
        except DatabaseError as error:
            if not connections[REPLICA_ALIAS].is_usable():
                # The replica went away mid-page; the page only reads, so read it again.
                logger.warning("database replica failed, reading from the primary: %s", error)
                connections[REPLICA_ALIAS].close()
                return view(request, *args, **kwargs)
            raise

    return wrapper


class PrimaryPinMiddleware:
    """After a request that wrote, keep the visitor's reads on the primary for a few seconds.

    A request wrote when it was not a safe method and did not fail, or when any ORM write was
    routed while it ran. Without a replica this does nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _wrote.set(False)
        try:
            response = self.get_response(request)
            wrote = _wrote.get()
        finally:
            _wrote.reset(token)
        if not replica_configured():
            return response
        if wrote or (request.method not in SAFE_METHODS and response.status_code < 400):
            seconds = pin_seconds()
            response.set_signed_cookie(
                PIN_COOKIE,
                str(time.time() + seconds),
                salt=_PIN_SALT,
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
