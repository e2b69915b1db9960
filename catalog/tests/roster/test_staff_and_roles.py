"""The teaching staff with their object permissions, and the roles within a university."""

import pytest
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import get_perms

from catalog.models import CourseOfferingInstructor
from catalog.selectors.roster import staff_candidates
from catalog.services import roles, roster
from catalog.services.roster import StaffRefused
from catalog.tests.factories import CourseFactory, OfferingFactory, staff_member
from catalog.tests.roster.support import outsiders
from tenancy.models import Role, UserUniversityRole
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_env")]


# Teaching staff -----------------------------------------------------------------------------


def teacher_at(university, role=Role.INSTRUCTOR):
    user = UserFactory()
    RoleFactory(user=user, university=university, role=role)
    return user


def test_staff_add_and_remove_grant_and_revoke_object_permissions(offering, admin):
    teacher = teacher_at(offering.university)
    assert list(staff_candidates(offering=offering)) == [teacher]
    roster.offering_staff_add(actor=admin, offering=offering, user=teacher)
    assert set(get_perms(teacher, offering)) == {"view_courseoffering", "change_courseoffering"}
    assert set(get_perms(teacher, offering.course)) == {"view_course", "change_course"}
    assert list(staff_candidates(offering=offering)) == []
    roster.offering_staff_remove(actor=admin, offering=offering, user=teacher)
    assert get_perms(teacher, offering) == []
    assert get_perms(teacher, offering.course) == []
    assert not CourseOfferingInstructor.objects.filter(user=teacher).exists()


def test_staff_add_needs_a_teaching_role_at_the_university(offering, admin):
    stranger = teacher_at(CourseFactory().university)
    with pytest.raises(StaffRefused) as caught:
        roster.offering_staff_add(actor=admin, offering=offering, user=stranger)
    assert "holds no instructor or teaching assistant role" in caught.value.messages[0]
    assert not CourseOfferingInstructor.objects.exists()
    assert get_perms(stranger, offering) == []


def test_staff_changes_refused_to_outsiders(offering):
    teacher = teacher_at(offering.university, Role.TA)
    for user in outsiders(offering):
        with pytest.raises(PermissionDenied):
            roster.offering_staff_add(actor=user, offering=offering, user=teacher)
    assert get_perms(teacher, offering) == []


# Roles within a university ------------------------------------------------------------------


def test_role_grant_and_revoke_by_university_admin(offering):
    university = offering.university
    chief = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    person = UserFactory()
    roles.university_role_grant(
        actor=chief, university=university, user=person, role=Role.INSTRUCTOR
    )
    roster.offering_staff_add(actor=chief, offering=offering, user=person)
    other_run = OfferingFactory(course=offering.course)
    roster.offering_staff_add(actor=chief, offering=other_run, user=person)
    roles.university_role_grant(actor=chief, university=university, user=person, role=Role.TA)
    roles.university_role_revoke(
        actor=chief, university=university, user=person, role=Role.INSTRUCTOR
    )
    assert set(get_perms(person, offering)) == {"view_courseoffering", "change_courseoffering"}
    roles.university_role_revoke(actor=chief, university=university, user=person, role=Role.TA)
    assert get_perms(person, offering) == []
    assert get_perms(person, other_run) == []
    assert get_perms(person, offering.course) == []
    assert not CourseOfferingInstructor.objects.filter(user=person).exists()
    assert not UserUniversityRole.objects.filter(user=person).exists()


def test_department_admin_role_keeps_its_department(offering):
    chief = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    person = UserFactory()
    row = roles.university_role_grant(
        actor=chief,
        university=offering.university,
        user=person,
        role=Role.DEPARTMENT_ADMIN,
        department=offering.course.department,
    )
    assert row.department == offering.course.department


def test_roles_refused_to_department_admins_and_other_universities(offering, admin):
    person = UserFactory()
    foreign_chief = staff_member(CourseFactory().department, Role.UNIVERSITY_ADMIN)
    for actor in (admin, foreign_chief):
        with pytest.raises(PermissionDenied):
            roles.university_role_grant(
                actor=actor, university=offering.university, user=person, role=Role.INSTRUCTOR
            )
    chief = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    with pytest.raises(PermissionDenied):
        roles.university_role_grant(
            actor=chief, university=offering.university, user=person, role=Role.PLATFORM_ADMIN
        )
    with pytest.raises(StaffRefused):
        roles.university_role_revoke(
            actor=chief, university=offering.university, user=chief, role=Role.UNIVERSITY_ADMIN
        )
    assert not UserUniversityRole.objects.filter(user=person).exists()
    assert UserUniversityRole.objects.filter(user=chief).count() == 1
