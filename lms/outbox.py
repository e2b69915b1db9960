"""Background work that survives a broker outage and a killed worker: the task outbox.

`enqueue()` records the task in the current transaction (a row of `task_outbox`, lms/models.py)
and sends it to the broker once the transaction commits. The task deletes its row when it has
run to the end (lms.celery.OutboxAwareTask). Whatever is left is sent again by the sweep
(`sweep()`, which beat runs every TASK_OUTBOX_SWEEP_SECONDS):

- rows never sent, because the broker could not be reached when the write committed: the page
  answered at once and the work went out when the broker was back;
- rows sent longer ago than their lease (the task's hard time limit and a margin) and still
  there: the worker running the task was killed, or the task gave up. A row is sent at most
  TASK_OUTBOX_MAX_SENDS times; after that it stays, and every sweep logs it as an error.

Every task sent this way is idempotent, so a task that runs again after all (its worker was
slow, not dead) changes nothing. Work asked for under a `key` is asked for once: while a row with
that key waits to run, asking again changes nothing (a burst of scores rolls a grade up once);
once it may be running, asking again raises the row's version, so the task that was sent leaves
the row for the run that reads the newer data.
"""

import json
import logging
from collections.abc import Iterable, Sequence
from functools import partial
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from lms.celery import OUTBOX_HEADER, app

logger = logging.getLogger(__name__)

_COALESCED = "(o.sent_at IS NULL OR o.run_after > statement_timestamp() + interval '1 second')"

_UPSERT_SQL = f"""
INSERT INTO task_outbox AS o
    (task, args, kwargs, key, run_after, lease_seconds, created_at, sends, version, last_error)
SELECT %(task)s, r.args, r.kwargs, r.key,
       statement_timestamp() + make_interval(secs => %(countdown)s), %(lease)s,
       statement_timestamp(), 0, 1, ''
FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(args jsonb, kwargs jsonb, key text)
ON CONFLICT (key) DO UPDATE SET
    version = o.version + CASE WHEN {_COALESCED} THEN 0 ELSE 1 END,
    sends = CASE WHEN {_COALESCED} THEN o.sends ELSE 0 END,
    run_after = CASE WHEN {_COALESCED} THEN o.run_after ELSE EXCLUDED.run_after END,
    sent_at = CASE WHEN {_COALESCED} THEN o.sent_at ELSE NULL END
RETURNING id
"""

_CLAIM_SQL = """
UPDATE task_outbox SET sent_at = statement_timestamp(), sends = sends + 1
WHERE id = %s AND sent_at IS NULL
RETURNING task, args, kwargs, version,
          greatest(0, extract(epoch FROM run_after - statement_timestamp()))::float
"""

_UNCLAIM_SQL = """
UPDATE task_outbox SET sent_at = NULL, sends = greatest(sends - 1, 0), last_error = %s
WHERE id = %s AND version = %s
"""

_DUE_SQL = """
SELECT id FROM task_outbox
WHERE sends < %(max_sends)s
  AND ((sent_at IS NULL AND run_after <= statement_timestamp() - make_interval(secs => %(grace)s))
       OR sent_at < statement_timestamp() - make_interval(secs => lease_seconds))
ORDER BY run_after, id
LIMIT %(limit)s
"""

_EXPIRE_SQL = """
UPDATE task_outbox SET sent_at = NULL
WHERE id = ANY(%s) AND sent_at < statement_timestamp() - make_interval(secs => lease_seconds)
"""


def task_named(name: str):
    """The registered task of that dotted name, importing its module when this process has not
    (a web process imports only the tasks its pages use)."""
    if name not in app.tasks:
        import_module(name.rsplit(".", 1)[0])
    return app.tasks[name]


def lease_for(task_name: str) -> int:
    """Seconds after a send before the sweep takes the task for lost: its hard time limit and
    a minute, unless TASK_OUTBOX_LEASE_SECONDS sets one for every task."""
    if settings.TASK_OUTBOX_LEASE_SECONDS:
        return settings.TASK_OUTBOX_LEASE_SECONDS
    task = task_named(task_name)
    limit = task.time_limit or app.conf.task_time_limit or 15 * 60
    return int(limit) + 60


def enqueue(task, *args: Any, key: str | None = None, countdown: float = 0, **kwargs: Any) -> int:
    """Record `task(*args, **kwargs)` in the current transaction and send it once that commits
    (`countdown` seconds later). Returns the outbox row's id."""
    (outbox_id,) = enqueue_many(task, [(args, kwargs, key)], countdown=countdown)
    return outbox_id


