from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "LMS administration"
admin.site.site_title = "LMS administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("tenancy.urls")),
    path("", include("portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
