"""A running offering's grade is provisional: passing it does not complete the enrollment, issue
a certificate or unlock a strict prerequisite. The grade becomes final when the offering ends
(the beat task), when its staff finalise it, or, self-paced, when everything is graded."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.grades.certificates import certificate_issue
from assessments.grades.models import Certificate, CourseGrade
from assessments.grades.services import grades_finalize, grades_rollup
from assessments.grades.tasks import grade_rollup_task, grades_finalize_due_task
from assessments.tests.grading_data import (
    attempt,
    graded_course,
    self_paced_offering,
    submission,
    worked_example,
)
from catalog.models import CourseEnrollment, CourseOffering, EnrollmentStatus, PrerequisiteType
from catalog.services.enrollment import EnrollmentRefused, enrollment_create
from catalog.tests.factories import (
    EnrollmentFactory,
    OfferingFactory,
    PrerequisiteFactory,
    staff_member,
)
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UniversityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_process(tasks_in_process):
    """Every test here runs its tasks in-process."""


def status_of(user, offering) -> str:
    return CourseEnrollment.objects.get(user=user, course_offering=offering).status


def grade_row(user, offering) -> tuple:
    grade = CourseGrade.objects.get(user=user, course_offering=offering)
    return grade.final_score, grade.passed, grade.is_final, grade.finalized_at is not None


def test_passing_mid_term_neither_completes_nor_certifies(django_capture_on_commit_callbacks):
    course = graded_course()  # started 10 days ago, ends in 80
    learner = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, learner)

    with django_capture_on_commit_callbacks(execute=True):
        grade_rollup_task.delay(course.offering.pk)

    assert grade_row(learner, course.offering) == (Decimal("63.67"), True, False, False)
    assert status_of(learner, course.offering) == EnrollmentStatus.ACTIVE
    assert not Certificate.objects.exists()
    assert certificate_issue(offering_id=course.offering.pk, user_id=learner.pk) is None
    assert not Certificate.objects.exists()
    assert mail.outbox == []


def test_the_beat_task_finalises_ended_offerings_once(django_capture_on_commit_callbacks):
    course = graded_course()
    learner = EnrollmentFactory(course_offering=course.offering).user
    failing = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, learner)
    running = graded_course()
    running_learner = EnrollmentFactory(course_offering=running.offering).user
    worked_example(running, running_learner)
    grades_rollup(offering_id=course.offering.pk)
    # The term ends.
    CourseOffering.objects.filter(pk=course.offering.pk).update(
        ends_at=timezone.now() - timedelta(minutes=5)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert grades_finalize_due_task.delay().get() == 1

    assert grade_row(learner, course.offering) == (Decimal("63.67"), True, True, True)
    assert grade_row(failing, course.offering) == (Decimal("0.00"), False, True, True)
    assert status_of(learner, course.offering) == EnrollmentStatus.COMPLETED
    assert status_of(failing, course.offering) == EnrollmentStatus.ACTIVE
    certificate = Certificate.objects.get()
    assert (certificate.user_id, certificate.course_offering_id) == (learner.pk, course.offering.pk)
    assert certificate.pdf_path and certificate.emailed_at is not None
    assert len(mail.outbox) == 1
    course.offering.refresh_from_db()
    finalized_at = course.offering.grades_finalized_at
    assert finalized_at is not None
    # The running offering is untouched.
    assert not CourseGrade.objects.filter(course_offering=running.offering).exists()
    assert status_of(running_learner, running.offering) == EnrollmentStatus.ACTIVE

    # Run again: nothing left to finalise, nothing changes.
    graded_at = CourseGrade.objects.get(user=learner).graded_at
    with django_capture_on_commit_callbacks(execute=True):
        assert grades_finalize_due_task.delay().get() == 0
        assert grades_finalize(offering_id=course.offering.pk).changed == 0
    course.offering.refresh_from_db()
    assert course.offering.grades_finalized_at == finalized_at
    assert CourseGrade.objects.get(user=learner).graded_at == graded_at
    assert Certificate.objects.count() == 1
    assert len(mail.outbox) == 1


def test_self_paced_completes_when_every_graded_item_is_graded_and_passes():
    course = graded_course(self_paced_offering())
    learner = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, learner)  # quiz 3 not attempted
    grades_rollup(offering_id=course.offering.pk)

    assert grade_row(learner, course.offering) == (Decimal("63.67"), True, False, False)
    assert status_of(learner, course.offering) == EnrollmentStatus.ACTIVE

    attempt(learner, course.offering, course.quizzes[2], 7)
    result = grades_rollup(offering_id=course.offering.pk)

    # quizzes (90 + 50 + 70) / 3 = 70: (40*70 + 40*75 + 20*75) / 100.
    assert grade_row(learner, course.offering) == (Decimal("73.00"), True, True, True)
    assert status_of(learner, course.offering) == EnrollmentStatus.COMPLETED
    assert (result.completed, result.certificates_due) == (1, [learner.pk])


def test_self_paced_all_graded_but_failing_stays_provisional():
    course = graded_course(self_paced_offering())
    learner = EnrollmentFactory(course_offering=course.offering).user
    for quiz in course.quizzes:
        attempt(learner, course.offering, quiz, 1)
    for lab in course.labs:
        submission(learner, course.offering, lab, 10, 100)
    submission(learner, course.offering, course.assignment, 2)
    # A lab submitted but not graded yet is not graded work.
    submission(learner, course.offering, course.labs[0], None, status="submitted", minutes=5)

    result = grades_rollup(offering_id=course.offering.pk)

    assert grade_row(learner, course.offering) == (Decimal("10.00"), False, False, False)
    assert status_of(learner, course.offering) == EnrollmentStatus.ACTIVE
    assert (result.completed, result.certificates_due) == (0, [])


def test_a_strict_prerequisite_unlocks_on_the_final_completion_only():
    course = graded_course()
    learner = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, learner)
    link = PrerequisiteFactory(
        prerequisite_course=course.offering.course, prerequisite_type=PrerequisiteType.STRICT
    )
    next_course = OfferingFactory(course=link.course)

    grades_rollup(offering_id=course.offering.pk)  # passes mid-term: provisional
    with pytest.raises(EnrollmentRefused):
        enrollment_create(offering=next_course, user=learner)
    assert not CourseEnrollment.objects.filter(course_offering=next_course).exists()

    grades_finalize(offering_id=course.offering.pk)

    outcome = enrollment_create(offering=next_course, user=learner)
    assert outcome.enrollment.status == EnrollmentStatus.ACTIVE


def finalize_url(offering) -> str:
    return reverse("admin:assessments_coursegrade_gradebook_finalize", args=[offering.pk])


def test_an_instructor_of_the_offering_finalises_from_the_gradebook(
    client, django_capture_on_commit_callbacks
):
    course = graded_course()
    learner = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, learner)
    instructor = RoleFactory(university=course.offering.university, role=Role.INSTRUCTOR).user
    course.offering.instructors.add(instructor)
    client.force_login(instructor)
    gradebook = reverse("admin:assessments_coursegrade_gradebook", args=[course.offering.pk])
    assert "Finalise grades" in client.get(gradebook).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(finalize_url(course.offering))

    assert response.status_code == 302
    assert grade_row(learner, course.offering) == (Decimal("63.67"), True, True, True)
    assert status_of(learner, course.offering) == EnrollmentStatus.COMPLETED
    assert Certificate.objects.filter(user=learner).count() == 1
    page = client.get(gradebook).content.decode()
    assert "Grades are final." in page
    assert "Finalise grades" not in page


@pytest.mark.parametrize("who", ["ta", "other_university_admin", "other_instructor", "student"])
def test_finalising_is_refused_to_others_and_changes_nothing(
    client, who, django_capture_on_commit_callbacks
):
    course = graded_course()
    offering = course.offering
    learner = EnrollmentFactory(course_offering=offering).user
    worked_example(course, learner)
    grades_rollup(offering_id=offering.pk)
    if who == "ta":
        user = RoleFactory(university=offering.university, role=Role.TA).user
        offering.instructors.add(user)
        expected = 403
    elif who == "other_university_admin":
        user = RoleFactory(role=Role.UNIVERSITY_ADMIN).user
        expected = 404
    elif who == "other_instructor":
        user = staff_member(offering.course.department, role=Role.INSTRUCTOR)
        OfferingFactory(course=offering.course).instructors.add(user)  # another run
        expected = 404
    else:
        user = UserFactory()
        expected = 302  # to the admin's login
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(finalize_url(offering))

    assert response.status_code == expected
    offering.refresh_from_db()
    assert offering.grades_finalized_at is None
    assert grade_row(learner, offering) == (Decimal("63.67"), True, False, False)
    assert status_of(learner, offering) == EnrollmentStatus.ACTIVE
    assert not Certificate.objects.exists()


def test_the_finalise_admin_action_finalises_only_what_the_user_may(
    client, django_capture_on_commit_callbacks
):
    taught, assisted = (
        graded_course(),
        graded_course(OfferingFactory(course__university=UniversityFactory())),
    )
    learners = {}
    for name, course in (("taught", taught), ("assisted", assisted)):
        learners[name] = EnrollmentFactory(course_offering=course.offering).user
        worked_example(course, learners[name])
        grades_rollup(offering_id=course.offering.pk)
    user = RoleFactory(university=taught.offering.university, role=Role.INSTRUCTOR).user
    RoleFactory(user=user, university=assisted.offering.university, role=Role.TA)
    taught.offering.instructors.add(user)
    assisted.offering.instructors.add(user)
    client.force_login(user)
    selected = list(CourseGrade.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:assessments_coursegrade_changelist"),
            {"action": "finalize_grades", "_selected_action": selected},
            follow=True,
        )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Finalising the grades of 1 offerings." in page
    assert f"finalise it: {assisted.offering}." in page
    assert grade_row(learners["taught"], taught.offering) == (Decimal("63.67"), True, True, True)
    assert status_of(learners["taught"], taught.offering) == EnrollmentStatus.COMPLETED
    assert grade_row(learners["assisted"], assisted.offering) == (
        Decimal("63.67"),
        True,
        False,
        False,
    )
    assert status_of(learners["assisted"], assisted.offering) == EnrollmentStatus.ACTIVE
    assert list(Certificate.objects.values_list("user_id", flat=True)) == [learners["taught"].pk]
