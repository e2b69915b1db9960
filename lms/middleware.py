"""Middleware that belongs to no one app."""

from collections.abc import Callable, Iterable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

NUL = "\x00"


class NulInputMiddleware:
    """Refuse a request whose address, query, form fields, file names or cookies hold a NUL
    character, with the site's 400 page (settings.MIDDLEWARE puts it before the sessions).

    PostgreSQL cannot store or even compare text containing NUL (psycopg raises before the
    query is sent), so any such value reaching a search, a lookup or a write was a server
    error. No person types NUL; refusing the request as a whole keeps every view free of the
    check. Raising BadRequest lets Django answer with handler400.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            raise BadRequest("The request holds a NUL character.")
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    if NUL in request.path_info or _any_nul(request.COOKIES.items()):
        return True
    if _any_nul(request.GET.lists()):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if _any_nul(request.POST.lists()):
        return True
    return any(
        NUL in key or any(NUL in (upload.name or "") for upload in uploads)
        for key, uploads in request.FILES.lists()
    )


def _any_nul(pairs: Iterable[tuple[str, object]]) -> bool:
    for key, value in pairs:
        if NUL in key:
            return True
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and NUL in v for v in values):
            return True
    return False
