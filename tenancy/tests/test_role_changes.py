"""Every role grant and revoke is recorded (who, when, what), and university admins read the
record of their own university only; nobody edits it."""

import pytest
from django.test import Client
from django.urls import reverse

from tenancy.models import Role, RoleChange
from tenancy.services import role_grant, role_revoke
from tenancy.tests.factories import DepartmentFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_grants_and_revokes_are_recorded_once_each():
    department = DepartmentFactory()
    university = department.university
    actor, person = UserFactory(email="actor@x.edu"), UserFactory(email="person@x.edu")
    role_grant(user=person, university=university, role=Role.INSTRUCTOR, actor=actor)
    role_grant(user=person, university=university, role=Role.INSTRUCTOR, actor=actor)  # no-op
    role_grant(
        user=person,
        university=university,
        role=Role.DEPARTMENT_ADMIN,
        department=department,
        actor=actor,
    )
    assert role_revoke(user=person, university=university, role=Role.INSTRUCTOR, actor=actor) == 1
    assert role_revoke(user=person, university=university, role=Role.INSTRUCTOR, actor=actor) == 0
    rows = RoleChange.objects.order_by("pk").values_list(
        "action", "role", "department_id", "user_email", "actor_email", "university_id"
    )
    assert list(rows) == [
        ("grant", Role.INSTRUCTOR, None, "person@x.edu", "actor@x.edu", university.pk),
        (
            "grant",
            Role.DEPARTMENT_ADMIN,
            department.pk,
            "person@x.edu",
            "actor@x.edu",
            university.pk,
        ),
        ("revoke", Role.INSTRUCTOR, None, "person@x.edu", "actor@x.edu", university.pk),
    ]


def test_university_admins_read_their_own_record_only():
    mine, theirs = DepartmentFactory().university, DepartmentFactory().university
    chief = UserFactory()
    RoleFactory(user=chief, university=mine, role=Role.UNIVERSITY_ADMIN)
    role_grant(user=UserFactory(email="here@x.edu"), university=mine, role=Role.TA)
    role_grant(user=UserFactory(email="there@y.edu"), university=theirs, role=Role.TA)
    foreign = RoleChange.objects.get(user_email="there@y.edu")
    client = Client()
    client.force_login(chief)
    listing = client.get(reverse("admin:tenancy_rolechange_changelist"))
    assert listing.status_code == 200
    assert [row.user_email for row in listing.context["cl"].result_list] == ["here@x.edu"]
    detail = reverse("admin:tenancy_rolechange_change", args=[foreign.pk])
    assert client.get(detail).status_code == 404
    own = RoleChange.objects.get(user_email="here@x.edu")
    own_page = reverse("admin:tenancy_rolechange_change", args=[own.pk])
    assert client.post(own_page, {"role": Role.UNIVERSITY_ADMIN}).status_code == 403
    delete = reverse("admin:tenancy_rolechange_delete", args=[own.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert RoleChange.objects.count() == 2
    assert RoleChange.objects.get(pk=own.pk).role == Role.TA


def test_department_admins_and_teachers_do_not_read_it():
    department = DepartmentFactory()
    client = Client()
    for role in (Role.DEPARTMENT_ADMIN, Role.INSTRUCTOR):
        person = UserFactory()
        RoleFactory(
            user=person,
            university=department.university,
            role=role,
            department=department if role == Role.DEPARTMENT_ADMIN else None,
        )
        client.force_login(person)
        assert client.get(reverse("admin:tenancy_rolechange_changelist")).status_code == 403
