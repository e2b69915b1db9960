"""Sending a stored file to someone a view has already let through.

Every uploaded file (library assets, submitted work) is private: nothing serves MEDIA_ROOT as
it is. A view checks who is asking, then hands the storage name to `stored_file_response`,
which sends it the way the deployment is set up (MEDIA_SERVE_MODE):

- ``django``: Django streams the file itself, with byte ranges so videos can seek;
- ``x-accel``: nginx sends it (``X-Accel-Redirect`` to MEDIA_ACCEL_PREFIX, an ``internal``
  location aliased to MEDIA_ROOT);
- ``x-sendfile``: Apache's mod_xsendfile sends it (``X-Sendfile`` with the file's path).

A storage without local paths (S3 and other buckets) gets a redirect to a short-lived signed
address instead, whatever the mode.

Types a browser would run (HTML, SVG, XML, JavaScript) always go out as downloads, with
``nosniff`` and a sandboxing policy, so an uploaded page cannot script the site.
"""

import mimetypes
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import IO
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage, default_storage
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils.http import content_disposition_header

SERVE_MODES = ("django", "x-accel", "x-sendfile")
CHUNK_BYTES = 64 * 1024
ACTIVE_SUFFIXES = frozenset(
    {".html", ".htm", ".shtml", ".xhtml", ".xht", ".svg", ".svgz", ".xml", ".xsl", ".xslt"}
    | {".js", ".mjs", ".cjs", ".swf", ".hta"}
)
ACTIVE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/xsl",
        "application/xslt+xml",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
        "application/x-shockwave-flash",
    }
)
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def serve_mode() -> str:
    mode = getattr(settings, "MEDIA_SERVE_MODE", "django")
    if mode not in SERVE_MODES:
        raise ImproperlyConfigured(f"MEDIA_SERVE_MODE must be one of {', '.join(SERVE_MODES)}.")
    return mode


def content_type_of(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def is_active_type(filename: str, content_type: str) -> bool:
    """True for a file a browser would render as a page or run as a script."""
    base = content_type.split(";", 1)[0].strip().lower()
    suffix = PurePosixPath(filename.lower()).suffix
    return base in ACTIVE_TYPES or suffix in ACTIVE_SUFFIXES or base.endswith("+xml")


def _local_path(storage: Storage, name: str) -> str | None:
    try:
        return storage.path(name)
    except NotImplementedError:
        return None


def _byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) of a single satisfiable range, None to send the whole file (no header,
    several ranges, or a header that does not parse), False when it cannot be satisfied."""
    match = _RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        length = int(last)
        if length == 0:
            return False
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


def _chunks(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _streamed(request: HttpRequest, storage: Storage, name: str) -> HttpResponseBase:
    try:
        size = storage.size(name)
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("The file is no longer stored.") from exc
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if wanted is False:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = wanted if wanted else (0, size - 1)
    length = max(end - start + 1, 0)
    if request.method == "HEAD":
        handle.close()
        response: HttpResponseBase = HttpResponse(status=206 if wanted else 200)
    else:
        response = StreamingHttpResponse(
            _chunks(handle, start, length), status=206 if wanted else 200
        )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


def _signed_redirect(
    storage: Storage, name: str, *, filename: str, content_type: str, disposition: str
) -> HttpResponseRedirect:
    parameters = {"ResponseContentDisposition": disposition, "ResponseContentType": content_type}
    try:
        url = storage.url(name, parameters=parameters)  # type: ignore[call-arg]
    except TypeError:
        url = storage.url(name)
    return HttpResponseRedirect(url)


def stored_file_response(
    request: HttpRequest,
    name: str,
    *,
    filename: str | None = None,
    as_attachment: bool = False,
    storage: Storage | None = None,
) -> HttpResponseBase:
    """The stored file `name` for a request the caller has already authorised; 404 when the
    file is gone. `filename` is what the browser calls it (default: the name's last part)."""
    storage = storage or default_storage
    if not name or ".." in PurePosixPath(name).parts or name.startswith("/"):
        raise Http404("No such file.")
    filename = filename or PurePosixPath(name).name
    content_type = content_type_of(filename)
    active = is_active_type(filename, content_type)
    disposition = content_disposition_header(
        as_attachment=as_attachment or active, filename=filename
    )
    path = _local_path(storage, name)
    if path is None:
        return _signed_redirect(
            storage,
            name,
            filename=filename,
            content_type=content_type,
            disposition=disposition,
        )
    mode = serve_mode()
    if mode == "django":
        response = _streamed(request, storage, name)
    else:
        if not storage.exists(name):
            raise Http404("The file is no longer stored.")
        response = HttpResponse()
        if mode == "x-accel":
            prefix = getattr(settings, "MEDIA_ACCEL_PREFIX", "/protected-media/")
            response["X-Accel-Redirect"] = f"/{prefix.strip('/')}/{quote(name)}"
        else:
            response["X-Sendfile"] = path
    response["Content-Type"] = content_type
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    if active:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
