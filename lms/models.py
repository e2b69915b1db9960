"""The task outbox: background work recorded in the transaction of the write that needs it.

A row is written with the write (the same transaction), sent to the broker once that commits,
and deleted by the task when it has run to the end. A row that could not be sent (the broker
was away) or whose task did not finish within its lease (the worker was killed) is sent again by
the sweep (lms.tasks.task_outbox_sweep_task), so no work is lost and none waits for the broker's
redelivery. See lms/outbox.py.
"""

from django.db import models
from django.db.models.functions import Now


class OutboxTask(models.Model):
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    # One pending row per key: work asked for again before it ran is asked for once.
    key = models.CharField(max_length=255, null=True, blank=True, unique=True)
    run_after = models.DateTimeField(db_default=Now())
    lease_seconds = models.PositiveIntegerField()
    created_at = models.DateTimeField(db_default=Now())
    sent_at = models.DateTimeField(null=True, blank=True)
    sends = models.PositiveIntegerField(default=0, db_default=0)
    # Raised when the work is asked for again after a send: the task that was sent deletes the
    # row only if it is still the version it was sent with.
    version = models.PositiveIntegerField(default=1, db_default=1)
    last_error = models.TextField(blank=True, default="", db_default="")

    class Meta:
        db_table = "task_outbox"
        indexes = [models.Index(fields=["sent_at", "run_after"], name="task_outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
