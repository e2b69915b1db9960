"""What asks for a grade rollup, recorded in the transaction of the write that changed a score
(the task outbox, lms/outbox.py): a quiz attempt scored, a lab or an assignment graded or
reviewed, the syllabus changing what counts.

A learner who answers and submits, or a lab that is regraded several times, asks for the same
learner's rollup many times within seconds: the first request schedules it
GRADE_ROLLUP_COALESCE_SECONDS later, and the ones that follow before it runs are that same
request (the outbox key of the offering and learner). A request made once the rollup may be
running schedules another, so the newest score is always rolled up. If the broker is away when
the write commits, the request waits in the outbox and the sweep sends it when it is back.
"""

from django.conf import settings

from lms import outbox

ROLLUP_TASK = "assessments.tasks.grade_rollup_task"


def rollup_key(*, offering_id: int, user_id: int | None = None) -> str:
    if user_id is None:
        return f"grade-rollup:{offering_id}"
    return f"grade-rollup:{offering_id}:{user_id}"


def grade_rollup_soon(*, offering_id: int, user_id: int) -> int:
    """Roll the learner's grade up shortly after this transaction commits; returns the outbox
    row (the same row for every request of a burst)."""
    return outbox.enqueue(
        ROLLUP_TASK,
        offering_id,
        user_id,
        key=rollup_key(offering_id=offering_id, user_id=user_id),
        countdown=max(settings.GRADE_ROLLUP_COALESCE_SECONDS, 0),
    )


def offering_grades_rollup_soon(*, offering_id: int) -> int:
    """Roll up every grade of the offering once this transaction commits."""
    return outbox.enqueue(ROLLUP_TASK, offering_id, None, key=rollup_key(offering_id=offering_id))


def certificate_issue_soon(*, offering_id: int, user_id: int) -> int:
    """Issue (or finish issuing) the learner's certificate once this transaction commits."""
    return outbox.enqueue(
        "assessments.tasks.certificate_issue_task",
        offering_id,
        user_id,
        key=f"certificate:{offering_id}:{user_id}",
    )


def grades_finalize_soon(*, offering_id: int) -> int:
    return outbox.enqueue(
        "assessments.tasks.grades_finalize_task", offering_id, key=f"grades-finalize:{offering_id}"
    )


def lab_grade_soon(*, submission_id: int) -> int:
    return outbox.enqueue(
        "assessments.labs.tasks.lab_submission_grade_task",
        submission_id,
        key=lab_key(submission_id),
    )


def lab_key(submission_id: int) -> str:
    return f"lab-grade:{submission_id}"
