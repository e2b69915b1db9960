"""Each page module declares its own `routes`; this joins them under the `portal` namespace."""

from portal.views import (
    catalog,
    certificates,
    community,
    enrollment,
    grades,
    learning,
    player,
    quiz,
)

app_name = "portal"

urlpatterns = [
    *catalog.routes,
    *enrollment.routes,
    *learning.routes,
    *player.routes,
    *quiz.routes,
    *community.routes,
    *grades.routes,
    *certificates.routes,
]
