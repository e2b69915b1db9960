from datetime import timedelta

import factory
from django.utils import timezone

from catalog.models import (
    Course,
    CourseEnrollment,
    CourseOffering,
    CoursePrerequisite,
    CourseSubject,
    Domain,
    Subject,
)
from tenancy.access import forget_tenant_scope
from tenancy.models import Role, UserUniversityRole
from tenancy.tests.factories import (
    DepartmentFactory,
    RoleFactory,
    UniversityFactory,
    UserFactory,
)


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain

    code = factory.Sequence(lambda n: f"DOM{n}")
    name = factory.Sequence(lambda n: f"Domain {n}")


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    domain = factory.SubFactory(DomainFactory)
    name = factory.Sequence(lambda n: f"Subject {n}")
    code = factory.Sequence(lambda n: f"SUBJ_{n}")
    parent = None


class CourseFactory(factory.django.DjangoModelFactory):
    """A course whose department belongs to the course's university."""

    class Meta:
        model = Course

    university = factory.SubFactory(UniversityFactory)
    department = factory.SubFactory(
        DepartmentFactory, university=factory.SelfAttribute("..university")
    )
    title = factory.Sequence(lambda n: f"Course {n}")
    code = factory.Sequence(lambda n: f"C{n:03d}")
    description = "A course."
    is_published = True


class CourseSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseSubject

    course = factory.SubFactory(CourseFactory)
    subject = factory.SubFactory(SubjectFactory)


class PrerequisiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoursePrerequisite

    course = factory.SubFactory(CourseFactory)
    prerequisite_course = factory.SubFactory(
        CourseFactory, university=factory.SelfAttribute("..course.university")
    )


class OfferingFactory(factory.django.DjangoModelFactory):
    """An offering in its course's university, running now with enrollment open."""

    class Meta:
        model = CourseOffering

    course = factory.SubFactory(CourseFactory)
    university = factory.SelfAttribute("course.university")
    term_name = "Current term"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=80))
    enrollment_start = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    enrollment_end = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    visibility = "public"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """An enrollment whose person holds a role at the offering's university (a student role
    when they hold none), as every enrollment does: enrolling oneself grants it, staff enroll
    through invitations."""

    class Meta:
        model = CourseEnrollment
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    course_offering = factory.SubFactory(OfferingFactory)

    @factory.post_generation
    def role_at_university(obj, create, extracted, **kwargs):
        university_id = obj.course_offering.university_id
        if (
            create
            and not UserUniversityRole.objects.filter(
                user_id=obj.user_id, university_id=university_id
            ).exists()
        ):
            RoleFactory(user=obj.user, university_id=university_id, role=Role.STUDENT)
            forget_tenant_scope(obj.user)


def staff_member(department, role=Role.DEPARTMENT_ADMIN, **user):
    """A new user holding `role` at the department's university (tied to the department for a
    department admin)."""
    person = UserFactory(**user)
    RoleFactory(
        user=person,
        university=department.university,
        role=role,
        department=department if role == Role.DEPARTMENT_ADMIN else None,
    )
    return person


def member_of(university, role=Role.STUDENT, **user):
    """A new user holding `role` (a student by default) at `university`."""
    person = UserFactory(**user)
    RoleFactory(user=person, university=university, role=role)
    return person
