"""What each role may do in the admin with content's models: staff of a course shape its items
(teaching assistants look, see tenancy.auth). Run from ContentConfig.ready()."""

from tenancy.auth import ADMIN_ROLES, ALL, TEACHING_ROLES, register_models_permissions


def role_permissions_register() -> None:
    register_models_permissions(
        "content",
        [
            "asset",
            "courseimage",
            "contentitem",
            "videoitem",
            "quizitem",
            "engineeringlabitem",
            "textitem",
            "assignmentitem",
            "resourceitem",
        ],
        {role: ALL for role in (*ADMIN_ROLES, *TEACHING_ROLES)},
    )
