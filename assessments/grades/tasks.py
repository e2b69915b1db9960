"""Celery tasks of course grades and certificates: thin wrappers that take ids and call a service.

Every task is idempotent (see the services), runs with acks_late and reject_on_worker_lost
(settings), retries a bounded number of times with backoff on database and connection errors,
and has a time limit well under the broker's visibility timeout. Work that pages and other tasks
ask for goes through the task outbox (assessments/triggers.py, lms/outbox.py), so it is sent
again when the broker was away or the worker running it was killed. The registered names keep
the `assessments.tasks.` prefix: the outbox, the beat schedule and the task routes store them.
"""

from celery import shared_task
from django.db import transaction

from assessments import triggers
from assessments.grades import certificates
from assessments.grades import services as grading
from assessments.task_options import RETRY


# A rollup of a whole 10,000-learner offering takes seconds; a killed worker's rollup is sent
# again by the outbox sweep once the hard limit and a minute have passed (lms/outbox.py).
@shared_task(
    **RETRY, name="assessments.tasks.grade_rollup_task", soft_time_limit=150, time_limit=180
)
def grade_rollup_task(offering_id: int, user_id: int | None = None) -> int:
    """Roll up one learner's grade (or the whole offering's when `user_id` is None), then
    issue the certificates that became due."""
    with transaction.atomic():
        result = grading.grades_rollup(
            offering_id=offering_id, user_ids=None if user_id is None else [user_id]
        )
        _issue_due_certificates(offering_id, result)
    return result.changed


def _issue_due_certificates(offering_id: int, result: grading.RollupResult) -> None:
    """In the rollup's transaction: every certificate that became due is recorded to issue."""
    for due_user_id in result.certificates_due:
        triggers.certificate_issue_soon(offering_id=offering_id, user_id=due_user_id)


@shared_task(
    **RETRY, name="assessments.tasks.grades_finalize_task", soft_time_limit=150, time_limit=180
)
def grades_finalize_task(offering_id: int) -> int:
    """Make the offering's grades final and roll them up; passing learners complete and their
    certificates are issued. Returns how many enrollments this run completed (0 on a rerun)."""
    with transaction.atomic():
        result = grading.grades_finalize(offering_id=offering_id)
        _issue_due_certificates(offering_id, result)
    return result.completed


@shared_task(
    **RETRY, name="assessments.tasks.grades_finalize_due_task", soft_time_limit=60, time_limit=90
)
def grades_finalize_due_task() -> int:
    """Beat runs this hourly: one finalising task per offering whose end date has passed and
    whose grades are not final yet. A run that finds none changes nothing."""
    offering_ids = grading.offerings_to_finalize()
    for offering_id in offering_ids:
        triggers.grades_finalize_soon(offering_id=offering_id)
    return len(offering_ids)


@shared_task(
    **RETRY, name="assessments.tasks.grades_rollup_nightly_task", soft_time_limit=60, time_limit=90
)
def grades_rollup_nightly_task() -> int:
    """Beat runs this nightly: one rollup task per offering with active enrollments."""
    offering_ids = grading.offerings_to_roll_up()
    for offering_id in offering_ids:
        triggers.offering_grades_rollup_soon(offering_id=offering_id)
    return len(offering_ids)


@shared_task(
    **RETRY, name="assessments.tasks.certificate_issue_task", soft_time_limit=100, time_limit=120
)
def certificate_issue_task(offering_id: int, user_id: int) -> int | None:
    certificate = certificates.certificate_issue(offering_id=offering_id, user_id=user_id)
    return certificate.pk if certificate else None
