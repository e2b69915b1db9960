"""Admin for the catalog, one module per area; each module registers its own model admins."""
