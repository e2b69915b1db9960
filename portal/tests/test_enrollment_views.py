"""Enrolling and leaving through the course page: POST only, CSRF, login, messages, and the
tenancy of offerings."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import CourseEnrollment, EnrollmentStatus, PrerequisiteType
from catalog.tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    OfferingFactory,
    PrerequisiteFactory,
)
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def enroll_url(offering) -> str:
    return reverse("portal:enroll", kwargs={"offering_id": offering.pk})


def drop_url(offering) -> str:
    return reverse("portal:drop", kwargs={"offering_id": offering.pk})


def course_url(offering) -> str:
    return reverse("portal:course-detail", kwargs={"course_id": offering.course_id})


def flashed(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def snapshot() -> list[tuple]:
    return list(CourseEnrollment.objects.order_by("pk").values_list("pk", "user_id", "status"))


@pytest.fixture
def student(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_routes():
    assert reverse("portal:enroll", kwargs={"offering_id": 3}) == "/offerings/3/enroll/"
    assert reverse("portal:drop", kwargs={"offering_id": 3}) == "/offerings/3/drop/"


def test_enroll(client, student):
    offering = OfferingFactory(course=CourseFactory(code="ME201", title="Thermodynamics I"))
    response = client.post(enroll_url(offering))
    assert response.status_code == 302
    assert response.url == course_url(offering)
    assert flashed(response) == [
        ("success", "You are enrolled in ME201 Thermodynamics I (Current term).")
    ]
    enrollment = CourseEnrollment.objects.get()
    assert (enrollment.user, enrollment.status) == (student, EnrollmentStatus.ACTIVE)
    page = client.get(course_url(offering)).content.decode()
    assert '<span class="badge ok">Enrolled</span>' in page


def test_anonymous_visitors_are_sent_to_log_in_and_back(client):
    offering = OfferingFactory()
    response = client.post(enroll_url(offering))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={course_url(offering)}"
    assert CourseEnrollment.objects.count() == 0
    response = client.get(drop_url(offering))
    assert response.url == f"{reverse('accounts:login')}?next={drop_url(offering)}"


def test_enroll_is_post_only_and_csrf_protected(student):
    offering = OfferingFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    assert client.get(enroll_url(offering)).status_code == 405
    assert client.post(enroll_url(offering)).status_code == 403
    assert CourseEnrollment.objects.count() == 0
    page = client.get(course_url(offering)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(enroll_url(offering), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert CourseEnrollment.objects.get().status == EnrollmentStatus.ACTIVE


def test_full_offering_waitlists_with_the_position(client, student):
    offering = OfferingFactory(capacity=1, course=CourseFactory(code="C1", title="Optics"))
    EnrollmentFactory(course_offering=offering)
    EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.WAITLISTED)
    response = client.post(enroll_url(offering))
    assert flashed(response) == [
        (
            "info",
            "C1 Optics (Current term) is full. You are number 2 on the waitlist and get a seat "
            "automatically when one frees up.",
        )
    ]
    page = client.get(course_url(offering)).content.decode()
    assert "Waitlisted #2" in page


def test_approval_requests_are_pending(client, student):
    offering = OfferingFactory(requires_approval=True, course=CourseFactory(code="C2", title="ML"))
    response = client.post(enroll_url(offering))
    assert flashed(response) == [
        (
            "info",
            "Your request to join C2 ML (Current term) is waiting for approval by the department.",
        )
    ]
    assert CourseEnrollment.objects.get().status == EnrollmentStatus.PENDING


def test_recommended_prerequisite_warns_and_enrolls(client, student):
    link = PrerequisiteFactory(
        prerequisite_type=PrerequisiteType.RECOMMENDED,
        prerequisite_course__code="PH101",
        prerequisite_course__title="Physics I",
    )
    offering = OfferingFactory(course=link.course)
    response = client.post(enroll_url(offering))
    assert [level for level, _ in flashed(response)] == ["success", "warning"]
    assert flashed(response)[1][1] == "We recommend completing PH101 Physics I before this course."
    assert CourseEnrollment.objects.get().status == EnrollmentStatus.ACTIVE


def test_refusals_are_errors_and_change_nothing(client, student):
    link = PrerequisiteFactory(
        prerequisite_course__code="MA101", prerequisite_course__title="Calculus I"
    )
    strict = OfferingFactory(course=link.course)
    closed = OfferingFactory(enrollment_end=timezone.now() - timedelta(days=1))
    before = snapshot()
    response = client.post(enroll_url(strict), follow=True)
    assert response.redirect_chain == [(course_url(strict), 302)]
    assert '<p class="message message-error">Complete MA101 Calculus I before you enroll' in (
        response.content.decode()
    )
    response = client.post(enroll_url(closed))
    assert flashed(response)[0][0] == "error"
    assert "closed on" in flashed(response)[0][1]
    assert snapshot() == before


def test_enrolling_twice_is_refused(client, student):
    offering = OfferingFactory()
    client.post(enroll_url(offering), follow=True)  # shows, and so clears, the first message
    response = client.post(enroll_url(offering))
    assert flashed(response) == [("error", "You are already enrolled in this offering.")]
    assert CourseEnrollment.objects.count() == 1


def test_hidden_offerings_are_not_found(client, student):
    private = OfferingFactory(visibility="private")
    draft = OfferingFactory(course=CourseFactory(is_published=False))
    for offering in (private, draft):
        assert client.post(enroll_url(offering)).status_code == 404
        assert client.get(drop_url(offering)).status_code == 404
    assert client.post("/offerings/987654321/enroll/").status_code == 404
    assert CourseEnrollment.objects.count() == 0
    # Another university's staff do not see a private offering either; its members do.
    client.force_login(RoleFactory(role=Role.UNIVERSITY_ADMIN).user)
    assert client.post(enroll_url(private)).status_code == 404
    member = RoleFactory(university=private.university, role=Role.STUDENT).user
    client.force_login(member)
    assert client.post(enroll_url(private)).status_code == 302
    assert CourseEnrollment.objects.get().user == member


def test_drop_asks_then_drops_and_promotes_the_waitlist(client, student):
    offering = OfferingFactory(capacity=1, course=CourseFactory(code="C3", title="Statics"))
    mine = EnrollmentFactory(user=student, course_offering=offering)
    waiting = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.WAITLISTED)

    confirm = client.get(drop_url(offering))
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Drop this course?" in page
    assert f'<a href="{course_url(offering)}">Cancel</a>' in page
    mine.refresh_from_db()
    assert mine.status == EnrollmentStatus.ACTIVE  # asking changes nothing

    response = client.post(drop_url(offering))
    assert response.url == course_url(offering)
    assert flashed(response) == [("success", "You have dropped C3 Statics (Current term).")]
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == (EnrollmentStatus.DROPPED, EnrollmentStatus.ACTIVE)

    response = client.post(enroll_url(offering))
    again = CourseEnrollment.objects.get(user=student)
    assert again.pk == mine.pk
    assert again.status == EnrollmentStatus.WAITLISTED


def test_leaving_a_waitlist_and_withdrawing_a_request(client, student):
    full = OfferingFactory(capacity=1, course=CourseFactory(code="C4", title="Optics"))
    EnrollmentFactory(course_offering=full)
    EnrollmentFactory(user=student, course_offering=full, status=EnrollmentStatus.WAITLISTED)
    assert "Leave the waitlist?" in client.get(drop_url(full)).content.decode()
    response = client.post(drop_url(full))
    assert flashed(response) == [
        ("success", "You have left the waitlist of C4 Optics (Current term).")
    ]

    approval = OfferingFactory(requires_approval=True, course=CourseFactory(code="C5", title="ML"))
    EnrollmentFactory(user=student, course_offering=approval, status=EnrollmentStatus.PENDING)
    assert "Withdraw your request?" in client.get(drop_url(approval)).content.decode()
    response = client.post(drop_url(approval))
    assert flashed(response) == [
        ("success", "You have withdrawn your request to join C5 ML (Current term).")
    ]


def test_drop_refusals(client, student):
    offering = OfferingFactory()
    response = client.post(drop_url(offering), follow=True)
    assert '<p class="message message-error">You are not enrolled in this offering.</p>' in (
        response.content.decode()
    )
    EnrollmentFactory(user=student, course_offering=offering, status=EnrollmentStatus.COMPLETED)
    assert client.get(drop_url(offering)).url == course_url(offering)  # nothing to ask
    before = snapshot()
    response = client.post(drop_url(offering))
    assert flashed(response) == [
        ("error", "You have completed this offering; it stays on your record.")
    ]
    assert snapshot() == before
    assert client.put(drop_url(offering)).status_code == 405
