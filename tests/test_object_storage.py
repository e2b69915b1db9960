"""Uploads on a real S3-compatible object store shared by the web process and a Celery worker.

A moto server runs as its own process and answers S3 over HTTP on 127.0.0.1:5491; the test
process (one web node) and the worker (another node) reach it only through the S3 settings, with
MEDIA_ROOT pointing at empty folders that must stay empty: nothing a node needs is on its disk.
"""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.grades.models import Certificate, CourseGrade
from assessments.grades.tasks import grades_finalize_task
from assessments.labs.models import LabSubmission
from assessments.tests import trees
from assessments.tests.lab_data import PASSING, build_lab_world
from catalog.tests.tenants import build_tenants
from content.models import Asset
from content.tests.test_admin_services import png_bytes
from portal.tests.test_media import image_payload

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]

PORT = 5491
ENDPOINT = f"http://127.0.0.1:{PORT}"
BUCKET = "lms-uploads"
KEYS = {"S3_ACCESS_KEY_ID": "storage-test", "S3_SECRET_ACCESS_KEY": "storage-test-secret"}
URL_SECONDS = 600


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory) -> Iterator[str]:
    """A moto S3 server process with an empty private bucket; its endpoint."""
    if _answers(PORT):
        pytest.fail(f"port {PORT} is already in use")
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(PORT)],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 20
        while not _answers(PORT):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the S3 server did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.1)
        _client().create_bucket(Bucket=BUCKET)
        yield ENDPOINT
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _client():
    return boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"],
    )


def _bucket_objects(prefix: str = "") -> dict[str, bytes]:
    client = _client()
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listed}


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.fixture
def on_bucket(s3_server, settings, tmp_path) -> dict[str, str]:
    """This process stores uploads in a fresh prefix of the bucket, as lms/settings.py sets it
    up from the S3_* variables; the returned variables give a worker the same."""
    prefix = f"run-{time.monotonic_ns()}"
    env = {
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_server,
        "S3_REGION": "us-east-1",
        "S3_PREFIX": prefix,
        "S3_URL_SECONDS": str(URL_SECONDS),
        **KEYS,
    }
    settings.MEDIA_ROOT = str(tmp_path / "web-media")
    # Assigning STORAGES sends setting_changed: Django drops its cached storages and
    # default_storage, so every module's default_storage is the bucket from here on.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": KEYS["S3_ACCESS_KEY_ID"],
                "secret_key": KEYS["S3_SECRET_ACCESS_KEY"],
                "location": prefix,
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": URL_SECONDS,
                "signature_version": "s3v4",
                "file_overwrite": False,
            },
        },
    }
    return env


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def _followed(response) -> bytes:
    """The bytes behind a download view's redirect to a signed address on the endpoint."""
    assert response.status_code == 302
    target = response["Location"]
    assert target.startswith(f"{ENDPOINT}/{BUCKET}/")
    status, body = _fetch(target)
    assert status == 200
    return body


