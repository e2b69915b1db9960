"""The staff form that posts an announcement: staff of the offering only, bad input changes
nothing, and the learners are told."""

import pytest
from django.urls import reverse

from catalog.models import CourseOfferingInstructor
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from community.models import Announcement
from notifications.models import Notification
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering():
    offering = OfferingFactory()
    EnrollmentFactory(course_offering=offering, user=UserFactory(full_name="Ada"))
    return offering


def _url(offering):
    return reverse("portal:announcement-create", args=[offering.pk])


def _instructor(offering):
    user = UserFactory()
    CourseOfferingInstructor.objects.create(course_offering=offering, user=user)
    RoleFactory(user=user, university=offering.university, role=Role.INSTRUCTOR)
    return user


def test_an_instructor_posts_and_the_learners_are_told(client, offering):
    client.force_login(_instructor(offering))
    outline = client.get(reverse("portal:outline", args=[offering.pk])).content.decode()
    assert _url(offering) in outline
    assert client.get(_url(offering)).status_code == 200
    response = client.post(_url(offering), {"title": "Exam room", "body": "Hall **B**."})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:outline", args=[offering.pk]) + "#announcements"
    assert list(Announcement.objects.values_list("title", flat=True)) == ["Exam room"]
    assert list(Notification.objects.values_list("user__full_name", "title")) == [
        ("Ada", "Exam room")
    ]


def test_bad_input_says_what_and_posts_nothing(client, offering):
    client.force_login(_instructor(offering))
    response = client.post(_url(offering), {"title": "   ", "body": "Text"})
    assert response.status_code == 400
    assert response.context["form"].errors["title"]
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_learners_and_other_universities_get_a_404(client, offering):
    learner = offering.enrollments.get().user
    other = RoleFactory(role=Role.UNIVERSITY_ADMIN).user  # admin of another university
    for user in (learner, other):
        client.force_login(user)
        response = client.post(_url(offering), {"title": "Hi", "body": "There"})
        assert response.status_code == 404
    assert not Announcement.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, offering):
    response = client.post(_url(offering), {"title": "Hi", "body": "There"})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Announcement.objects.exists()
