"""Admin for assessments, one module per area; each module registers its own model admins."""

from assessments.admin import (
    assignments,  # noqa: F401
    grades,  # noqa: F401
    labs,  # noqa: F401
    progress,  # noqa: F401
    quizzes,  # noqa: F401
)