def test_a_library_upload_lands_in_the_bucket_and_learners_get_a_signed_link(on_bucket, settings):
    """The instructor uploads an image through the asset library's admin page: the file and its
    thumbnail are objects in the bucket and MEDIA_ROOT stays empty. The learner's download of it
    is a redirect to a link signed for S3_URL_SECONDS that returns the same bytes; the same
    address unsigned is refused by the server, and a learner of another course gets a 404."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    tenants = build_tenants()
    offering = tenants.offering_a1
    prefix = on_bucket["S3_PREFIX"]
    staff = Client()
    staff.force_login(tenants.user("instructor"))
    image = png_bytes()
    added = staff.post(
        reverse("admin:content_asset_add"),
        {
            "university": offering.university_id,
            "file": SimpleUploadedFile("cycle diagram.png", image, content_type="image/png"),
            "title": "Cycle diagram",
            "alt": "The four strokes of the cycle",
        },
    )
    assert added.status_code == 302
    asset = Asset.objects.get(meta_json__title="Cycle diagram")
    name = asset.meta_json["storage_name"]
    folder = f"assets/{offering.university_id}/"
    assert name.startswith(folder) and name.endswith("/cycle_diagram.png")
    stored = _bucket_objects(f"{prefix}/{folder}")
    thumbnail = asset.meta_json["thumbnail_name"]
    assert sorted(stored) == sorted([f"{prefix}/{name}", f"{prefix}/{thumbnail}"])
    assert stored[f"{prefix}/{name}"] == image
    # The row keeps a lasting address, not a signed link that would expire.
    assert (asset.url, asset.meta_json["thumbnail_url"]) == (
        f"/media/{name}",
        f"/media/{thumbnail}",
    )
    assert _files_under(Path(settings.MEDIA_ROOT)) == []

    # A reading of the learner's course shows the image; the learner downloads it.
    unit = trees.module(trees.root(offering.course), "Unit 1")
    reading = trees.item(unit, "Reading", data=image_payload(asset.pk))
    address = reverse("portal:item-asset", args=[offering.pk, reading.pk, asset.pk])
    learner = Client()
    learner.force_login(tenants.enrollments["a1"].user)
    response = learner.get(address)
    assert _followed(response) == image
    signed = urlsplit(response["Location"])
    query = parse_qs(signed.query)
    assert query["X-Amz-Expires"] == [str(URL_SECONDS)]
    assert query["response-content-type"] == ["image/png"]
    assert query["response-content-disposition"] == ['inline; filename="cycle diagram.png"']
    assert _fetch(f"{signed.scheme}://{signed.netloc}{signed.path}")[0] == 403

    outsider = Client()
    outsider.force_login(tenants.enrollments["b1"].user)
    assert outsider.get(address).status_code == 404
    assert _files_under(Path(settings.MEDIA_ROOT)) == []


@pytest.mark.worker
def test_a_worker_grades_from_the_bucket_and_stores_the_certificate_there(
    on_bucket, start_worker, settings
):
    """Two nodes that share only the database, the broker and the bucket: the learner's lab
    upload, made through this process's page, is read back from the bucket by the worker, which
    grades it; the certificate PDF the worker then issues is read back here, through its public
    download. Neither node writes a file to its own disk."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    worker = start_worker(env=on_bucket)
    settings.MEDIA_ROOT = str(worker.media.parent / "web-media")
    prefix = on_bucket["S3_PREFIX"]
    world = build_lab_world()
    offering, lab, student = world.offering, world.lab, world.student
    client = Client()
    client.force_login(student)

    uploaded = client.post(
        reverse("portal:lab", args=[offering.pk, lab.pk]),
        {"files": SimpleUploadedFile("solution.py", PASSING)},
    )
    assert uploaded.status_code == 302
    submission = LabSubmission.objects.get(user=student, content_item=lab)
    archive = f"{prefix}/{submission.artifacts_url}"
    stored = _bucket_objects(f"{prefix}/labs/u{offering.university_id}/o{offering.pk}/")
    assert list(stored) == [archive]
    worker.wait_for(
        lambda: LabSubmission.objects.filter(pk=submission.pk, status="graded").exists(),
        30,
        "the lab to be graded from the bucket",
    )
    submission.refresh_from_db()
    assert (submission.auto_grade_json["passed"], submission.auto_grade_json["failed"]) == (2, 0)
    assert (submission.score_obtained, submission.max_score) == (Decimal(40), Decimal(40))
    download = client.get(
        reverse("portal:lab-submission-download", args=[offering.pk, lab.pk, submission.pk])
    )
    assert _followed(download) == stored[archive]

    worker.wait_for(
        lambda: CourseGrade.objects.filter(
            user=student, course_offering=offering, passed=True
        ).exists(),
        30,
        "the passing grade",
    )
    assert grades_finalize_task.delay(offering.pk).get(timeout=30) == 1
    certificate = worker.wait_for(
        lambda: Certificate.objects.filter(
            user=student, course_offering=offering, emailed_at__isnull=False
        ).first(),
        30,
        "the certificate",
    )
    key = f"{prefix}/{certificate.pdf_path}"
    code = certificate.certificate_code
    assert certificate.pdf_path == f"certificates/{offering.university_id}/{code}.pdf"
    pdf = _bucket_objects(f"{prefix}/certificates/")[key]
    assert pdf.startswith(b"%PDF-")
    public = Client().get(reverse("portal:certificate-pdf", args=[certificate.certificate_code]))
    assert _followed(public) == pdf
    assert _files_under(Path(settings.MEDIA_ROOT)) == []
    assert _files_under(worker.media) == []
