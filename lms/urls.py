from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "LMS administration"
admin.site.site_title = "LMS administration"

urlpatterns = [
    # The admin's login page links here ("Forgotten your login credentials?"): the site's reset.
    path(
        "admin/password_reset/",
        RedirectView.as_view(pattern_name="accounts:password-reset"),
        name="admin_password_reset",
    ),
    # Teaching staff land on their teaching (staff.teaching); then the admin itself.
    path("admin/", include("staff.teaching.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("tenancy.urls")),
    path("", include("portal.urls")),
]

handler400 = "portal.views.errors.bad_request"
handler404 = "portal.views.errors.page_not_found"
handler403 = "portal.views.errors.permission_denied"
handler500 = "portal.views.errors.server_error"
