"""The invitation page: sign in first, see what is offered, accept with a POST."""

import pytest
from django.urls import reverse

from catalog.models import CourseEnrollment, EnrollmentStatus
from catalog.services import invitations
from catalog.tests.factories import OfferingFactory, staff_member
from tenancy.models import Role, UserUniversityRole
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation():
    offering = OfferingFactory(term_name="Fall")
    admin = staff_member(offering.course.department)
    return invitations.invitation_create(
        actor=admin,
        university=offering.university,
        email="guest@y.edu",
        role=Role.STUDENT,
        offering=offering,
    )


def page(invitation):
    return reverse("portal:invitation", kwargs={"token": invitation.token})


def test_anonymous_visitors_sign_in_first(client, invitation):
    response = client.get(page(invitation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(page(invitation)).status_code == 302
    assert not CourseEnrollment.objects.exists()


def test_an_unknown_token_is_a_404(client):
    client.force_login(UserFactory())
    url = reverse("portal:invitation", kwargs={"token": "not-a-token"})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_the_invited_person_accepts(client, invitation):
    guest = UserFactory(email="Guest@y.edu")
    client.force_login(guest)
    shown = client.get(page(invitation))
    assert shown.status_code == 200
    text = shown.content.decode()
    assert invitation.course_offering.course.title in text
    assert "Accept the invitation" in text
    assert not CourseEnrollment.objects.exists()  # a GET changes nothing
    response = client.post(page(invitation))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal:course-detail", kwargs={"course_id": invitation.course_offering.course_id}
    )
    assert list(CourseEnrollment.objects.values_list("user_id", "status")) == [
        (guest.pk, EnrollmentStatus.ACTIVE)
    ]


def test_someone_else_cannot_accept(client, invitation):
    client.force_login(UserFactory(email="other@y.edu"))
    shown = client.get(page(invitation)).content.decode()
    assert "Accept the invitation" not in shown
    assert "This invitation was sent to another email address." in shown
    response = client.post(page(invitation), follow=True)
    assert response.status_code == 200
    assert not CourseEnrollment.objects.exists()
    assert not UserUniversityRole.objects.filter(role=Role.STUDENT).exists()


def test_the_invitation_page_passes_the_accessibility_audit(client, invitation):
    from portal.tests.test_accessibility import assert_accessible

    client.force_login(UserFactory(email="guest@y.edu"))
    assert_accessible(client, page(invitation))
    client.force_login(UserFactory(email="other@y.edu"))
    assert_accessible(client, page(invitation))
