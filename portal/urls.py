"""Each page module declares its own `routes`; this joins them under the `portal` namespace."""

from portal.views import catalog, learning, player

app_name = "portal"

urlpatterns = [*catalog.routes, *learning.routes, *player.routes]
