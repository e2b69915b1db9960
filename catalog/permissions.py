"""What each role may do in the admin with catalog's models; tenant scoping decides which rows.
Run from CatalogConfig.ready()."""

from tenancy.auth import ADMIN_ROLES, ALL, TEACHING_ROLES, VIEW, register_models_permissions


def role_permissions_register() -> None:
    # The taxonomy is shared reference data; courses and offerings belong to a tenant.
    register_models_permissions(
        "catalog", ["domain", "subject"], {role: VIEW for role in (*ADMIN_ROLES, *TEACHING_ROLES)}
    )
    register_models_permissions(
        "catalog",
        [
            "course",
            "coursesubject",
            "courseprerequisite",
            "courseoffering",
            "courseofferinginstructor",
            "courseenrollment",
        ],
        {**{role: ALL for role in ADMIN_ROLES}, **{role: VIEW for role in TEACHING_ROLES}},
    )
