"""Announcements: staff of the offering post them (in the admin too), the active learners are
told once in one statement, and the body goes through the one sanitiser."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from community.announcements.selectors import announcements_for_offerings
from community.announcements.services import announcement_notify, announcement_post
from community.models import Announcement
from lms.models import OutboxTask
from notifications.models import Notification
from notifications.services import preferences_set
from tenancy.models import Role, User
from tenancy.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


def _told():
    return sorted(Notification.objects.values_list("user__full_name", flat=True))


def test_staff_post_and_the_active_learners_are_told_once(world, django_assert_num_queries):
    preferences_set(user=world.classmate, choices={"announcement": "in_app"})
    announcement = announcement_post(
        offering=world.offering,
        author=world.instructor,
        title="Room change",
        body="We meet in **B12** <script>alert(1)</script>",
    )
    # active learners only: not the graduate, the dropped student, the outsider or the author
    assert _told() == ["Ada Lovelace", "Blaise Pascal"]
    told = Notification.objects.get(user=world.student)
    assert (told.kind, told.title, told.event_key) == (
        "announcement",
        "Room change",
        f"announcement:{announcement.pk}",
    )
    assert "<script>" not in told.summary and "B12" in told.summary
    assert told.link == reverse("portal:outline", args=[world.offering.pk]) + "#announcements"
    mailed = OutboxTask.objects.filter(task="notifications.tasks.notification_email_task")
    assert mailed.count() == 1  # Ada: both by default; Blaise chose the app only
    with django_assert_num_queries(1):  # one INSERT … SELECT for everyone; nothing new to mail
        assert announcement_notify(announcement=announcement) == 0
    assert Notification.objects.count() == 2


def test_the_body_is_sanitised_when_shown(world, client):
    announcement_post(
        offering=world.offering,
        author=world.university_admin,
        title="Exam",
        body="See [the rules](https://example.edu) <img src=x onerror=alert(1)>",
    )
    client.force_login(world.student)
    page = client.get(reverse("portal:outline", args=[world.offering.pk])).content.decode()
    assert 'href="https://example.edu"' in page
    assert "<img src=x" not in page  # raw HTML is shown as text, never as markup
    assert 'id="announcements"' in page


@pytest.mark.parametrize("who", ["student", "outsider", "other_instructor"])
def test_only_the_offerings_staff_post(world, who):
    with pytest.raises(PermissionDenied):
        announcement_post(
            offering=world.offering, author=getattr(world, who), title="Hi", body="Hello"
        )
    assert not Announcement.objects.exists() and not Notification.objects.exists()


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [(" ", "Body", "title"), ("T" * 201, "Body", "title"), ("Title", "  ", "body")],
)
def test_bad_input_says_what_and_writes_nothing(world, title, body, field):
    with pytest.raises(ValidationError) as error:
        announcement_post(offering=world.offering, author=world.instructor, title=title, body=body)
    assert list(error.value.message_dict) == [field]
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_newest_first_a_few_and_none_without_offerings(world, django_assert_num_queries):
    for n in range(5):
        announcement_post(
            offering=world.offering, author=world.instructor, title=f"News {n}", body="."
        )
    with django_assert_num_queries(1):
        shown = announcements_for_offerings(offering_ids=[world.offering.pk])
    assert [a.title for a in shown] == ["News 4", "News 3", "News 2"]
    with django_assert_num_queries(0):
        assert announcements_for_offerings(offering_ids=[]) == []


def _admin_client(user: User) -> Client:
    client = Client()
    client.force_login(User.objects.get(pk=user.pk))
    return client


def test_an_instructor_posts_in_the_admin_to_their_offering_only(world):
    RoleFactory(user=world.instructor, university=world.offering.university, role=Role.INSTRUCTOR)
    client = _admin_client(world.instructor)
    add = reverse("admin:community_announcement_add")
    other_offering = world.other_instructor.taught_offerings.get()
    refused = client.post(add, {"course_offering": other_offering.pk, "title": "X", "body": "Y"})
    assert refused.status_code == 200 and "course_offering" in refused.context["adminform"].errors
    assert not Announcement.objects.exists()
    response = client.post(
        add, {"course_offering": world.offering.pk, "title": "Quiz moved", "body": "To Friday."}
    )
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert (announcement.author, announcement.course_offering) == (world.instructor, world.offering)
    assert _told() == ["Ada Lovelace", "Blaise Pascal"]
    listing = client.get(reverse("admin:community_announcement_changelist")).content.decode()
    assert "Quiz moved" in listing


def test_another_universitys_admin_sees_no_announcement(world):
    announcement_post(offering=world.offering, author=world.instructor, title="Ours", body=".")
    client = _admin_client(world.other_instructor)
    listing = client.get(reverse("admin:community_announcement_changelist"))
    assert listing.status_code == 200 and "Ours" not in listing.content.decode()
    change = reverse("admin:community_announcement_change", args=[Announcement.objects.get().pk])
    assert client.get(change).status_code == 404


def test_deletes_outside_the_orm_follow_the_models(world):
    from django.db import connection

    announcement = announcement_post(
        offering=world.offering, author=world.instructor, title="Bye", body="."
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM users WHERE id = %s", [world.instructor.pk])
    announcement.refresh_from_db()
    assert announcement.author_id is None
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM course_offerings WHERE id = %s", [world.offering.pk])
    assert not Announcement.objects.exists()
