"""How an authorised file goes out: the three serve modes, signed redirects for buckets, and
the headers that keep uploaded pages and scripts from running on the site."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import Http404
from django.test import RequestFactory
from storages.backends.s3 import S3Storage

from lms.media import is_active_type, stored_file_response

NAME = "assets/7/abc/lecture.mp4"


@pytest.fixture
def storage(tmp_path) -> FileSystemStorage:
    storage = FileSystemStorage(location=tmp_path)
    storage.save(NAME, ContentFile(b"0123456789"))
    storage.save("assets/7/abc/page.html", ContentFile(b"<script>alert(1)</script>"))
    return storage


def get(headers=None):
    return RequestFactory().get("/file", headers=headers or {})


def test_django_mode_streams_the_file(settings, storage):
    settings.MEDIA_SERVE_MODE = "django"

    response = stored_file_response(get(), NAME, storage=storage)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"0123456789"
    assert response["Content-Length"] == "10"
    assert response["Content-Type"] == "video/mp4"
    assert "X-Accel-Redirect" not in response and "X-Sendfile" not in response


def test_x_accel_mode_hands_the_file_to_nginx(settings, storage):
    settings.MEDIA_SERVE_MODE = "x-accel"
    settings.MEDIA_ACCEL_PREFIX = "/protected-media/"

    response = stored_file_response(
        get({"Range": "bytes=0-3"}), "assets/7/abc/a b.mp4", storage=_with(storage, "a b.mp4")
    )

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/assets/7/abc/a%20b.mp4"
    assert response.content == b""
    assert response["Content-Type"] == "video/mp4"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_x_sendfile_mode_hands_the_path_to_apache(settings, storage):
    settings.MEDIA_SERVE_MODE = "x-sendfile"

    response = stored_file_response(get(), NAME, storage=storage)

    assert response.status_code == 200
    assert response["X-Sendfile"] == storage.path(NAME)
    assert response.content == b""


@pytest.mark.parametrize("mode", ["x-accel", "x-sendfile"])
def test_proxy_modes_still_404_a_missing_file(settings, storage, mode):
    settings.MEDIA_SERVE_MODE = mode

    with pytest.raises(Http404):
        stored_file_response(get(), "assets/7/abc/gone.mp4", storage=storage)


def test_an_unknown_mode_is_a_configuration_error(settings, storage):
    settings.MEDIA_SERVE_MODE = "nginx"

    with pytest.raises(ImproperlyConfigured):
        stored_file_response(get(), NAME, storage=storage)


def test_a_bucket_gets_a_redirect_to_a_signed_expiring_address(settings):
    settings.MEDIA_SERVE_MODE = "django"
    bucket = S3Storage(
        bucket_name="lms-media",
        endpoint_url="http://127.0.0.1:9000",
        region_name="us-east-1",
        access_key="test-key",
        secret_key="test-secret",
        querystring_auth=True,
        querystring_expire=600,
        signature_version="s3v4",
    )

    response = stored_file_response(get(), "assets/7/abc/page.html", storage=bucket)

    assert response.status_code == 302
    parts = urlsplit(response["Location"])
    query = parse_qs(parts.query)
    assert (parts.netloc, parts.path) == ("127.0.0.1:9000", "/lms-media/assets/7/abc/page.html")
    assert query["X-Amz-Expires"] == ["600"]
    assert query["X-Amz-Signature"][0]
    assert query["response-content-disposition"] == ['attachment; filename="page.html"']
    assert query["response-content-type"] == ["text/html"]


@pytest.mark.parametrize(
    "filename",
    ["page.html", "page.HTM", "doc.xhtml", "logo.svg", "feed.xml", "app.js", "mod.mjs"],
)
def test_pages_and_scripts_go_out_as_sandboxed_downloads(settings, storage, filename):
    settings.MEDIA_SERVE_MODE = "django"

    response = stored_file_response(
        get(), "assets/7/abc/page.html", filename=filename, storage=storage
    )

    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_images_and_videos_show_inline(settings, storage):
    settings.MEDIA_SERVE_MODE = "django"

    response = stored_file_response(get(), NAME, storage=storage)

    assert response["Content-Disposition"] == 'inline; filename="lecture.mp4"'
    assert "Content-Security-Policy" not in response


@pytest.mark.parametrize(
    ("filename", "content_type", "active"),
    [
        ("a.png", "image/png", False),
        ("a.pdf", "application/pdf", False),
        ("a.bin", "text/html; charset=utf-8", True),
        ("a.bin", "application/rss+xml", True),
        ("a.txt", "text/plain", False),
    ],
)
def test_active_types_are_recognised_by_name_or_type(filename, content_type, active):
    assert is_active_type(filename, content_type) is active


@pytest.mark.parametrize("name", ["../etc/passwd", "/etc/passwd", "assets/../../x", ""])
def test_names_leaving_the_storage_are_a_404(settings, storage, name):
    with pytest.raises(Http404):
        stored_file_response(get(), name, storage=storage)


def _with(storage: FileSystemStorage, filename: str) -> FileSystemStorage:
    storage.save(f"assets/7/abc/{filename}", ContentFile(b"0123"))
    return storage
