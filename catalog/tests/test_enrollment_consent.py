"""Enrolling oneself in another university's offering grants the student role there, audited
with the person as actor, so the offering's staff see them by name as anyone holding a role."""

import pytest

from catalog.models import CourseEnrollment, EnrollmentStatus
from catalog.selectors.roster import roster_entries
from catalog.services.enrollment import EnrollmentRefused, enrollment_create
from catalog.tests.factories import OfferingFactory, member_of
from tenancy.models import Role, RoleChange, RoleChangeAction, UserUniversityRole
from tenancy.tests.factories import UniversityFactory

pytestmark = pytest.mark.django_db


def roles_of(user) -> list[tuple[int, str]]:
    return list(
        UserUniversityRole.objects.filter(user=user)
        .order_by("university_id", "role")
        .values_list("university_id", "role")
    )


def test_self_enrollment_at_another_university_grants_the_student_role_there():
    offering = OfferingFactory()
    home = UniversityFactory()
    student = member_of(home, email="bo@b.example.edu", full_name="Bo")

    outcome = enrollment_create(offering=offering, user=student)

    assert outcome.enrollment.status == EnrollmentStatus.ACTIVE
    assert roles_of(student) == sorted(
        [(home.pk, Role.STUDENT), (offering.university_id, Role.STUDENT)]
    )
    changes = list(
        RoleChange.objects.filter(university=offering.university).values_list(
            "action", "role", "user_id", "actor_id", "user_email", "actor_email"
        )
    )
    assert changes == [
        (
            RoleChangeAction.GRANT,
            Role.STUDENT,
            student.pk,
            student.pk,
            "bo@b.example.edu",
            "bo@b.example.edu",
        )
    ]
    assert [row.user.full_name for row in roster_entries(offering=offering)] == ["Bo"]


def test_someone_already_holding_a_role_there_gets_no_new_one():
    offering = OfferingFactory()
    instructor = member_of(offering.university, role=Role.INSTRUCTOR)
    before = roles_of(instructor)

    enrollment_create(offering=offering, user=instructor)

    assert roles_of(instructor) == before
    assert RoleChange.objects.count() == 0


def test_a_refused_enrollment_grants_nothing():
    offering = OfferingFactory(course__is_published=False)
    student = member_of(UniversityFactory())
    before = roles_of(student)

    with pytest.raises(EnrollmentRefused):
        enrollment_create(offering=offering, user=student)

    assert roles_of(student) == before
    assert RoleChange.objects.count() == 0
    assert CourseEnrollment.objects.count() == 0
