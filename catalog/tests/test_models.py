"""The database itself enforces the contract: unique indexes, enum domains, CHECKs, and the
ON DELETE action of every foreign key (exercised with plain SQL, outside the ORM)."""

import pytest
from django.db import IntegrityError, connection, transaction

from catalog.models import (
    Course,
    CourseEnrollment,
    CourseOfferingInstructor,
    CoursePrerequisite,
    CourseSubject,
    Subject,
)
from catalog.services.offerings import subject_delete
from catalog.tests.factories import (
    CourseFactory,
    CourseSubjectFactory,
    DomainFactory,
    EnrollmentFactory,
    OfferingFactory,
    PrerequisiteFactory,
    SubjectFactory,
)
from tenancy.tests.factories import DepartmentFactory, RoleFactory, UniversityFactory, UserFactory

pytestmark = pytest.mark.django_db


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def rejects(statement: str, params=()) -> str:
    """Run `statement` in a savepoint, checking deferred foreign keys at once; return the
    database's complaint (it must complain)."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        sql("SET CONSTRAINTS ALL IMMEDIATE")
        sql(statement, params)
    return str(excinfo.value)


def test_duplicate_enrollment_is_rejected():
    enrollment = EnrollmentFactory()
    message = rejects(
        "INSERT INTO course_enrollments (user_id, course_offering_id) VALUES (%s, %s)",
        [enrollment.user_id, enrollment.course_offering_id],
    )
    assert "ux_course_enrollments_unique" in message
    assert CourseEnrollment.objects.count() == 1


def test_enrollment_defaults_come_from_the_database():
    enrollment = EnrollmentFactory()
    sql("DELETE FROM course_enrollments")
    sql(
        "INSERT INTO course_enrollments (user_id, course_offering_id) VALUES (%s, %s)",
        [enrollment.user_id, enrollment.course_offering_id],
    )
    row = CourseEnrollment.objects.get()
    assert row.status == "active"
    assert row.enrolled_at is not None


@pytest.mark.parametrize(
    ("statement", "constraint"),
    [
        ("UPDATE course_enrollments SET status = 'expelled'", "course_enrollments_status_valid"),
        ("UPDATE courses SET level = 'kindergarten'", "courses_level_valid"),
        (
            "UPDATE user_university_roles SET role = 'janitor'",
            "user_university_roles_role_valid",
        ),
    ],
)
def test_unknown_enum_values_are_rejected(statement, constraint):
    EnrollmentFactory()
    RoleFactory()
    assert constraint in rejects(statement)


def test_unknown_prerequisite_type_and_self_prerequisite_are_rejected():
    link = PrerequisiteFactory()
    assert "course_prerequisites_type_valid" in rejects(
        "UPDATE course_prerequisites SET prerequisite_type = 'optional'"
    )
    assert "course_prerequisites_not_self" in rejects(
        "UPDATE course_prerequisites SET prerequisite_course_id = course_id"
    )
    link.refresh_from_db()
    assert link.prerequisite_type == "strict"


def test_offering_must_share_its_course_university():
    offering = OfferingFactory()
    other = UniversityFactory()
    assert "course_offerings_course_university_fk" in rejects(
        "UPDATE course_offerings SET university_id = %s WHERE id = %s", [other.pk, offering.pk]
    )


def test_offering_window_must_be_ordered():
    offering = OfferingFactory()
    assert "course_offerings_enrollment_window_ordered" in rejects(
        "UPDATE course_offerings SET enrollment_end = enrollment_start - interval '1 day' "
        "WHERE id = %s",
        [offering.pk],
    )


def test_deleting_a_department_keeps_its_courses_and_roles():
    department = DepartmentFactory()
    course = CourseFactory(university=department.university, department=department)
    role = RoleFactory(university=department.university, department=department)
    sql("DELETE FROM departments WHERE id = %s", [department.pk])
    course.refresh_from_db()
    role.refresh_from_db()
    assert (course.department_id, role.department_id) == (None, None)


def test_deleting_a_domain_or_subject_sets_references_null():
    domain = DomainFactory()
    parent = SubjectFactory(domain=domain)
    child = SubjectFactory(domain=domain, parent=parent)
    course = CourseFactory(primary_subject=parent)
    sql("DELETE FROM domains WHERE id = %s", [domain.pk])
    sql("DELETE FROM subjects WHERE id = %s", [parent.pk])
    child.refresh_from_db()
    course.refresh_from_db()
    assert (child.domain_id, child.parent_id, course.primary_subject_id) == (None, None, None)


def test_subject_delete_service_promotes_children_to_roots():
    root = SubjectFactory(name="Engineering")
    middle = SubjectFactory(name="Mechanical", parent=root)
    leaf = SubjectFactory(name="Thermodynamics", parent=middle)
    subject_delete(subject=middle)
    leaf.refresh_from_db()
    assert leaf.parent_id is None
    assert leaf.depth == 0
    assert Subject.objects.filter(pk=middle.pk).exists() is False
    assert Subject.objects.get(pk=root.pk).get_descendant_count() == 0


def test_deleting_a_course_takes_its_subject_links_prerequisites_and_teaching():
    course = CourseFactory()
    link = CourseSubjectFactory(course=course)
    requires = PrerequisiteFactory(course=course)
    required_by = PrerequisiteFactory(
        prerequisite_course=course, course__university=course.university
    )
    offering = OfferingFactory(course=course)
    CourseOfferingInstructor.objects.create(course_offering=offering, user=UserFactory())
    sql("DELETE FROM courses WHERE id = %s", [course.pk])
    assert not CourseSubject.objects.exists()
    assert not CoursePrerequisite.objects.exists()
    assert not CourseOfferingInstructor.objects.exists()
    assert Subject.objects.filter(pk=link.subject_id).exists()
    assert (
        Course.objects.filter(
            pk__in=[requires.prerequisite_course_id, required_by.course_id]
        ).count()
        == 2
    )
