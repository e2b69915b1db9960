"""The task outbox (lms/outbox.py): work recorded with the write, sent once it commits, sent
again by the sweep when the broker was away or the task did not finish within its lease."""

import logging
import time

import pytest
from django.db import connection, transaction

from lms import outbox
from lms.celery import OUTBOX_HEADER, app
from lms.models import OutboxTask

TASK = "lms.tasks.task_outbox_sweep_task"

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    """Set app.conf.task_always_eager for the test: `eager(True)`."""
    before = app.conf.task_always_eager

    def set_to(value: bool) -> None:
        app.conf.task_always_eager = value

    yield set_to
    app.conf.task_always_eager = before


@pytest.fixture
def sent(monkeypatch, eager):
    """What reached the broker: (args, kwargs, options) per send; nothing runs."""
    calls = []
    task = outbox.task_named(TASK)
    eager(False)
    monkeypatch.setattr(
        task, "apply_async", lambda args, kwargs, **options: calls.append((args, kwargs, options))
    )
    return calls


def backdate(row_id: int, *, sent_seconds_ago: float | None = None, due_seconds_ago: float = 60):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE task_outbox SET run_after = statement_timestamp() - make_interval(secs => %s),"
            " sent_at = CASE WHEN %s::float IS NULL THEN sent_at"
            " ELSE statement_timestamp() - make_interval(secs => %s::float) END WHERE id = %s",
            [due_seconds_ago, sent_seconds_ago, sent_seconds_ago, row_id],
        )


def test_the_row_is_part_of_the_transaction(sent, django_capture_on_commit_callbacks):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(TASK, 1, key="k")
        raise RuntimeError("the write fails")
    assert not OutboxTask.objects.exists()
    assert sent == []

    with django_capture_on_commit_callbacks(execute=True):
        row_id = outbox.enqueue(TASK, 1, key="k", countdown=5)
    row = OutboxTask.objects.get()
    assert (row.pk, row.args, row.sends, row.version) == (row_id, [1], 1, 1)
    assert row.sent_at is not None
    assert row.lease_seconds == 60 + 60  # the task's hard limit and a minute
    ((args, kwargs, options),) = sent
    assert (args, kwargs) == ([1], {})
    assert options["headers"] == {OUTBOX_HEADER: [row_id, 1]}
    assert 4 <= options["countdown"] <= 5


def test_a_request_before_the_task_runs_is_the_same_request(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.enqueue(TASK, 1, key="k", countdown=30)
    with django_capture_on_commit_callbacks(execute=True):
        again = outbox.enqueue(TASK, 1, key="k", countdown=30)
    assert first == again
    assert OutboxTask.objects.get().version == 1
    assert len(sent) == 1


def test_a_request_once_the_task_may_be_running_asks_for_another_run(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row_id = outbox.enqueue(TASK, 1, key="k")
    backdate(row_id, sent_seconds_ago=2, due_seconds_ago=2)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(TASK, 1, key="k")
    row = OutboxTask.objects.get()
    assert row.version == 2
    assert [options["headers"][OUTBOX_HEADER] for _a, _k, options in sent] == [
        [row_id, 1],
        [row_id, 2],
    ]
    # The first run finishing leaves the row for the second; the second removes it.
    outbox.done(row_id, 1)
    assert OutboxTask.objects.filter(pk=row_id).exists()
    outbox.done(row_id, 2)
    assert not OutboxTask.objects.exists()


def test_without_a_broker_the_write_commits_and_the_row_waits(
    broker_away, django_capture_on_commit_callbacks, caplog, eager
):
    eager(False)
    started = time.monotonic()
    with (
        caplog.at_level(logging.WARNING, logger="lms.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        row_id = outbox.enqueue(TASK)
    assert time.monotonic() - started < 5  # a page answers at once
    row = OutboxTask.objects.get(pk=row_id)
    assert (row.sent_at, row.sends) == (None, 0)
    assert "Broker unreachable" in caplog.text and row.last_error
    assert outbox.waiting_to_send(key="nope") is False


def test_the_sweep_sends_what_waits_and_what_outlived_its_lease(sent, settings):
    settings.TASK_OUTBOX_GRACE_SECONDS = 10
    unsent = outbox.enqueue(TASK, 1)  # the commit's own send has not run (no commit here)
    just_now = outbox.enqueue(TASK, 2)
    lost = outbox.enqueue(TASK, 3)
    running = outbox.enqueue(TASK, 4)
    backdate(unsent, due_seconds_ago=30)
    backdate(just_now, due_seconds_ago=1)
    backdate(lost, sent_seconds_ago=121)
    backdate(running, sent_seconds_ago=60)

    assert outbox.sweep() == 2
    assert sorted(args for args, _k, _o in sent) == [[1], [3]]
    sends = dict(OutboxTask.objects.values_list("pk", "sends"))
    assert sends[unsent] == 1 and sends[lost] == 1 and sends[just_now] == 0
    assert outbox.sweep() == 0  # both are sent now, within their lease


def test_a_task_that_never_finishes_is_given_up_and_logged(sent, settings, caplog):
    settings.TASK_OUTBOX_MAX_SENDS = 2
    row_id = outbox.enqueue(TASK, 1)
    for _ in range(3):
        backdate(row_id, sent_seconds_ago=500)
        outbox.sweep()
    assert OutboxTask.objects.get().sends == 2
    backdate(row_id, sent_seconds_ago=500)
    with caplog.at_level(logging.ERROR, logger="lms.outbox"):
        assert outbox.sweep() == 0
    assert "did not finish after 2 sends" in caplog.text
    assert len(sent) == 2


def test_a_task_run_from_the_outbox_removes_its_row(eager, django_capture_on_commit_callbacks):
    eager(True)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(TASK)
    assert not OutboxTask.objects.exists()


def test_a_retry_extends_the_lease(sent):
    row_id = outbox.enqueue(TASK, 1)
    backdate(row_id, sent_seconds_ago=500)
    outbox.extend(row_id, 1, seconds=600)
    assert outbox.sweep() == 0


def test_platform_admins_see_and_resend_stuck_tasks(client, sent, django_user_model):
    from django.urls import reverse

    row_id = outbox.enqueue(TASK, 5)
    OutboxTask.objects.filter(pk=row_id).update(sends=5, last_error="SMTP refused")
    someone = django_user_model.objects.create_user(
        email="someone@example.edu", password="x", full_name="Someone"
    )
    client.force_login(someone)
    changelist = reverse("admin:lms_outboxtask_changelist")
    assert client.get(changelist).status_code == 302  # to the admin's login
    admin = django_user_model.objects.create_superuser(
        email="root@example.edu", password="x", full_name="Root"
    )
    client.force_login(admin)
    page = client.get(changelist)
    assert page.status_code == 200 and "SMTP refused" in page.content.decode()
    client.post(changelist, {"action": "send_again", "_selected_action": [row_id]})
    assert OutboxTask.objects.get().sends == 1
    assert [args for args, _k, _o in sent] == [[5]]
