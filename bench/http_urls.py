"""The site's routes and, for bench/http_bench.py only, `/bench/bare/`: one row read with the full
middleware and the visitor's session, the yardstick every page is measured against."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from lms.urls import urlpatterns as site_urlpatterns
from tenancy.models import Country


def bare_view(request: HttpRequest) -> HttpResponse:
    country = Country.objects.order_by("pk").values_list("name", flat=True).first()
    return HttpResponse(f"{country} {request.user.pk}", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare_view, name="bench-bare"), *site_urlpatterns]
