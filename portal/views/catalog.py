from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from catalog.models import Course


def catalog_view(request: HttpRequest) -> HttpResponse:
    courses = Course.objects.filter(is_published=True).select_related("university")[:50]
    return render(request, "portal/catalog.html", {"courses": courses})


routes = [
    path("", catalog_view, name="catalog"),
]
