"""A reply is a notification in the app for the people it answers, once, while the reply mail
and digests go on as each reader chose."""

import pytest
from django.urls import reverse

from community.models import DiscussionPost, ThreadFollower
from community.tests.conftest import reply, start_thread
from lms.models import OutboxTask
from notifications.models import Notification
from notifications.services import preferences_set

pytestmark = pytest.mark.django_db


def _told():
    return sorted(Notification.objects.values_list("user__full_name", "kind", "title"))


def test_a_reply_tells_the_thread_starter_in_the_app(world):
    thread = start_thread(world.student, world.offering, title="Moments", body="Sign?")
    assert _told() == []  # starting a thread tells nobody
    post = reply(world.classmate, thread, body="Counter-clockwise is positive.")
    assert _told() == [("Ada Lovelace", "discussion_reply", "Blaise Pascal replied in “Moments”")]
    told = Notification.objects.get()
    thread_path = reverse(
        "portal:thread", kwargs={"offering_id": world.offering.pk, "thread_id": thread.pk}
    )
    assert (told.channel, told.summary, told.link) == (
        "in_app",
        "Counter-clockwise is positive.",
        f"{thread_path}#post-{post.pk}",
    )
    # no notification email: the reply mail of community/tasks.py stays the one mail
    assert not OutboxTask.objects.filter(task="notifications.tasks.notification_email_task")
    assert OutboxTask.objects.filter(task="community.tasks.reply_notification_task").count() == 1


def test_a_reply_to_a_post_tells_its_author_and_the_starter_not_the_replier(world):
    thread = start_thread(world.student, world.offering, title="Moments", body="Sign?")
    first = reply(world.classmate, thread, body="Counter-clockwise.")
    ThreadFollower.objects.create(thread=thread, user=world.graduate)  # follows; not answered
    reply(world.instructor, thread, body="Both work.", parent=first)
    reply(world.student, thread, body="Thanks!", parent=first)
    assert _told() == [
        ("Ada Lovelace", "discussion_reply", "Blaise Pascal replied in “Moments”"),
        ("Ada Lovelace", "discussion_reply", "Iris Instructor replied in “Moments”"),
        ("Blaise Pascal", "discussion_reply", "Ada Lovelace replied in “Moments”"),
        ("Blaise Pascal", "discussion_reply", "Iris Instructor replied in “Moments”"),
    ]


def test_people_who_left_the_course_or_chose_none_are_not_told(world):
    thread = start_thread(world.student, world.offering, title="Moments", body="Sign?")
    preferences_set(user=world.student, choices={"discussion_reply": "none"})
    reply(world.classmate, thread)
    assert _told() == []
    second = start_thread(world.classmate, world.offering, title="Units", body="SI?")
    world.offering.enrollments.filter(user=world.classmate).update(status="dropped")
    reply(world.student, second)
    assert _told() == []
    assert DiscussionPost.objects.filter(thread=second).count() == 2
