"""scope_q and friends: which rows each role sees, with university B as the other tenant."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from catalog.models import Course, CourseEnrollment, CourseOffering
from catalog.scoping import paths_via_offering
from tenancy.access import tenant_scope
from tenancy.models import Department, University, User
from tenancy.scoping import instance_in_scope, scope_q, scoped

pytestmark = pytest.mark.django_db

COURSE_PATHS = {"university": "university", "department": "department", "course": "pk"}
OFFERING_PATHS = {
    "university": "university",
    "department": "course__department",
    "course": "course",
    "offering": "pk",
}
ENROLLMENT_PATHS = paths_via_offering("course_offering")
DEPARTMENT_PATHS = {"university": "university", "department": "pk", "course": "courses"}
UNIVERSITY_PATHS = {"university": "pk", "department": "departments", "offering": "offerings"}


def names(queryset, attribute="code"):
    return sorted(getattr(row, attribute) for row in queryset)


# role -> (courses, offerings by term, enrollments by student, departments, universities)
EXPECTED = {
    "platform_admin": (
        ["BIO101", "HIS101", "PHY101"],
        ["a1", "a1_next", "a2", "b1"],
        ["HIS", "PHY", "BIO"],
        ["ALPHA", "BETA"],
    ),
    "university_admin": (
        ["HIS101", "PHY101"],
        ["a1", "a1_next", "a2"],
        ["HIS", "PHY"],
        ["ALPHA"],
    ),
    "department_admin": (["PHY101"], ["a1", "a1_next"], ["PHY"], ["ALPHA"]),
    "instructor": (["PHY101"], ["a1"], ["PHY"], ["ALPHA"]),
    "ta": (["PHY101"], ["a1"], ["PHY"], ["ALPHA"]),
    "student": ([], [], [], []),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_its_tenant(tenants, role):
    user = tenants.user(role)
    courses, offerings, departments, universities = EXPECTED[role]
    by_offering = {getattr(tenants, f"offering_{k}").pk: k for k in tenants.enrollments}

    assert names(Course.objects.filter(scope_q(user, COURSE_PATHS))) == courses
    seen = CourseOffering.objects.filter(scope_q(user, OFFERING_PATHS))
    assert sorted(by_offering[o.pk] for o in seen) == offerings
    enrolled = CourseEnrollment.objects.filter(scope_q(user, ENROLLMENT_PATHS))
    assert sorted(by_offering[e.course_offering_id] for e in enrolled) == offerings
    assert sorted(names(scoped(Department.objects.all(), user, DEPARTMENT_PATHS))) == sorted(
        departments
    )
    assert names(scoped(University.objects.all(), user, UNIVERSITY_PATHS), "short_code") == (
        universities
    )


def test_anonymous_users_see_nothing_and_reference_data_is_shared(tenants):
    anonymous = AnonymousUser()
    assert not CourseOffering.objects.filter(scope_q(anonymous, OFFERING_PATHS)).exists()
    assert scope_q(anonymous, {}) == Q(pk__in=[])
    assert scope_q(tenants.user("department_admin"), {}) == Q()


def test_department_admins_see_nothing_of_a_model_scoped_by_university_only(tenants):
    user = tenants.user("department_admin")
    assert not Course.objects.filter(scope_q(user, {"university": "university"})).exists()


def test_unknown_keys_are_refused(tenants):
    with pytest.raises(ValueError, match="campus"):
        scope_q(tenants.user("university_admin"), {"campus": "university"})


def test_to_many_paths_give_each_row_once(tenants):
    user = tenants.user("university_admin")
    paths = {
        "university": (
            "university_roles__university",
            "enrollments__course_offering__university",
        )
    }
    emails = list(scoped(User.objects.all(), user, paths).values_list("email", flat=True))
    assert len(emails) == len(set(emails))
    assert "student-a1@example.edu" in emails
    assert "student-b1@example.edu" not in emails


def test_scope_is_loaded_once_per_user_object(tenants, django_assert_num_queries):
    user = tenants.user("instructor")
    with django_assert_num_queries(4):  # roles, taught offerings, guardian user and group perms
        scope = tenant_scope(user)
    assert scope.offering_ids == {tenants.offering_a1.pk}
    assert scope.course_ids == {tenants.course_a1.pk}
    with django_assert_num_queries(0):
        scope_q(user, OFFERING_PATHS)


def test_guardian_permission_alone_grants_teaching_scope(tenants):
    from guardian.shortcuts import assign_perm

    user = tenants.user("student")
    assign_perm("catalog.view_courseoffering", user, tenants.offering_a2)
    fresh = User.objects.get(pk=user.pk)
    assert list(CourseOffering.objects.filter(scope_q(fresh, OFFERING_PATHS))) == [
        tenants.offering_a2
    ]


@pytest.mark.parametrize(
    ("role", "department", "expected"),
    [
        ("university_admin", "department_a2", True),
        ("university_admin", "department_b1", False),
        ("department_admin", "department_a1", True),
        ("department_admin", "department_a2", False),
        ("department_admin", None, False),
        ("platform_admin", "department_b1", True),
    ],
)
def test_new_rows_must_land_in_scope(tenants, role, department, expected):
    target = getattr(tenants, department) if department else None
    university = target.university if target else tenants.university_a
    course = Course(university=university, department=target, code="NEW1", title="New")
    assert instance_in_scope(tenants.user(role), course, COURSE_PATHS) is expected
