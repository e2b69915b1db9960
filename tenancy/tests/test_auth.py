"""Model-level permissions from roles, and that logging in still works with every backend."""

import pytest
from django.contrib.auth import authenticate

from tenancy import auth
from tenancy.auth import ROLE_PERMISSIONS, RolePermissionBackend, register_role_permissions
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UniversityFactory, UserFactory

# (role, permission, expected) for the rules issue #2 states.
CASES = [
    ("platform_admin", "tenancy.add_university", True),
    ("platform_admin", "tenancy.delete_country", True),
    ("platform_admin", "catalog.change_subject", True),
    ("university_admin", "tenancy.change_university", True),
    ("university_admin", "tenancy.add_university", False),
    ("university_admin", "tenancy.add_country", False),
    ("university_admin", "tenancy.view_country", True),
    ("university_admin", "tenancy.add_department", True),
    ("university_admin", "tenancy.add_useruniversityrole", True),
    ("university_admin", "catalog.delete_courseenrollment", True),
    ("university_admin", "catalog.view_subject", True),
    ("university_admin", "catalog.change_subject", False),
    ("department_admin", "catalog.add_course", True),
    ("department_admin", "catalog.add_courseofferinginstructor", True),
    ("department_admin", "catalog.change_courseenrollment", True),
    ("department_admin", "tenancy.change_department", False),
    ("department_admin", "tenancy.add_useruniversityrole", False),
    ("department_admin", "syllabus.add_module", True),
    ("department_admin", "community.delete_discussionpost", True),
    ("instructor", "catalog.view_course", True),
    ("instructor", "catalog.change_course", False),
    ("instructor", "catalog.add_courseenrollment", False),
    ("instructor", "syllabus.delete_module", True),
    ("instructor", "content.add_quizitem", True),
    ("instructor", "assessments.change_labsubmission", True),
    ("instructor", "community.change_discussionthread", True),
    ("instructor", "tenancy.view_user", False),
    ("ta", "content.change_contentitem", False),
    ("ta", "content.view_contentitem", True),
    ("ta", "syllabus.delete_module", False),
    ("ta", "syllabus.add_moduletemplate", False),
    ("ta", "assessments.change_gradingpolicy", False),
    ("ta", "assessments.change_labfile", False),
    ("ta", "assessments.change_labsubmission", True),
    ("ta", "assessments.delete_labsubmission", False),
    ("ta", "community.delete_discussionpost", True),
    ("ta", "catalog.view_courseoffering", True),
    ("student", "catalog.view_course", False),
    ("student", "community.view_discussionpost", False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "perm", "expected"), CASES)
def test_role_permissions(role, perm, expected):
    user = UserFactory()
    RoleFactory(user=user, role=role)
    assert user.has_perm(perm) is expected


@pytest.mark.django_db
def test_several_roles_add_up_and_inactive_users_hold_nothing():
    user = UserFactory()
    university = UniversityFactory()
    RoleFactory(user=user, university=university, role=Role.STUDENT)
    RoleFactory(user=user, university=university, role=Role.INSTRUCTOR)
    assert user.has_perm("syllabus.add_module")
    assert user.has_module_perms("syllabus")
    assert not user.has_module_perms("tenancy")
    user.is_active = False
    user.save()
    fresh = type(user).objects.get(pk=user.pk)
    assert fresh.get_all_permissions() == set()
    assert not fresh.has_perm("syllabus.add_module")


@pytest.mark.django_db
def test_object_questions_are_left_to_guardian():
    user = UserFactory()
    RoleFactory(user=user, role=Role.UNIVERSITY_ADMIN)
    university = user.university_roles.get().university
    backend = RolePermissionBackend()
    assert backend.has_perm(user, "tenancy.change_university")
    assert not backend.has_perm(user, "tenancy.change_university", university)
    assert backend.get_all_permissions(user, university) == set()


def test_registering_adds_actions_and_rejects_unknown_names(monkeypatch):
    table = {role: dict(models) for role, models in ROLE_PERMISSIONS.items()}
    monkeypatch.setattr(auth, "ROLE_PERMISSIONS", table)
    register_role_permissions("lab", "Bench", {Role.INSTRUCTOR: {"view"}})
    register_role_permissions("lab", "bench", {Role.INSTRUCTOR: {"change"}})
    assert table[Role.INSTRUCTOR][("lab", "bench")] == {"view", "change"}
    assert {"lab.view_bench", "lab.change_bench"} <= auth.role_permissions([Role.INSTRUCTOR])
    assert "lab.view_bench" not in auth.role_permissions([Role.DEPARTMENT_ADMIN])
    with pytest.raises(ValueError, match="Unknown actions"):
        register_role_permissions("lab", "bench", {Role.TA: {"publish"}})
    with pytest.raises(ValueError, match="cannot be given"):
        register_role_permissions("lab", "bench", {Role.PLATFORM_ADMIN: {"view"}})


def test_grants_to_teaching_assistants_are_held_to_grade_moderate_view(monkeypatch):
    table = {role: dict(models) for role, models in ROLE_PERMISSIONS.items()}
    monkeypatch.setattr(auth, "ROLE_PERMISSIONS", table)
    register_role_permissions("lab", "bench", {Role.TA: auth.ALL, Role.INSTRUCTOR: auth.ALL})
    register_role_permissions("assessments", "labsubmission", {Role.TA: auth.ALL})
    register_role_permissions("community", "discussionpost", {Role.TA: auth.ALL})
    assert table[Role.TA][("lab", "bench")] == {"view"}
    assert table[Role.INSTRUCTOR][("lab", "bench")] == auth.ALL
    assert table[Role.TA][("assessments", "labsubmission")] == {"view", "change"}
    assert table[Role.TA][("community", "discussionpost")] == {"view", "change", "delete"}


@pytest.mark.django_db
def test_authenticate_by_email_and_password_with_all_backends():
    user = UserFactory(email="ada@example.edu")
    assert authenticate(username="ada@example.edu", password="correct-horse-battery") == user
    assert authenticate(username="ada@example.edu", password="wrong") is None


def test_a_ta_limit_registered_after_the_grant_still_applies(monkeypatch):
    table = {role: dict(models) for role, models in ROLE_PERMISSIONS.items()}
    monkeypatch.setattr(auth, "ROLE_PERMISSIONS", table)
    monkeypatch.setattr(auth, "_TA_LIMITS", dict(auth._TA_LIMITS))
    monkeypatch.setattr(auth, "_TA_REQUESTED", dict(auth._TA_REQUESTED))
    register_role_permissions("lab", "marking", {Role.TA: auth.ALL})
    assert table[Role.TA][("lab", "marking")] == {"view"}
    auth.register_ta_limit("lab", auth.EDIT, model="marking")
    assert table[Role.TA][("lab", "marking")] == {"view", "change"}
    assert auth.ta_allowed_actions("lab", "marking") == auth.EDIT
    assert auth.ta_allowed_actions("lab", "bench") == auth.VIEW
    with pytest.raises(ValueError, match="Unknown actions"):
        auth.register_ta_limit("lab", {"publish"})
