"""What each role may do in the admin with tenancy's own models; scoping decides which rows.
Run from TenancyConfig.ready(); every app above registers its own models the same way."""

from tenancy.auth import ADMIN_ROLES, ALL, EDIT, VIEW, register_models_permissions
from tenancy.models import Role


def role_permissions_register() -> None:
    # A university admin runs their university (not the list of countries or universities).
    register_models_permissions("tenancy", ["country"], {role: VIEW for role in ADMIN_ROLES})
    register_models_permissions(
        "tenancy", ["university"], {Role.UNIVERSITY_ADMIN: EDIT, Role.DEPARTMENT_ADMIN: VIEW}
    )
    register_models_permissions(
        "tenancy", ["department"], {Role.UNIVERSITY_ADMIN: ALL, Role.DEPARTMENT_ADMIN: VIEW}
    )
    # Accounts are platform-wide: university admins edit the people of their university (see
    # tenancy.admin) but add people by invitation, never by creating an account.
    register_models_permissions(
        "tenancy", ["user"], {Role.UNIVERSITY_ADMIN: EDIT, Role.DEPARTMENT_ADMIN: VIEW}
    )
    register_models_permissions("tenancy", ["useruniversityrole"], {Role.UNIVERSITY_ADMIN: ALL})
    register_models_permissions("tenancy", ["rolechange"], {Role.UNIVERSITY_ADMIN: VIEW})
