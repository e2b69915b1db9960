"""Enrollment decisions and waitlist promotions notify the student, once, in the transaction of
the change; nobody else hears of it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from catalog.models import EnrollmentStatus
from catalog.services.enrollment import (
    enrollment_approve,
    enrollment_create,
    enrollment_drop,
    enrollment_reject,
)
from catalog.services.roster import roster_promote
from catalog.tests.factories import OfferingFactory
from lms.models import OutboxTask
from notifications.models import Notification
from notifications.services import preferences_set
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approval():
    offering = OfferingFactory(capacity=1, requires_approval=True, term_name="Autumn")
    course = offering.course
    admin = RoleFactory(
        university=course.university, role=Role.DEPARTMENT_ADMIN, department=course.department
    ).user
    return offering, admin


def _rows():
    return list(Notification.objects.order_by("pk").values_list("user_id", "kind", "title", "link"))


def test_approval_notifies_the_student_once(approval):
    offering, admin = approval
    student = UserFactory()
    RoleFactory(university=offering.university, role=Role.STUDENT)  # a classmate-to-be
    request = enrollment_create(offering=offering, user=student).enrollment
    assert _rows() == []  # a request alone tells nobody
    enrollment_approve(enrollment=request, actor=admin)
    assert _rows() == [
        (
            student.pk,
            "enrollment_approved",
            f"Your enrollment in {offering.course.title} (Autumn) is approved",
            reverse("portal:outline", args=[offering.pk]),
        )
    ]
    emails = OutboxTask.objects.filter(task="notifications.tasks.notification_email_task")
    assert list(emails.values_list("args", flat=True)) == [[Notification.objects.get().pk]]


def test_approval_onto_the_waitlist_says_so_and_the_promotion_is_told(approval):
    offering, admin = approval
    seated, waiting = UserFactory(), UserFactory()
    first = enrollment_create(offering=offering, user=seated).enrollment
    second = enrollment_create(offering=offering, user=waiting).enrollment
    enrollment_approve(enrollment=first, actor=admin)
    enrollment_approve(enrollment=second, actor=admin)
    told = Notification.objects.get(user=waiting)
    assert told.kind == "enrollment_approved"
    assert "waitlist" in told.title and "number 1" in told.summary
    assert told.link == reverse("portal:course-detail", args=[offering.course_id])

    enrollment_drop(enrollment=first)
    promoted = Notification.objects.get(user=waiting, kind="waitlist_promoted")
    assert promoted.title == f"A seat in {offering.course.title} (Autumn) is yours"
    assert promoted.link == reverse("portal:outline", args=[offering.pk])
    assert Notification.objects.filter(user=seated).count() == 1  # only their approval


def test_rejection_notifies_and_asking_again_is_a_new_event(approval):
    offering, admin = approval
    student = UserFactory()
    request = enrollment_create(offering=offering, user=student).enrollment
    enrollment_reject(enrollment=request, actor=admin)
    assert [kind for _u, kind, _t, _l in _rows()] == ["enrollment_rejected"]
    again = enrollment_create(offering=offering, user=student).enrollment
    enrollment_reject(enrollment=again, actor=admin)
    assert [kind for _u, kind, _t, _l in _rows()] == ["enrollment_rejected"] * 2


def test_a_student_who_chose_none_is_not_told(approval):
    offering, admin = approval
    student = UserFactory()
    preferences_set(user=student, choices={"enrollment_approved": "none"})
    request = enrollment_create(offering=offering, user=student).enrollment
    enrollment_approve(enrollment=request, actor=admin)
    assert _rows() == []


def test_a_refused_decision_notifies_nobody(approval):
    offering, _admin = approval
    request = enrollment_create(offering=offering, user=UserFactory()).enrollment
    outsider = RoleFactory(role=Role.UNIVERSITY_ADMIN).user  # another university's admin
    with pytest.raises(PermissionDenied):
        enrollment_approve(enrollment=request, actor=outsider)
    assert _rows() == []
    request.refresh_from_db()
    assert request.status == EnrollmentStatus.PENDING


def test_waitlist_promotion_on_a_drop_tells_only_the_promoted():
    offering = OfferingFactory(capacity=1)
    holder, first, second = UserFactory(), UserFactory(), UserFactory()
    seat = enrollment_create(offering=offering, user=holder).enrollment
    enrollment_create(offering=offering, user=first)
    enrollment_create(offering=offering, user=second)
    enrollment_drop(enrollment=seat)
    assert [(u, kind) for u, kind, _t, _l in _rows()] == [(first.pk, "waitlist_promoted")]


def test_staff_promoting_from_the_waitlist_tells_the_promoted(approval):
    offering, admin = approval
    holder, waiting = UserFactory(), UserFactory()
    seat = enrollment_create(offering=offering, user=holder).enrollment
    queued = enrollment_create(offering=offering, user=waiting).enrollment
    enrollment_approve(enrollment=seat, actor=admin)
    enrollment_approve(enrollment=queued, actor=admin)
    Notification.objects.all().delete()
    change = roster_promote(
        actor=admin, offering=offering, enrollment_ids=[queued.pk], over_capacity=True
    )
    assert [row.pk for row in change.changed] == [queued.pk]
    assert [(u, kind) for u, kind, _t, _l in _rows()] == [(waiting.pk, "waitlist_promoted")]
