"""The catalog admin: staff links through the services, the subject tree, constant queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import CourseOfferingInstructor, Subject
from catalog.tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    OfferingFactory,
    SubjectFactory,
)
from catalog.tests.tenants import Tenants, build_tenants
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants(db, settings) -> Tenants:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()


def admin_client(tenants, role="university_admin") -> Client:
    client = Client()
    client.force_login(tenants.user(role))
    return client


def test_staff_added_in_the_admin_get_their_guardian_permissions(tenants):
    teacher = UserFactory(email="new-teacher@example.edu")
    RoleFactory(user=teacher, university=tenants.university_a, role=Role.INSTRUCTOR)
    client = admin_client(tenants)
    response = client.post(
        reverse("admin:catalog_courseofferinginstructor_add"),
        {"user": teacher.pk, "course_offering": tenants.offering_a2.pk},
    )
    assert response.status_code == 302
    teacher = type(teacher).objects.get(pk=teacher.pk)
    assert teacher.has_perm("catalog.change_courseoffering", tenants.offering_a2)
    assert teacher.has_perm("catalog.view_course", tenants.course_a2)

    link = CourseOfferingInstructor.objects.get(user=teacher)
    response = client.post(
        reverse("admin:catalog_courseofferinginstructor_delete", args=[link.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    teacher = type(teacher).objects.get(pk=teacher.pk)
    assert not CourseOfferingInstructor.objects.filter(user=teacher).exists()
    assert not teacher.has_perm("catalog.change_courseoffering", tenants.offering_a2)
    assert not teacher.has_perm("catalog.view_course", tenants.course_a2)


def test_subject_tree_is_indented_and_deleting_keeps_the_children(tenants):
    root = SubjectFactory(name="Engineering")
    child = SubjectFactory(name="Mechanical", parent=root, domain=root.domain)
    SubjectFactory(name="Thermodynamics", parent=child, domain=root.domain)
    client = admin_client(tenants, "platform_admin")
    page = client.get(reverse("admin:catalog_subject_changelist")).content.decode()
    assert '<span class="tree-indent-2">Thermodynamics</span>' in page
    response = client.post(
        reverse("admin:catalog_subject_delete", args=[child.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert sorted(Subject.objects.values_list("name", "depth")) == [
        ("Engineering", 0),
        ("Thermodynamics", 0),
    ]


def _more_rows(tenants, n: int) -> None:
    for i in range(n):
        course = CourseFactory(university=tenants.university_a, department=tenants.department_a1)
        offering = OfferingFactory(course=course)
        EnrollmentFactory(course_offering=offering)
        EnrollmentFactory(course_offering=tenants.offering_a1)
        CourseOfferingInstructor.objects.create(
            course_offering=offering, user=UserFactory(email=f"more-{n}-{i}@example.edu")
        )


@pytest.mark.parametrize(
    "name", ["course", "courseoffering", "courseenrollment", "courseofferinginstructor"]
)
@pytest.mark.parametrize("role", ["university_admin", "department_admin"])
def test_changelists_run_a_constant_number_of_queries(tenants, name, role):
    client = admin_client(tenants, role)
    url = reverse(f"admin:catalog_{name}_changelist")
    _more_rows(tenants, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _more_rows(tenants, 4)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
