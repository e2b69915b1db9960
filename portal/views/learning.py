from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from catalog.models import CourseEnrollment


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    enrollments = CourseEnrollment.objects.filter(user=request.user).select_related(
        "course_offering__course"
    )
    return render(request, "portal/dashboard.html", {"enrollments": enrollments})


routes = [
    path("my/", dashboard_view, name="dashboard"),
]
