"""/healthz and /readyz: what load balancers probe, by address over plain http."""

import json

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from lms.observability import readiness

# Nothing listens on port 1.
NOWHERE = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def _migrations_not_cached(monkeypatch):
    monkeypatch.setattr(readiness, "_migrations_applied", False)


@pytest.mark.django_db
def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_probes_answer_by_address_over_http_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["lms.example.edu"]
    for path in ("/healthz", "/readyz", "/healthz/"):
        response = client.get(path, HTTP_HOST="10.1.2.3")
        assert response.status_code == 200, path
    # Any other page keeps both checks.
    assert client.get("/", HTTP_HOST="10.1.2.3").status_code == 400


@pytest.mark.django_db
def test_head_answers_with_the_status_and_no_body(client):
    for path in ("/healthz", "/readyz"):
        response = client.head(path)
        assert response.status_code == 200, path
        assert response.content == b""


def test_other_methods_are_refused(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def readyz_answer(client) -> tuple[int, dict[str, str]]:
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_readyz_reports_every_check_ok(client):
    assert readyz_answer(client) == (200, {"database": "ok", "redis": "ok", "migrations": "ok"})


@pytest.mark.django_db
def test_readyz_is_unavailable_when_redis_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = NOWHERE
    assert readyz_answer(client) == (
        503,
        {"database": "ok", "redis": "error", "migrations": "ok"},
    )


@pytest.mark.django_db
def test_readyz_is_unavailable_while_a_migration_is_not_applied(client):
    # Inside the test's transaction: forgetting that a migration ran makes it look pending,
    # and the rollback restores the row.
    recorder = MigrationRecorder(connection)
    recorder.migration_qs.filter(app="tenancy").order_by("-id")[:1].get().delete()
    assert readyz_answer(client) == (
        503,
        {"database": "ok", "redis": "ok", "migrations": "pending"},
    )


@pytest.mark.django_db
def test_readyz_remembers_that_migrations_are_applied(client, django_assert_num_queries):
    assert client.get("/readyz").status_code == 200
    # The second probe only asks the database for SELECT 1.
    with django_assert_num_queries(1):
        assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_reports_a_database_that_does_not_answer(client, monkeypatch):
    def refuse():
        from django.db import OperationalError

        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    monkeypatch.setattr(readiness, "migrations_status", lambda: "error")
    assert readyz_answer(client) == (
        503,
        {"database": "error", "redis": "ok", "migrations": "error"},
    )
