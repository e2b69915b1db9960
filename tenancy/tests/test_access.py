"""tenancy.access: the one answer to "who administers what", for every role, with university B
as the other tenant; and the profile rule for people who hold roles at several universities."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tenancy import access
from tenancy.models import Role
from tenancy.tests.factories import DepartmentFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def holding(*roles):
    person = UserFactory()
    for university, role, department in roles:
        RoleFactory(user=person, university=university, role=role, department=department)
    return person


@pytest.fixture
def places():
    a_dept = DepartmentFactory()
    a_other = DepartmentFactory(university=a_dept.university)
    b_dept = DepartmentFactory()
    return a_dept.university, a_dept, a_other, b_dept.university, b_dept


def test_administers_for_each_role(places):
    a, a_dept, a_other, b, b_dept = places
    uni_admin = holding((a, Role.UNIVERSITY_ADMIN, None))
    dept_admin = holding((a, Role.DEPARTMENT_ADMIN, a_dept))
    instructor = holding((a, Role.INSTRUCTOR, None))
    platform = holding((b, Role.PLATFORM_ADMIN, None))
    cases = {
        uni_admin: [True, True, False],
        dept_admin: [True, False, False],
        instructor: [False, False, False],
        platform: [True, True, True],
        AnonymousUser(): [False, False, False],
    }
    places_asked = [(a.pk, a_dept.pk), (a.pk, a_other.pk), (b.pk, b_dept.pk)]
    for user, expected in cases.items():
        answers = [
            access.administers(user=user, university_id=u, department_id=d) for u, d in places_asked
        ]
        assert answers == expected, user
    assert access.administered_university_ids(uni_admin) == {a.pk}
    assert access.administered_department_ids(dept_admin) == {a_dept.pk}
    assert access.can_administer_university(uni_admin, a.pk)
    assert access.can_administer_university(uni_admin, a)
    assert not access.can_administer_university(uni_admin, b.pk)
    assert not access.can_administer_university(dept_admin, a.pk)
    assert access.administrators_among(
        user_ids={uni_admin.pk, dept_admin.pk, instructor.pk, platform.pk},
        university_id=a.pk,
        department_id=a_other.pk,
    ) == {uni_admin.pk, platform.pk}


def test_profile_editable_only_when_every_role_is_at_the_admins_university(places):
    a, a_dept, _a_other, b, _b_dept = places
    uni_admin = holding((a, Role.UNIVERSITY_ADMIN, None))
    own_student = holding((a, Role.STUDENT, None))
    shared = holding((a, Role.STUDENT, None), (b, Role.INSTRUCTOR, None))
    foreign_admin = holding((b, Role.UNIVERSITY_ADMIN, None))
    no_roles = UserFactory()
    platform = holding((a, Role.PLATFORM_ADMIN, None))
    assert access.can_edit_profile(uni_admin, own_student)
    assert not access.can_edit_profile(uni_admin, shared)
    assert not access.can_edit_profile(uni_admin, foreign_admin)
    assert not access.can_edit_profile(uni_admin, no_roles)
    assert not access.can_edit_profile(uni_admin, platform)
    assert access.can_edit_profile(platform, shared)
    dept_admin = holding((a, Role.DEPARTMENT_ADMIN, a_dept))
    assert not access.can_edit_profile(dept_admin, own_student)


def test_visible_people_are_those_holding_a_role_where_the_actor_is_staff(places):
    from tenancy.models import User

    a, a_dept, _a_other, b, _b_dept = places
    dept_admin = holding((a, Role.DEPARTMENT_ADMIN, a_dept))
    own_student = holding((a, Role.STUDENT, None))
    shared = holding((a, Role.STUDENT, None), (b, Role.STUDENT, None))
    holding((b, Role.UNIVERSITY_ADMIN, None))
    UserFactory()
    seen = User.objects.filter(access.visible_people_q(dept_admin)).distinct()
    assert set(seen) == {dept_admin, own_student, shared}
    student = holding((a, Role.STUDENT, None))
    assert not User.objects.filter(access.visible_people_q(student)).exists()
