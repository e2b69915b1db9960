"""Giving a learner an accommodation from the course home's People tab: each learner's row
links to the admin form with the offering and learner filled in; saving it there stores it,
and another university's instructor can neither add one to this offering nor open it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.accommodations.models import Accommodation
from catalog.tests.tenants import build_tenants

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(offering, student) -> dict:
    return {
        "course_offering": offering.pk,
        "user": student.pk,
        "content_item": "",
        "extra_minutes": "30",
        "time_factor": "",
        "extra_attempts": "1",
        "due_at_0": "",
        "due_at_1": "",
        "note": "Documented need",
    }


def test_the_people_tab_links_each_learner_to_a_filled_in_form(tenants):
    offering, student = tenants.offering_a1, tenants.enrollments["a1"].user
    instructor = client_for(tenants.users["instructor"])
    people = instructor.get(reverse("teaching:offering-tab", args=[offering.pk, "people"]))
    links = re.findall(r'href="([^"]*/accommodation/add/[^"]*)"', people.content.decode())
    wanted = f"?course_offering={offering.pk}&amp;user={student.pk}"
    assert [link for link in links if link.endswith(wanted)], links
    add_url = links[0].replace("&amp;", "&").split("?")[0]

    page = instructor.get(f"{add_url}?course_offering={offering.pk}&user={student.pk}")
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["user"] == str(student.pk)

    saved = instructor.post(add_url, form(offering, student))
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    accommodation = Accommodation.objects.get()
    assert (accommodation.user, accommodation.extra_minutes) == (student, 30)


def test_another_universitys_instructor_can_neither_add_nor_open_one(tenants):
    offering, student = tenants.offering_a1, tenants.enrollments["a1"].user
    outsider = client_for(tenants.users["instructor_b"])
    add_url = reverse("admin:assessments_accommodation_add")
    refused = outsider.post(add_url, form(offering, student))
    assert refused.status_code in (200, 403)
    assert not Accommodation.objects.exists()

    client_for(tenants.users["instructor"]).post(add_url, form(offering, student))
    accommodation = Accommodation.objects.get()
    change_url = reverse("admin:assessments_accommodation_change", args=[accommodation.pk])
    assert outsider.get(change_url).status_code == 404
    listed = outsider.get(reverse("admin:assessments_accommodation_changelist"))
    assert student.email not in listed.content.decode()
