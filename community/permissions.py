"""What each role may do in the admin with community's models: staff, teaching assistants
too, moderate the discussions and reviews of their offerings and post their announcements. Run
from CommunityConfig.ready()."""

from tenancy.auth import (
    ADMIN_ROLES,
    ALL,
    MODERATE,
    TEACHING_ROLES,
    register_models_permissions,
    register_ta_limit,
)


def role_permissions_register() -> None:
    register_ta_limit("community", MODERATE)
    register_models_permissions(
        "community",
        ["discussionthread", "discussionpost", "coursereview", "reviewreply", "postreport"],
        {role: MODERATE for role in (*ADMIN_ROLES, *TEACHING_ROLES)},
    )
    # Announcements are staff's own writing: teaching assistants post them too.
    register_ta_limit("community", ALL, model="announcement")
    register_models_permissions(
        "community", ["announcement"], {role: ALL for role in (*ADMIN_ROLES, *TEACHING_ROLES)}
    )
