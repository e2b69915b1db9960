"""The admins composed from several apps, one module per model; each registers its model's
admin, which no lower app registers."""

from staff.admin import (  # noqa: F401
    course_imports,
    items,
    modules,
    question_pools,
    reruns,
    roles,
    templates,
)
