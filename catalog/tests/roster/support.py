"""What the roster service tests share: enrollment statuses and helpers that make enrollments and
read them back."""

from datetime import timedelta

from django.utils import timezone

from catalog.models import CourseEnrollment, CourseOfferingInstructor, EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, staff_member
from tenancy.models import Role
from tenancy.tests.factories import DepartmentFactory, RoleFactory, UserFactory

ACTIVE = EnrollmentStatus.ACTIVE
WAITLISTED = EnrollmentStatus.WAITLISTED
PENDING = EnrollmentStatus.PENDING
DROPPED = EnrollmentStatus.DROPPED
COMPLETED = EnrollmentStatus.COMPLETED


def enroll(offering, status, *, minutes_ago=0, **user):
    return EnrollmentFactory(
        course_offering=offering,
        status=status,
        user=UserFactory(**user),
        enrolled_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def statuses(offering) -> dict[str, str]:
    return dict(
        CourseEnrollment.objects.filter(course_offering=offering).values_list(
            "user__email", "status"
        )
    )


def snapshot() -> list[tuple]:
    return list(
        CourseEnrollment.objects.order_by("pk").values_list(
            "pk", "user_id", "course_offering_id", "status", "enrolled_at", "completed_at"
        )
    )


def outsiders(offering):
    """Staff who must not touch the offering: a department admin of another department of the
    same university, a university admin and a department admin of another university, an
    instructor of the offering itself, and a student."""
    other_department = DepartmentFactory(university=offering.university)
    foreign_course = CourseFactory()
    instructor = UserFactory()
    RoleFactory(user=instructor, university=offering.university, role=Role.INSTRUCTOR)
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    student = UserFactory()
    RoleFactory(user=student, university=offering.university, role=Role.STUDENT)
    return [
        staff_member(other_department),
        staff_member(foreign_course.department, Role.UNIVERSITY_ADMIN),
        staff_member(foreign_course.department),
        instructor,
        student,
    ]
