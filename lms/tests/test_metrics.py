"""/metrics: who may scrape it, and what it counts (requests, tasks, queue lengths)."""

import pytest
import redis
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from lms.celery import app as celery_app
from lms.observability.metrics import QUEUES
from lms.tests.logcapture import django_process

OUTSIDE = "203.0.113.9"
LOGIN, UNRESOLVED = "accounts:login", "<unresolved>"


@celery_app.task(name="lms.tests.test_metrics.echo_task")
def echo_task(value: int) -> int:
    return value


@celery_app.task(name="lms.tests.test_metrics.failing_task")
def failing_task() -> None:
    raise RuntimeError("broken on purpose")


def samples(client, **extra) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(found, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def broker(settings):
    """The broker's queues, emptied before and after the test (REDIS_URL's database)."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    keys = [queue for queue in QUEUES] + [f"{queue}\x06\x163" for queue in QUEUES]
    client.delete(*keys)
    yield client
    client.delete(*keys)


@pytest.mark.django_db
def test_a_scrape_from_another_network_without_a_token_is_not_found(client, settings):
    settings.METRICS_TOKEN = "scrape-secret"
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE).status_code == 404
    wrong = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer guess")
    assert wrong.status_code == 404
    basic = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Basic x")
    assert basic.status_code == 404


@pytest.mark.django_db
def test_no_token_configured_means_no_token_is_accepted(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_token_opens_metrics_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "scrape-secret"
    response = client.get(
        "/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer scrape-secret"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_allowed_networks_scrape_without_a_token(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::ffff:10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


@pytest.mark.django_db
def test_requests_are_counted_by_view_name_and_status(client):
    before = samples(client)
    client.get("/accounts/login/")
    client.get("/accounts/login/")
    client.get("/no-such-page/")
    after = samples(client)
    for name, labels, added in [
        (
            "lms_http_requests_total",
            {"method": "GET", "view": "accounts:login", "status": "200"},
            2,
        ),
        ("lms_http_requests_total", {"method": "GET", "view": "<unresolved>", "status": "404"}, 1),
        ("lms_http_request_duration_seconds_count", {"view": LOGIN}, 2),
    ]:
        assert value(after, name, **labels) - value(before, name, **labels) == added, name


@pytest.mark.django_db
def test_queue_lengths_come_from_the_broker(client, broker):
    broker.lpush("labs", "a", "b", "c")
    broker.lpush("grades\x06\x163", "d")
    found = samples(client)
    assert {queue: value(found, "lms_celery_queue_length", queue=queue) for queue in QUEUES} == {
        "labs": 3,
        "grades": 1,
        "email": 0,
        "default": 0,
    }
    assert value(found, "lms_celery_broker_up") == 1


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_leaves_the_rest_of_the_metrics(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    found = samples(client)
    assert value(found, "lms_celery_broker_up") == 0
    assert not [key for key in found if key[0] == "lms_celery_queue_length"]


@pytest.mark.django_db
def test_tasks_are_counted_by_name_and_state_and_timed(client, tasks_in_process):
    before = samples(client)
    assert echo_task.delay(3).get() == 3
    echo_task.delay(4)
    # As a worker runs it: the failure is recorded, not raised into the caller.
    assert failing_task.apply(throw=False).state == "FAILURE"
    after = samples(client)
    echo, failing = echo_task.name, failing_task.name
    for name, labels, added in [
        ("lms_celery_tasks_total", {"task": echo, "state": "success"}, 2),
        ("lms_celery_tasks_total", {"task": failing, "state": "failure"}, 1),
        ("lms_celery_task_duration_seconds_count", {"task": echo}, 2),
    ]:
        assert value(after, name, **labels) - value(before, name, **labels) == added, name


def test_a_bad_allowed_network_stops_the_start_with_a_message():
    result = django_process(METRICS_ALLOWED_NETWORKS="10.0.0.0/8,intranet")
    assert result.returncode == 1
    assert "METRICS_ALLOWED_NETWORKS holds 'intranet'" in result.stderr


@pytest.mark.django_db
def test_the_task_outbox_is_counted_by_state(client, settings):
    from lms.models import OutboxTask

    settings.TASK_OUTBOX_MAX_SENDS = 3
    for sends, sent in ((0, False), (0, False), (1, True), (3, True)):
        OutboxTask.objects.create(
            task="lms.tasks.task_outbox_sweep_task",
            lease_seconds=60,
            sends=sends,
            sent_at=timezone.now() if sent else None,
        )
    found = samples(client)
    assert [
        value(found, "lms_task_outbox_rows", state=state) for state in ("unsent", "sent", "stuck")
    ] == [2, 1, 1]
