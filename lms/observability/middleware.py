"""The probes and the scrape endpoint, the request id, and request metrics.

settings.MIDDLEWARE puts ProbeMiddleware first: load balancers and Prometheus reach a node by
its address over plain http, so these answers come before the HTTPS redirect and the
ALLOWED_HOSTS check (neither ever runs for them: nothing here reads request.get_host()), and
before sessions, CSRF and any security headers. RequestContextMiddleware and
RequestMetricsMiddleware follow it.
"""

import json
import re
import time
import uuid
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed

from lms.observability import metrics, readiness
from lms.observability.context import context_start

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from a proxy is kept when it is a plain token; anything else is replaced.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


class ProbeMiddleware:
    """/healthz (the process answers; no database), /readyz (database, broker, migrations)
    and /metrics (guarded by address or token), with or without a trailing slash."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.routes: dict[str, Callable[[HttpRequest], HttpResponse]] = {
            "/healthz": healthz,
            "/readyz": readyz,
            "/metrics": metrics_view,
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        route = self.routes.get(request.path_info.rstrip("/"))
        if route is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        response = route(request)
        response["Cache-Control"] = "no-store"
        if request.method == "HEAD":
            response.content = b""
        return response


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def readyz(request: HttpRequest) -> HttpResponse:
    report = readiness.readiness()
    return HttpResponse(
        json.dumps(report),
        content_type="application/json",
        status=200 if readiness.is_ready(report) else 503,
    )


def metrics_view(request: HttpRequest) -> HttpResponse:
    allowed = metrics.may_scrape(
        remote_addr=request.META.get("REMOTE_ADDR", ""),
        authorization=request.META.get("HTTP_AUTHORIZATION", ""),
    )
    if not allowed:
        # The same answer as for an address that does not exist.
        raise Http404
    return HttpResponse(metrics.metrics_page(), content_type="text/plain; version=0.0.4")


def request_id_from(value: str) -> str:
    """The caller's request id when it is a plain token of at most 128 characters, else a
    new one."""
    if value and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """Gives every request an id (the proxy's X-Request-ID when sane), returns it in the
    response, and makes it part of every log line written until the response is closed
    (lms.apps connects context_clear to request_finished)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID", ""))
        request.request_id = request_id  # type: ignore[attr-defined]
        context_start(request_id=request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestMetricsMiddleware:
    """Counts requests by method, view name and status, and times them by view name. The view
    name (a URL pattern's name, never the path) keeps the number of series bounded."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "<unnamed>") if match else "<unresolved>"
        method = request.method if request.method in _METHODS else "other"
        metrics.http_request_seconds.labels(view=view).observe(time.perf_counter() - started)
        metrics.http_requests.labels(method=method, view=view, status=response.status_code).inc()
        return response


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
