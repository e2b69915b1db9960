"""What each role may do in the admin with syllabus's models: staff of a course shape its
modules (teaching assistants look, see tenancy.auth). Run from SyllabusConfig.ready()."""

from tenancy.auth import ADMIN_ROLES, ALL, TEACHING_ROLES, VIEW, register_models_permissions


def role_permissions_register() -> None:
    staff = (*ADMIN_ROLES, *TEACHING_ROLES)
    register_models_permissions("syllabus", ["moduletemplate"], {role: VIEW for role in staff})
    register_models_permissions("syllabus", ["module"], {role: ALL for role in staff})
