"""A seeded world for the input tests: the demo data set (universities, courses, offerings
with every content type, quiz attempts, labs, threads, reviews and a login of every role),
plus an open quiz attempt of the demo student so the attempt form is there to be sent.

`input_world` is module-scoped: it seeds once inside a transaction that is rolled back when
the module's tests are done, and each test's own transaction nests inside it.
"""

from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from assessments.grades.models import Certificate
from assessments.labs.models import LabSubmission
from assessments.quizzes.models import QuizAttempt
from assessments.quizzes.services import QuizRefused, attempt_start
from catalog.models import CourseEnrollment, CourseOffering, EnrollmentStatus
from community.models import CourseReview, DiscussionPost, DiscussionThread
from content.models import ContentItem, ContentType
from tenancy.models import University, User


@dataclass(frozen=True)
class InputWorld:
    platform_admin: User
    university_admin: User
    department_admin: User
    instructor: User
    ta: User
    student: User
    university: University
    offering: CourseOffering  # the student's active offering holding every content type
    completed: CourseOffering  # an offering the student completed (they may review it)
    items: dict[str, ContentItem]  # one item per content type, in `offering`
    attempt: QuizAttempt  # the student's open attempt at items["quiz"]
    thread: DiscussionThread
    post: DiscussionPost
    review: CourseReview
    lab_submission: LabSubmission | None
    certificate_code: str | None

    def user(self, role: str) -> User:
        return getattr(self, role)


def build_input_world() -> InputWorld:
    call_command("seed_demo", stdout=StringIO())
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@demo.lms")}
    student = users["student"]
    active = CourseEnrollment.objects.filter(user=student, status=EnrollmentStatus.ACTIVE)
    offering = next(
        e.course_offering
        for e in active.select_related("course_offering__course").order_by("course_offering_id")
        if ContentItem.objects.filter(
            course_id=e.course_offering.course_id, content_type=ContentType.ENGINEERING_LAB
        ).exists()
    )
    completed = (
        CourseEnrollment.objects.filter(user=student, status=EnrollmentStatus.COMPLETED)
        .select_related("course_offering__course")
        .first()
        .course_offering
    )
    items = {}
    for kind in ContentType.values:
        items[kind] = (
            ContentItem.objects.filter(course_id=offering.course_id, content_type=kind)
            .order_by("pk")
            .first()
        )
    attempt = open_attempt(student=student, offering=offering)
    items[ContentType.QUIZ] = attempt.content_item
    thread = DiscussionThread.objects.filter(course_offering=offering).order_by("pk").first()
    certificate = Certificate.objects.filter(user=student).order_by("pk").first()
    return InputWorld(
        platform_admin=users["platform"],
        university_admin=users["uniadmin"],
        department_admin=users["deptadmin"],
        instructor=users["instructor"],
        ta=users["ta"],
        student=student,
        university=offering.course.university,
        offering=offering,
        completed=completed,
        items=items,
        attempt=attempt,
        thread=thread,
        post=DiscussionPost.objects.filter(thread=thread).order_by("pk").first(),
        review=CourseReview.objects.filter(course_offering__course=offering.course)
        .order_by("pk")
        .first(),
        lab_submission=LabSubmission.objects.filter(user=student, course_offering=offering)
        .order_by("pk")
        .first(),
        certificate_code=certificate.certificate_code if certificate else None,
    )


def open_attempt(*, student: User, offering: CourseOffering) -> QuizAttempt:
    """An open attempt of the student at a quiz of the offering that still lets them start."""
    for quiz in ContentItem.objects.filter(
        course_id=offering.course_id, content_type=ContentType.QUIZ, is_active=True
    ).order_by("pk"):
        open_one = QuizAttempt.objects.filter(
            user=student, content_item=quiz, submitted_at__isnull=True
        ).first()
        if open_one is not None:
            return open_one
        try:
            return attempt_start(user=student, offering=offering, item_id=quiz.pk).attempt
        except QuizRefused:
            continue
    raise AssertionError("No quiz of the demo offering can be started.")


@pytest.fixture(scope="module")
def input_world(django_db_setup, django_db_blocker) -> InputWorld:
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_input_world()
        yield world
        transaction.set_rollback(True)
