"""The log lines of a signed-in user's request carry their user id and their university."""

import json

import pytest

from lms.tests.logcapture import site_logs
from tenancy.access import primary_university_id
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UniversityFactory, UserFactory


@pytest.mark.django_db
def test_a_signed_in_request_logs_its_user_and_university(client):
    role = RoleFactory(role=Role.STUDENT)
    client.force_login(role.user)
    with site_logs("json") as output:
        response = client.get("/no-such-page/")
    assert response.status_code == 404
    (line,) = [
        json.loads(text)
        for text in output.getvalue().splitlines()
        if json.loads(text)["logger"] == "django.request"
    ]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == role.user.pk
    assert line["university_id"] == role.university_id


@pytest.mark.django_db
def test_the_university_is_the_lowest_of_several_and_none_without_roles():
    first, second = UniversityFactory(), UniversityFactory()
    user = UserFactory()
    RoleFactory(user=user, university=second, role=Role.INSTRUCTOR)
    RoleFactory(user=user, university=first, role=Role.STUDENT)
    assert primary_university_id(user) == min(first.pk, second.pk)
    assert primary_university_id(UserFactory()) is None
