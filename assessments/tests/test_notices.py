"""Graded work and certificates notify their learner once, in the transaction of the change."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.assignments.services import assignment_submission_grade
from assessments.grades.certificates import certificate_issue, certificate_revoke
from assessments.grades.models import CourseGrade
from assessments.labs.models import LabStatus, LabSubmission
from assessments.labs.services import lab_submission_review
from assessments.tests import lab_data, trees
from assessments.tests.test_assignments import payload
from assessments.tests.test_certificates import passed_grade
from catalog.models import EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from notifications.models import Notification
from notifications.services import preferences_set
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CERTIFICATE_VALID_DAYS = None


@pytest.fixture
def assignment():
    offering = OfferingFactory()
    unit = trees.module(trees.root(offering.course), "Unit 1")
    item = trees.item(unit, "Problem set 1", "assignment", data=payload())
    student = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.ACTIVE).user
    EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.ACTIVE)  # a classmate
    submission = LabSubmission.objects.create(
        user=student, course_offering=offering, content_item=item, max_score=Decimal("20")
    )
    return offering, submission


def _rows():
    return list(Notification.objects.values_list("user_id", "kind", "title", "summary", "link"))


def test_a_graded_assignment_tells_its_author_once(assignment):
    offering, submission = assignment
    assignment_submission_grade(
        submission_id=submission.pk, actor=UserFactory(), score="15", feedback="Good"
    )
    grades = reverse("portal:grades", args=[offering.pk])
    expected = [
        (
            submission.user_id,
            "work_graded",
            "Your assignment “Problem set 1” is graded",
            "Score: 15.00 of 20.00.",
            grades,
        )
    ]
    assert _rows() == expected
    assignment_submission_grade(
        submission_id=submission.pk, actor=UserFactory(), score="16", feedback="Better"
    )
    assert _rows() == expected  # the same grading, a corrected score: told once


def test_a_learner_who_chose_none_hears_nothing_of_grades(assignment):
    _offering, submission = assignment
    preferences_set(user=submission.user, choices={"work_graded": "none"})
    assignment_submission_grade(
        submission_id=submission.pk, actor=UserFactory(), score="15", feedback=""
    )
    assert _rows() == []


def test_a_lab_graded_by_staff_tells_its_author():
    lab = lab_data.build_lab_world()
    row = LabSubmission.objects.create(
        user=lab.student,
        course_offering=lab.offering,
        content_item=lab.lab,
        max_score=Decimal("40"),
        status=LabStatus.ERROR,
    )
    lab_submission_review(submission_id=row.pk, actor=UserFactory(), feedback="", score_override=30)
    [(user_id, kind, title, summary, _link)] = _rows()
    assert (user_id, kind, summary) == (lab.student.pk, "work_graded", "Score: 30.00 of 40.00.")
    assert title == f"Your lab “{lab.lab.title}” is graded"


def test_certificate_issued_then_revoked_tells_the_holder_once_each():
    grade = passed_grade()
    EnrollmentFactory(course_offering=grade.course_offering)  # a classmate, not told
    certificate = certificate_issue(offering_id=grade.course_offering_id, user_id=grade.user_id)
    certificate_issue(offering_id=grade.course_offering_id, user_id=grade.user_id)
    course = grade.course_offering.course.title
    verify = reverse("portal:certificate-verify", args=[certificate.certificate_code])
    assert _rows() == [
        (
            grade.user_id,
            "certificate_issued",
            f"Your certificate for {course} is issued",
            "",
            verify,
        ),
    ]
    certificate_revoke(certificate_id=certificate.pk, actor=UserFactory(), reason="Plagiarism")
    revoked = Notification.objects.get(kind="certificate_revoked")
    assert (revoked.user_id, revoked.title, revoked.summary) == (
        grade.user_id,
        f"Your certificate for {course} was revoked",
        "Plagiarism",
    )
    assert Notification.objects.count() == 2


def test_no_passing_grade_no_certificate_notice():
    grade = passed_grade()
    CourseGrade.objects.filter(pk=grade.pk).update(passed=False)
    assert certificate_issue(offering_id=grade.course_offering_id, user_id=grade.user_id) is None
    assert _rows() == []
