"""A course with a unit and an item, its offering, and one user of every kind that matters to
the discussions: enrolled students, a completed one, a dropped one, an outsider, the offering's
instructor, an admin of its university and the instructor of another university."""

from dataclasses import dataclass

import pytest

from assessments.progress.tree_changes import tracked
from catalog.models import CourseOffering, CourseOfferingInstructor, EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from community.discussions import services
from community.discussions.selectors import discussion_access
from community.models import DiscussionThread
from content.models import ContentItem
from content.services import content_item_create
from content.tests.factories import TEXT_PAYLOAD
from lms.celery import app as celery_app
from syllabus.models import Module
from syllabus.services import course_root, module_create
from tenancy.models import Role, User
from tenancy.tests.factories import RoleFactory, UniversityFactory, UserFactory


@dataclass
class World:
    offering: CourseOffering
    unit: Module
    lesson: Module
    item: ContentItem
    student: User
    classmate: User
    graduate: User
    dropped: User
    outsider: User
    instructor: User
    university_admin: User
    other_instructor: User


@pytest.fixture
def world(db) -> World:
    course = CourseFactory(title="Statics", code="ENG101")
    offering = OfferingFactory(course=course)
    root = course_root(course=course)
    unit = module_create(
        course=course, parent=root, module_type="unit", title="Unit 1: Forces", is_published=True
    )
    lesson = module_create(
        course=course, parent=unit, module_type="lesson", title="Lesson 1.1", is_published=True
    )
    item = tracked(
        content_item_create,
        module=lesson,
        content_type="text",
        title="Free-body diagrams",
        data_json=TEXT_PAYLOAD,
    )

    def enrolled(name: str, status: str = EnrollmentStatus.ACTIVE) -> User:
        user = UserFactory(full_name=name)
        EnrollmentFactory(user=user, course_offering=offering, status=status)
        return user

    instructor = UserFactory(full_name="Iris Instructor")
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    university_admin = UserFactory(full_name="Uma Admin")
    RoleFactory(user=university_admin, university=course.university, role=Role.UNIVERSITY_ADMIN)
    other_offering = OfferingFactory(course=CourseFactory(university=UniversityFactory()))
    other_instructor = UserFactory(full_name="Otto Elsewhere")
    CourseOfferingInstructor.objects.create(course_offering=other_offering, user=other_instructor)
    RoleFactory(
        user=other_instructor, university=other_offering.university, role=Role.UNIVERSITY_ADMIN
    )
    return World(
        offering=offering,
        unit=unit,
        lesson=lesson,
        item=item,
        student=enrolled("Ada Lovelace"),
        classmate=enrolled("Blaise Pascal"),
        graduate=enrolled("Carl Gauss", EnrollmentStatus.COMPLETED),
        dropped=enrolled("Dora Dropped", EnrollmentStatus.DROPPED),
        outsider=UserFactory(full_name="Olga Outsider"),
        instructor=instructor,
        university_admin=university_admin,
        other_instructor=other_instructor,
    )


def access_for(user: User, offering: CourseOffering):
    return discussion_access(user=User.objects.get(pk=user.pk), offering_id=offering.pk)


def start_thread(user: User, offering: CourseOffering, title="Why?", body="Please explain."):
    return services.thread_create(access=access_for(user, offering), title=title, body=body)


def reply(user: User, thread: DiscussionThread, body="Because.", parent=None):
    return services.post_create(
        access=access_for(user, thread.course_offering), thread=thread, body=body, parent=parent
    )


@pytest.fixture(autouse=True)
def fast_setup(settings):
    """Tests that build threads post quickly (the throttle has its own tests), and a dozen
    users per test need no slow password hashing."""
    settings.COMMUNITY_POSTS_PER_MINUTE = 1000
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_in_process():
    """Tasks enqueued on commit run right away instead of going to the broker."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager
