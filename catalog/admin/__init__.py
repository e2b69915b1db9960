"""Admin for the catalog, one module per area; each module registers its own model admins."""

from catalog.admin import courses, invitations, offerings, taxonomy  # noqa: F401
