"""Admin for assessments, one module per area; each module registers its own model admins."""

from assessments.admin import (
    labs,  # noqa: F401
    progress,  # noqa: F401
)
