"""Two universities with departments, courses, offerings and enrollments, and a user of every
role in university A (plus an admin and an instructor in B), for scoping tests.

University A has departments A1 and A2; course a1 (A1) runs twice (offerings a1 and a1_next),
course a2 (A2) once; university B has department B1 and course b1 with one offering. Each
offering has one enrolled student. The instructor teaches offering a1 (through the service, so
django-guardian permissions are granted); the TA is on a1's staff without guardian
permissions.
"""

from dataclasses import dataclass, field

from catalog.models import Course, CourseEnrollment, CourseOffering, CourseOfferingInstructor
from catalog.services.offerings import offering_instructor_add
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from tenancy.models import Department, Role, University, User
from tenancy.tests.factories import (
    CountryFactory,
    DepartmentFactory,
    RoleFactory,
    UniversityFactory,
    UserFactory,
)

STAFF_ROLES = ("platform_admin", "university_admin", "department_admin", "instructor", "ta")


@dataclass
class Tenants:
    university_a: University
    university_b: University
    department_a1: Department
    department_a2: Department
    department_b1: Department
    course_a1: Course
    course_a2: Course
    course_b1: Course
    offering_a1: CourseOffering
    offering_a1_next: CourseOffering
    offering_a2: CourseOffering
    offering_b1: CourseOffering
    enrollments: dict[str, CourseEnrollment] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def user(self, role: str) -> User:
        """A fresh copy of the user, without anything cached from earlier checks."""
        return User.objects.get(pk=self.users[role].pk)


def build_tenants() -> Tenants:
    university_a = UniversityFactory(name="Alpha University", short_code="ALPHA")
    university_b = UniversityFactory(
        name="Beta University", short_code="BETA", country=CountryFactory(iso_code="BE")
    )
    department_a1 = DepartmentFactory(university=university_a, name="Physics", code="PHY")
    department_a2 = DepartmentFactory(university=university_a, name="History", code="HIS")
    department_b1 = DepartmentFactory(university=university_b, name="Biology", code="BIO")
    course_a1 = CourseFactory(
        university=university_a, department=department_a1, code="PHY101", title="Mechanics"
    )
    course_a2 = CourseFactory(
        university=university_a, department=department_a2, code="HIS101", title="Antiquity"
    )
    course_b1 = CourseFactory(
        university=university_b, department=department_b1, code="BIO101", title="Cells"
    )
    tenants = Tenants(
        university_a=university_a,
        university_b=university_b,
        department_a1=department_a1,
        department_a2=department_a2,
        department_b1=department_b1,
        course_a1=course_a1,
        course_a2=course_a2,
        course_b1=course_b1,
        offering_a1=OfferingFactory(course=course_a1, term_name="Fall"),
        offering_a1_next=OfferingFactory(course=course_a1, term_name="Spring"),
        offering_a2=OfferingFactory(course=course_a2, term_name="Fall"),
        offering_b1=OfferingFactory(course=course_b1, term_name="Fall"),
    )
    for name in ("a1", "a1_next", "a2", "b1"):
        offering = getattr(tenants, f"offering_{name}")
        student = UserFactory(full_name=f"Student {name}", email=f"student-{name}@example.edu")
        RoleFactory(user=student, university=offering.university, role=Role.STUDENT)
        tenants.enrollments[name] = EnrollmentFactory(user=student, course_offering=offering)

    def staff(key: str, university: University, role: str, department=None) -> User:
        user = UserFactory(full_name=key.replace("_", " ").title(), email=f"{key}@example.edu")
        RoleFactory(user=user, university=university, role=role, department=department)
        tenants.users[key] = user
        return user

    staff("platform_admin", university_a, Role.PLATFORM_ADMIN)
    staff("university_admin", university_a, Role.UNIVERSITY_ADMIN)
    staff("department_admin", university_a, Role.DEPARTMENT_ADMIN, department_a1)
    offering_instructor_add(
        offering=tenants.offering_a1, user=staff("instructor", university_a, Role.INSTRUCTOR)
    )
    CourseOfferingInstructor.objects.create(
        course_offering=tenants.offering_a1, user=staff("ta", university_a, Role.TA)
    )
    tenants.users["student"] = tenants.enrollments["a1"].user
    staff("university_admin_b", university_b, Role.UNIVERSITY_ADMIN)
    offering_instructor_add(
        offering=tenants.offering_b1, user=staff("instructor_b", university_b, Role.INSTRUCTOR)
    )
    return tenants