def enqueue_many(
    task, calls: Iterable[tuple[Sequence[Any], dict[str, Any], str | None]], *, countdown: float = 0
) -> list[int]:
    """`enqueue()` for many calls of one task, `(args, kwargs, key)` each, in one statement;
    returns their rows' ids."""
    name = task if isinstance(task, str) else task.name
    rows, keys = [], set()
    for args, kwargs, key in calls:
        if key is not None and key in keys:
            continue
        keys.add(key)
        rows.append({"args": list(args), "kwargs": kwargs, "key": key})
    if not rows:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT_SQL,
            {
                "task": name,
                "rows": json.dumps(rows),
                "countdown": float(countdown),
                "lease": lease_for(name),
            },
        )
        ids = [row[0] for row in cursor.fetchall()]
    transaction.on_commit(partial(send_all, ids))
    return ids


def send_all(outbox_ids: list[int]) -> int:
    """Send the rows' tasks; stops at the first the broker refuses (the rest wait for the
    sweep). Returns how many were sent."""
    sent = 0
    for outbox_id in outbox_ids:
        outcome = _send(outbox_id)
        if outcome == SENT:
            sent += 1
        elif outcome == REFUSED:
            break
    return sent


def send(outbox_id: int) -> bool:
    """Send one waiting row's task to the broker. False when there was nothing to send (another
    process sent it) or the broker could not be reached (the row waits for the sweep)."""
    return _send(outbox_id) == SENT


SENT, TAKEN, REFUSED = "sent", "taken", "refused"


def _send(outbox_id: int) -> str:
    """SENT; TAKEN when another process sent the row first; REFUSED when the broker could not
    be reached."""
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM_SQL, [outbox_id])
        row = cursor.fetchone()
    if row is None:
        return TAKEN
    name, args, kwargs, version, countdown = row
    args = json.loads(args) if isinstance(args, str) else args
    kwargs = json.loads(kwargs) if isinstance(kwargs, str) else kwargs
    task = task_named(name)
    options = {"countdown": countdown or None, "headers": {OUTBOX_HEADER: [outbox_id, version]}}
    if app.conf.task_always_eager:
        task.apply_async(args, kwargs, **options)
        return SENT
    try:
        # Nobody waits for the result of work sent from here: not subscribing to it keeps the
        # result store (Redis too) out of the page's way.
        task.apply_async(args, kwargs, retry=False, ignore_result=True, **options)
    except Exception as exc:  # any failure to publish: the row waits for the sweep
        logger.warning(
            "Broker unreachable: %s(%s) waits in the outbox (row %s): %r",
            name,
            args,
            outbox_id,
            exc,
        )
        with connection.cursor() as cursor:
            cursor.execute(_UNCLAIM_SQL, [repr(exc)[:500], outbox_id, version])
        return REFUSED
    return SENT


def done(outbox_id: int, version: int) -> None:
    """The task of this row ran to the end: the row goes, unless the work was asked for again
    since it was sent (another version is due)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM task_outbox WHERE id = %s AND version = %s", [outbox_id, version]
        )


def extend(outbox_id: int, version: int, *, seconds: int) -> None:
    """The task of this row is waiting to retry: its lease counts from `seconds` from now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE task_outbox SET sent_at = statement_timestamp() + make_interval(secs => %s)"
            " WHERE id = %s AND version = %s AND sent_at IS NOT NULL",
            [seconds, outbox_id, version],
        )


def sweep(*, limit: int = 500) -> int:
    """Send the rows that wait: never sent (and older than TASK_OUTBOX_GRACE_SECONDS, so a
    commit's own send goes first) or sent and not done within their lease. Returns how many
    were sent."""
    with connection.cursor() as cursor:
        cursor.execute(
            _DUE_SQL,
            {
                "max_sends": settings.TASK_OUTBOX_MAX_SENDS,
                "grace": settings.TASK_OUTBOX_GRACE_SECONDS,
                "limit": limit,
            },
        )
        ids = [row[0] for row in cursor.fetchall()]
        if ids:
            cursor.execute(_EXPIRE_SQL, [ids])
        cursor.execute(
            "SELECT count(*) FROM task_outbox WHERE sends >= %s AND sent_at IS NOT NULL"
            " AND sent_at < statement_timestamp() - make_interval(secs => lease_seconds)",
            [settings.TASK_OUTBOX_MAX_SENDS],
        )
        (given_up,) = cursor.fetchone()
    if given_up:
        logger.error(
            "%s background tasks did not finish after %s sends; their rows stay in task_outbox.",
            given_up,
            settings.TASK_OUTBOX_MAX_SENDS,
        )
    return send_all(ids)


def waiting_to_send(*, key: str) -> bool:
    """Whether the work of that key is recorded and not sent yet."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM task_outbox WHERE key = %s AND sent_at IS NULL", [key])
        return cursor.fetchone() is not None
