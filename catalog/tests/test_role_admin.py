"""The raw role admin and a user's roles in the admin write through the roster's services:
revoking someone's last teaching role takes them off the university's offerings with their
object permissions, the rules are those of the roles page, and refusals change nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from catalog.models import CourseOfferingInstructor
from catalog.tests.tenants import Tenants, build_tenants
from tenancy.access import tenant_scope
from tenancy.models import Role, UserUniversityRole


@pytest.fixture
def tenants(db, settings) -> Tenants:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()


def client_for(tenants: Tenants, role: str) -> Client:
    client = Client()
    client.force_login(tenants.user(role))
    return client


def role_row(user, role) -> UserUniversityRole:
    return UserUniversityRole.objects.get(user=user, role=role)


def teaching(user) -> list:
    offerings = CourseOfferingInstructor.objects.filter(user=user)
    return sorted(offerings.values_list("course_offering_id", flat=True))


def guardian_rows(user) -> int:
    return UserObjectPermission.objects.filter(user=user).count()


def roles_snapshot() -> list:
    return list(UserUniversityRole.objects.order_by("pk").values_list())


def test_deleting_a_teaching_role_in_the_role_admin_removes_the_teacher(tenants):
    instructor = tenants.users["instructor"]
    # A permission granted by hand on the other run goes too.
    assign_perm("catalog.view_courseoffering", instructor, tenants.offering_a1_next)
    assert teaching(instructor) == [tenants.offering_a1.pk]
    assert guardian_rows(instructor) == 5

    client = client_for(tenants, "university_admin")
    row = role_row(instructor, Role.INSTRUCTOR)
    url = reverse("admin:tenancy_useruniversityrole_delete", args=[row.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302

    assert not UserUniversityRole.objects.filter(pk=row.pk).exists()
    assert teaching(instructor) == []
    assert guardian_rows(instructor) == 0
    fresh = tenants.user("instructor")
    assert tenant_scope(fresh).offering_ids == frozenset()


def test_changing_instructor_to_ta_keeps_teaching_and_to_student_stops(tenants):
    instructor = tenants.users["instructor"]
    client = client_for(tenants, "university_admin")
    row = role_row(instructor, Role.INSTRUCTOR)
    url = reverse("admin:tenancy_useruniversityrole_change", args=[row.pk])
    data = {"user": instructor.pk, "university": tenants.university_a.pk, "department": ""}

    assert client.post(url, {**data, "role": Role.TA}).status_code == 302
    assert list(instructor.university_roles.values_list("role", flat=True)) == [Role.TA]
    assert teaching(instructor) == [tenants.offering_a1.pk]
    assert guardian_rows(instructor) == 4

    ta_row = role_row(instructor, Role.TA)
    url = reverse("admin:tenancy_useruniversityrole_change", args=[ta_row.pk])
    assert client.post(url, {**data, "role": Role.STUDENT}).status_code == 302
    assert list(instructor.university_roles.values_list("role", flat=True)) == [Role.STUDENT]
    assert teaching(instructor) == []
    assert guardian_rows(instructor) == 0


def test_removing_a_role_on_the_user_page_goes_through_the_roster(tenants):
    instructor = tenants.users["instructor"]
    client = client_for(tenants, "university_admin")
    row = role_row(instructor, Role.INSTRUCTOR)
    url = reverse("admin:tenancy_user_change", args=[instructor.pk])
    data = {
        "full_name": instructor.full_name,
        "locale": "en",
        "time_zone": "UTC",
        "university_roles-TOTAL_FORMS": "2",
        "university_roles-INITIAL_FORMS": "1",
        "university_roles-0-id": row.pk,
        "university_roles-0-user": instructor.pk,
        "university_roles-0-university": tenants.university_a.pk,
        "university_roles-0-role": Role.INSTRUCTOR,
        "university_roles-0-department": "",
        "university_roles-0-DELETE": "on",
        "university_roles-1-user": instructor.pk,
        "university_roles-1-university": tenants.university_a.pk,
        "university_roles-1-role": Role.STUDENT,
        "university_roles-1-department": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert list(instructor.university_roles.values_list("role", flat=True)) == [Role.STUDENT]
    assert teaching(instructor) == []
    assert guardian_rows(instructor) == 0


def test_a_university_admin_cannot_take_their_own_admin_role_away(tenants):
    chief = tenants.users["university_admin"]
    client = client_for(tenants, "university_admin")
    row = role_row(chief, Role.UNIVERSITY_ADMIN)
    before = roles_snapshot()

    page = client.get(reverse("admin:tenancy_useruniversityrole_delete", args=[row.pk]))
    assert "You cannot revoke your own university admin role." in page.content.decode()
    delete = reverse("admin:tenancy_useruniversityrole_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:tenancy_useruniversityrole_changelist")
    bulk = {"action": "delete_selected", "_selected_action": [row.pk]}
    confirm = client.post(changelist, bulk)
    assert confirm.status_code == 200
    assert "You cannot revoke your own university admin role." in confirm.content.decode()
    assert client.post(changelist, {**bulk, "post": "yes"}).status_code == 403

    change = client.post(
        reverse("admin:tenancy_useruniversityrole_change", args=[row.pk]),
        {
            "user": chief.pk,
            "university": tenants.university_a.pk,
            "role": Role.INSTRUCTOR,
            "department": "",
        },
    )
    assert change.status_code == 200
    assert change.context["adminform"].form.non_field_errors() == [
        "You cannot revoke your own university admin role."
    ]
    assert roles_snapshot() == before


def test_role_form_rules_come_from_the_service_and_change_nothing(tenants):
    client = client_for(tenants, "platform_admin")
    student = tenants.users["student"]
    before = roles_snapshot()
    response = client.post(
        reverse("admin:tenancy_useruniversityrole_add"),
        {
            "user": student.pk,
            "university": tenants.university_a.pk,
            "role": Role.DEPARTMENT_ADMIN,
            "department": tenants.department_b1.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "department": ["The department belongs to another university."]
    }
    assert roles_snapshot() == before


def test_granting_in_the_role_admin_is_the_roster_grant(tenants):
    client = client_for(tenants, "university_admin")
    student = tenants.users["student"]
    response = client.post(
        reverse("admin:tenancy_useruniversityrole_add"),
        {
            "user": student.pk,
            "university": tenants.university_a.pk,
            "role": Role.TA,
            "department": tenants.department_a1.pk,
        },
    )
    assert response.status_code == 302
    # The roster keeps a department only on department admin roles.
    assert role_row(student, Role.TA).department_id is None


def test_the_role_admin_cannot_grant_a_role_to_another_universitys_person(tenants):
    """Another university's admin (and a student only enrolled here) cannot be picked: the
    choice is refused, nothing is granted; adding them goes through an invitation instead."""
    client = client_for(tenants, "university_admin")
    foreign_admin = tenants.users["university_admin_b"]
    enrolled_only = tenants.enrollments["b1"].user
    tenants.enrollments["b1"].course_offering = tenants.offering_a1
    tenants.enrollments["b1"].save()
    before = roles_snapshot()
    for person in (foreign_admin, enrolled_only):
        response = client.post(
            reverse("admin:tenancy_useruniversityrole_add"),
            {"user": person.pk, "university": tenants.university_a.pk, "role": Role.STUDENT},
        )
        assert response.status_code == 200
        assert list(response.context["adminform"].form.errors) == ["user"]
    search = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "beta",
            "app_label": "tenancy",
            "model_name": "useruniversityrole",
            "field_name": "user",
        },
    )
    assert search.json()["results"] == []
    assert roles_snapshot() == before


def test_the_user_list_shows_only_roles_at_the_admins_universities(tenants):
    student = tenants.users["student"]
    UserUniversityRole.objects.create(
        user=student, university=tenants.university_b, role=Role.INSTRUCTOR
    )
    page = client_for(tenants, "university_admin").get(reverse("admin:tenancy_user_changelist"))
    row = next(user for user in page.context["cl"].result_list if user.pk == student.pk)
    assert page.context["cl"].model_admin.roles(row) == "Student (ALPHA)"
