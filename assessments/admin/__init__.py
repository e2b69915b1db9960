"""Admin for assessments: each subdomain registers its model admins in its own admin.py, imported
here so the admin's autodiscovery (which looks for `assessments.admin`) finds them. The course
copy and rerun pages, which compose syllabus, content and assessments, are staff.admin's."""

from assessments.accommodations import admin as accommodations_admin  # noqa: F401
from assessments.assignments import admin as assignments_admin  # noqa: F401
from assessments.grades import admin as grades_admin  # noqa: F401
from assessments.labs import admin as labs_admin  # noqa: F401
from assessments.progress import admin as progress_admin  # noqa: F401
from assessments.quizzes import admin as quizzes_admin  # noqa: F401
from assessments.rubrics import admin as rubrics_admin  # noqa: F401
