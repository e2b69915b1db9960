"""Celery tasks of quizzes. The registered name keeps the `assessments.tasks.` prefix: the beat
schedule and the task routes store it."""

from celery import shared_task

from assessments.quizzes import services as quiz_services
from assessments.task_options import RETRY


@shared_task(
    **RETRY, name="assessments.tasks.quiz_attempts_expire_task", soft_time_limit=50, time_limit=60
)
def quiz_attempts_expire_task() -> int:
    """Beat runs this every minute: attempts whose time ran out while the learner was away are
    submitted with what was saved, as of their deadline, so their scores count without the
    learner coming back. A batch per run; a run that finds none changes nothing."""
    return quiz_services.expired_attempts_submit()
