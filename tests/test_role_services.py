"""Granting and revoking roles: the rules, and the same user object seeing the change at once
(its cached scope and permissions are forgotten)."""

import pytest
from django.core.exceptions import ValidationError

from tenancy.access import tenant_scope
from tenancy.models import Role, UserUniversityRole
from tenancy.services import role_grant, role_revoke


def test_grant_and_revoke_forget_the_cached_scope_and_permissions(tenants):
    person = tenants.user("student")
    assert tenant_scope(person).university_ids == frozenset()
    assert not person.has_perm("catalog.change_course")
    assert not person.is_staff

    role_grant(user=person, university=tenants.university_a, role=Role.UNIVERSITY_ADMIN)
    assert tenant_scope(person).university_ids == frozenset({tenants.university_a.pk})
    assert person.has_perm("catalog.change_course")
    assert person.is_staff

    assert role_revoke(user=person, university=tenants.university_a, role=Role.UNIVERSITY_ADMIN)
    assert tenant_scope(person).university_ids == frozenset()
    assert not person.has_perm("catalog.change_course")
    assert not person.is_staff


@pytest.mark.parametrize(
    ("role", "department", "errors"),
    [
        ("dean", None, {"role": ["Unknown role 'dean'."]}),
        (Role.DEPARTMENT_ADMIN, None, {"department": ["A department admin needs a department."]}),
        (
            Role.DEPARTMENT_ADMIN,
            "b1",
            {"department": ["The department belongs to another university."]},
        ),
    ],
)
def test_grant_refuses_bad_rows_and_writes_nothing(tenants, role, department, errors):
    person = tenants.user("student")
    before = list(UserUniversityRole.objects.order_by("pk").values_list())
    with pytest.raises(ValidationError) as caught:
        role_grant(
            user=person,
            university=tenants.university_a,
            role=role,
            department=tenants.department_b1 if department else None,
        )
    assert caught.value.message_dict == errors
    assert list(UserUniversityRole.objects.order_by("pk").values_list()) == before
