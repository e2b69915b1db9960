"""Each page module declares its own `routes`; this joins them under the `portal` namespace."""

from portal.views import (
    announcements,
    assignment,
    calendar,
    catalog,
    certificates,
    community,
    course_search,
    enrollment,
    grades,
    invitations,
    lab,
    learning,
    media,
    notifications,
    player,
    quiz,
)

app_name = "portal"

urlpatterns = [
    *catalog.routes,
    *enrollment.routes,
    *learning.routes,
    *calendar.routes,
    *player.routes,
    *course_search.routes,
    *media.routes,
    *lab.routes,
    *assignment.routes,
    *quiz.routes,
    *community.routes,
    *grades.routes,
    *certificates.routes,
    *invitations.routes,
    *notifications.routes,
    *announcements.routes,
]
