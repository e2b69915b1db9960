"""Celery autodiscovery looks for `assessments.tasks`: this imports the task modules of the
subdomains so their tasks are registered (the lab task is registered through CELERY_IMPORTS)."""

from assessments.deadlines import tasks as deadlines_tasks  # noqa: F401
from assessments.grades import tasks as grades_tasks  # noqa: F401
from assessments.quizzes import tasks as quizzes_tasks  # noqa: F401
