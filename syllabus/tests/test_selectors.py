"""Outline rows and the scoped lookup of the offering a user may learn in."""

import pytest
from django.http import Http404

from catalog.models import CourseOfferingInstructor, EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from syllabus.selectors import offering_for_learner, outline_rows
from syllabus.services import course_root, module_create, module_set_published
from tenancy.models import Role
from tenancy.tests.factories import DepartmentFactory, RoleFactory, UniversityFactory, UserFactory

pytestmark = pytest.mark.django_db


def add(parent, title, **kwargs):
    return module_create(
        course=parent.course, parent=parent, module_type="unit", title=title, **kwargs
    )


@pytest.fixture
def course():
    course = CourseFactory()
    root = course_root(course=course)
    a = add(root, "A", is_published=True)
    add(a, "A1", is_published=True)
    b = add(root, "B", is_published=True)
    b1 = add(b, "B1", is_published=True)
    add(b1, "B1x", is_published=True)
    add(b, "B2", is_published=True)
    add(root, "C", is_published=True)
    module_set_published(module=b1, is_published=False)
    return course


def test_outline_rows_are_in_pre_order_with_depths(course, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = outline_rows(course_id=course.pk, published_only=False)
    assert [(r["title"], r["depth"], r["sequence_index"]) for r in rows] == [
        (course.title, 0, 1),
        ("A", 1, 1),
        ("A1", 2, 1),
        ("B", 1, 2),
        ("B1", 2, 1),
        ("B1x", 3, 1),
        ("B2", 2, 2),
        ("C", 1, 3),
    ]
    by_title = {r["title"]: r for r in rows}
    assert by_title["B1x"]["parent_id"] == by_title["B1"]["id"]
    assert by_title["B1"]["is_published"] is False
    assert set(rows[0]) == {
        "id",
        "parent_id",
        "title",
        "module_type",
        "depth",
        "sequence_index",
        "is_published",
    }


def test_published_only_hides_whole_unpublished_subtrees(course):
    rows = outline_rows(course_id=course.pk, published_only=True)
    assert [r["title"] for r in rows] == [course.title, "A", "A1", "B", "B2", "C"]


def test_outline_rows_of_several_roots_and_other_courses(course):
    second_root = module_create(
        course=course, parent=None, module_type="unit", title="Appendix", is_published=True
    )
    add(second_root, "Appendix 1", is_published=True)
    other = CourseFactory()
    add(course_root(course=other), "Other course", is_published=True)
    titles = [r["title"] for r in outline_rows(course_id=course.pk, published_only=True)]
    assert titles == [course.title, "A", "A1", "B", "B2", "C", "Appendix", "Appendix 1"]


# offering_for_learner ----------------------------------------------------------------------


@pytest.fixture
def offering():
    return OfferingFactory()


def test_enrolled_student_learns_and_records(offering, django_assert_num_queries):
    student = EnrollmentFactory(course_offering=offering).user
    with django_assert_num_queries(2):  # the offering with its checks, then the user's roles
        access = offering_for_learner(user=student, offering_id=offering.pk)
    assert access.offering == offering
    assert (access.may_learn, access.records_progress, access.sees_hidden) == (True, True, False)
    assert access.enrollment_status == EnrollmentStatus.ACTIVE


@pytest.mark.parametrize(
    "status", [EnrollmentStatus.WAITLISTED, EnrollmentStatus.PENDING, EnrollmentStatus.DROPPED]
)
def test_other_enrollment_states_may_not_learn(offering, status):
    user = EnrollmentFactory(course_offering=offering, status=status).user
    access = offering_for_learner(user=user, offering_id=offering.pk)
    assert (access.may_learn, access.records_progress) == (False, False)


def test_completed_enrollment_learns(offering):
    user = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.COMPLETED).user
    access = offering_for_learner(user=user, offering_id=offering.pk)
    assert (access.may_learn, access.records_progress) == (True, True)


def staff_of(offering):
    instructor = UserFactory()
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    university = offering.university
    return {
        "instructor": instructor,
        "university admin": RoleFactory(university=university, role=Role.UNIVERSITY_ADMIN).user,
        "department admin": RoleFactory(
            university=university,
            role=Role.DEPARTMENT_ADMIN,
            department=offering.course.department,
        ).user,
        "platform admin": RoleFactory(
            university=UniversityFactory(), role=Role.PLATFORM_ADMIN
        ).user,
        "superuser": UserFactory(is_superuser=True),
    }


def test_staff_see_everything_and_record_nothing(offering):
    for who, user in staff_of(offering).items():
        access = offering_for_learner(user=user, offering_id=offering.pk)
        assert (access.may_learn, access.records_progress, access.sees_hidden) == (
            True,
            False,
            True,
        ), who


def test_staff_who_are_also_enrolled_record_nothing(offering):
    user = EnrollmentFactory(course_offering=offering).user
    CourseOfferingInstructor.objects.create(course_offering=offering, user=user)
    access = offering_for_learner(user=user, offering_id=offering.pk)
    assert (access.may_learn, access.records_progress) == (True, False)


def test_roles_elsewhere_give_nothing(offering):
    university = offering.university
    others = {
        "other university's admin": RoleFactory(
            university=UniversityFactory(), role=Role.UNIVERSITY_ADMIN
        ).user,
        "admin of another department": RoleFactory(
            university=university,
            role=Role.DEPARTMENT_ADMIN,
            department=DepartmentFactory(university=university),
        ).user,
        "instructor of another offering": UserFactory(),
        "teaching assistant role without the offering": RoleFactory(
            university=university, role=Role.TA
        ).user,
    }
    CourseOfferingInstructor.objects.create(
        course_offering=OfferingFactory(course=offering.course),
        user=others["instructor of another offering"],
    )
    for who, user in others.items():
        access = offering_for_learner(user=user, offering_id=offering.pk)
        assert (access.may_learn, access.is_staff) == (False, False), who


def test_missing_and_draft_offerings_are_404_alike(offering):
    stranger = UserFactory()
    with pytest.raises(Http404):
        offering_for_learner(user=stranger, offering_id=offering.pk + 1000)
    offering.course.is_published = False
    offering.course.save()
    with pytest.raises(Http404):
        offering_for_learner(user=stranger, offering_id=offering.pk)
    # Those who belong to it still get in.
    student = EnrollmentFactory(course_offering=offering).user
    assert offering_for_learner(user=student, offering_id=offering.pk).may_learn
    assert offering_for_learner(user=staff_of(offering)["instructor"], offering_id=offering.pk)
