"""Reported posts reach the moderators of their offering, and only them."""

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import CourseOfferingInstructor
from catalog.tests.factories import EnrollmentFactory
from community.discussions import services
from community.discussions.selectors import moderated_reports
from community.models import PostReport
from community.tests.conftest import access_for, reply, start_thread
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(world):
    here = reply(world.classmate, start_thread(world.student, world.offering), body="Spam here")
    services.post_report(access=access_for(world.student, world.offering), post=here, reason="spam")
    elsewhere_offering = world.other_instructor.taught_offerings.get()
    author = EnrollmentFactory(course_offering=elsewhere_offering).user
    reader = EnrollmentFactory(course_offering=elsewhere_offering).user
    there = reply(author, start_thread(reader, elsewhere_offering), body="Spam there")
    services.post_report(access=access_for(reader, elsewhere_offering), post=there, reason="abuse")
    return PostReport.objects.get(post=here), PostReport.objects.get(post=there)


def test_each_moderator_sees_the_reports_of_their_offerings(world, reports):
    here, there = reports
    department_admin = UserFactory()
    RoleFactory(
        user=department_admin,
        university=world.offering.university,
        role=Role.DEPARTMENT_ADMIN,
        department=world.offering.course.department,
    )
    platform_admin = UserFactory()
    RoleFactory(user=platform_admin, university=world.offering.university, role=Role.PLATFORM_ADMIN)
    teaching_assistant = UserFactory()
    CourseOfferingInstructor.objects.create(course_offering=world.offering, user=teaching_assistant)

    def seen(user) -> list[int]:
        return sorted(r.pk for r in moderated_reports(user=user))

    assert seen(world.instructor) == [here.pk]
    assert seen(teaching_assistant) == [here.pk]
    assert seen(world.university_admin) == [here.pk]
    assert seen(department_admin) == [here.pk]
    assert seen(world.other_instructor) == [there.pk]
    assert seen(platform_admin) == sorted([here.pk, there.pk])
    assert seen(world.student) == []


def test_resolving_in_the_admin(world, reports):
    here, there = reports
    superuser = UserFactory(is_superuser=True)
    client = Client()
    client.force_login(superuser)
    changelist = reverse("admin:community_postreport_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert "Spam here" in page.content.decode()
    response = client.post(
        changelist, {"action": "resolve", "_selected_action": [here.pk]}, follow=True
    )
    assert response.status_code == 200
    here.refresh_from_db()
    there.refresh_from_db()
    assert (here.resolved_by_user, there.resolved_at) == (superuser, None)
    assert here.resolved_at is not None
    assert [str(m) for m in response.context["messages"]] == ["1 report resolved."]
    assert (
        client.get(reverse("admin:community_postreport_change", args=[here.pk])).status_code == 200
    )
