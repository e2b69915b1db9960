"""The site's URLs plus two views that fail, for the error page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from lms.urls import handler403, handler404, handler500
from lms.urls import urlpatterns as site_urlpatterns


def denied_view(request):
    raise PermissionDenied("Staff only.")


def broken_view(request):
    raise RuntimeError("The database is on fire.")


urlpatterns = [
    path("denied/", denied_view),
    path("broken/", broken_view),
    *site_urlpatterns,
]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
