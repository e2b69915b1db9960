"""The teaching pages, under the admin's address and behind its login (admin_view)."""

from django.contrib import admin
from django.urls import path

from staff.teaching import queue_views, views

app_name = "teaching"
wrap = admin.site.admin_view

urlpatterns = [
    path("", wrap(views.admin_index), name="admin-index"),
    path("teaching/", wrap(views.home), name="home"),
    path("teaching/offering/<int:offering_id>/", wrap(views.offering_home), name="offering"),
    path(
        "teaching/offering/<int:offering_id>/<slug:tab>/",
        wrap(views.offering_home),
        name="offering-tab",
    ),
    path(
        "teaching/offering/<int:offering_id>/grade/<int:item_id>/",
        wrap(queue_views.grading_queue),
        name="queue",
    ),
    path(
        "teaching/offering/<int:offering_id>/grade/<int:item_id>/<int:submission_id>/",
        wrap(queue_views.grading_queue),
        name="queue-submission",
    ),
]
