"""Reply emails and daily digests: who gets what, once, whatever the number of deliveries."""

from datetime import date
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from community.discussions import notifications, services
from community.models import (
    DeliveryChannel,
    DiscussionDigest,
    NotificationDelivery,
    NotificationMode,
    ThreadFollower,
)
from community.tasks import discussion_digest_task, reply_notification_task
from community.tests.conftest import access_for, reply, start_thread
from lms.models import OutboxTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(world):
    """Ada starts a thread; Blaise replies; Carl follows it without posting."""
    thread = start_thread(world.student, world.offering, title="Moments", body="Sign?")
    reply(world.classmate, thread, body="Counter-clockwise is positive.")
    ThreadFollower.objects.create(thread=thread, user=world.graduate)
    return thread


def deliver(post_id: int) -> int:
    """One delivery of the task, as a worker would run it."""
    return reply_notification_task.apply(args=(post_id,)).get()


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_followers_are_told_once_even_when_the_task_runs_twice(world, conversation):
    post = reply(world.instructor, conversation, body="Both work if you are consistent.")
    mail.outbox.clear()
    assert deliver(post.pk) == 3
    assert deliver(post.pk) == 0
    assert recipients() == sorted(
        [world.student.email, world.classmate.email, world.graduate.email]
    )
    message = next(m for m in mail.outbox if m.to == [world.student.email])
    assert message.subject == "New reply in “Moments”"
    assert "Iris Instructor replied in “Moments”:" in message.body
    assert "Both work if you are consistent." in message.body
    thread_path = f"/learn/{world.offering.pk}/discussions/{conversation.pk}/"
    assert f"{settings.SITE_URL}{thread_path}" in message.body
    assert sorted(
        NotificationDelivery.objects.filter(post=post).values_list("user_id", "channel")
    ) == sorted(
        (user.pk, DeliveryChannel.IMMEDIATE)
        for user in (world.student, world.classmate, world.graduate)
    )


def test_the_replier_is_not_told_about_their_own_reply(world, conversation):
    post = reply(world.student, conversation, body="Thanks!")
    mail.outbox.clear()
    deliver(post.pk)
    assert recipients() == sorted([world.classmate.email, world.graduate.email])


def test_a_reply_enqueues_the_task_on_commit(
    world, conversation, django_capture_on_commit_callbacks
):
    with mock.patch.object(reply_notification_task, "apply_async") as send:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            post = reply(world.instructor, conversation, body="Later")
        # Recorded with the reply, in its transaction; sent once that commits.
        assert OutboxTask.objects.filter(
            task=reply_notification_task.name, args=[post.pk], sent_at=None
        ).exists()
        send.assert_not_called()
        for callback in callbacks:
            callback()
    assert send.call_count == 1
    assert send.call_args.args[:2] == ([post.pk], {})


def test_committed_replies_send_their_emails(
    world, conversation, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reply(world.instructor, conversation, body="Eager")
    assert len(mail.outbox) == 3


def test_digest_readers_get_no_immediate_email_but_one_digest(world, conversation):
    notifications.notification_mode_set(user=world.student, mode=NotificationMode.DAILY_DIGEST)
    first = reply(world.instructor, conversation, body="First answer")
    second = reply(world.graduate, conversation, body="Second answer")
    mail.outbox.clear()
    deliver(first.pk)
    deliver(second.pk)
    assert world.student.email not in recipients()
    assert (
        NotificationDelivery.objects.filter(
            user=world.student, channel=DeliveryChannel.DIGEST, sent_at__isnull=True
        ).count()
        == 2
    )
    mail.outbox.clear()
    assert discussion_digest_task.apply(args=("2026-11-25",)).get() == 1
    assert discussion_digest_task.apply(args=("2026-11-25",)).get() == 0
    assert recipients() == [world.student.email]
    digest = mail.outbox[0]
    assert digest.subject == "Your discussion digest: 2 new replies"
    assert digest.body.index("First answer") < digest.body.index("Second answer")
    assert list(DiscussionDigest.objects.values_list("user", "day", "post_count")) == [
        (world.student.pk, date(2026, 11, 25), 2)
    ]
    assert not NotificationDelivery.objects.filter(sent_at__isnull=True).exists()


def test_one_digest_per_user_and_day(world, conversation):
    notifications.notification_mode_set(user=world.student, mode=NotificationMode.DAILY_DIGEST)
    deliver(reply(world.instructor, conversation, body="Morning").pk)
    notifications.discussion_digests_send(day=date(2026, 11, 25))
    deliver(reply(world.instructor, conversation, body="Evening").pk)
    mail.outbox.clear()
    assert notifications.discussion_digests_send(day=date(2026, 11, 25)) == 0
    assert mail.outbox == []
    assert notifications.discussion_digests_send(day=date(2026, 11, 26)) == 1
    assert "Evening" in mail.outbox[0].body
    assert "Morning" not in mail.outbox[0].body


def test_no_emails_for_those_who_turned_them_off(world, conversation):
    notifications.notification_mode_set(user=world.student, mode=NotificationMode.OFF)
    post = reply(world.instructor, conversation)
    mail.outbox.clear()
    deliver(post.pk)
    assert world.student.email not in recipients()
    assert not NotificationDelivery.objects.filter(user=world.student).exists()


def test_followers_who_left_the_course_are_not_told(world, conversation):
    ThreadFollower.objects.create(thread=conversation, user=world.dropped)
    post = reply(world.instructor, conversation)
    mail.outbox.clear()
    deliver(post.pk)
    assert world.dropped.email not in recipients()
    assert len(mail.outbox) == 3


def test_unfollowing_stops_the_emails(world, conversation):
    services.thread_follow(
        access=access_for(world.student, world.offering), thread=conversation, follow=False
    )
    post = reply(world.instructor, conversation)
    mail.outbox.clear()
    deliver(post.pk)
    assert world.student.email not in recipients()


def test_a_removed_reply_is_not_announced(world, conversation):
    post = reply(world.instructor, conversation, body="Oops")
    services.post_delete(access=access_for(world.instructor, world.offering), post=post)
    mail.outbox.clear()
    assert deliver(post.pk) == 0
    assert deliver(987654) == 0
    assert mail.outbox == []


def test_a_failed_send_is_retried_for_that_recipient_only(world, conversation):
    post = reply(world.instructor, conversation, body="Flaky mail server")
    mail.outbox.clear()
    real_send = EmailMultiAlternatives.send
    calls = {"n": 0}

    def flaky(message, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionRefusedError("mail server down")
        return real_send(message, *args, **kwargs)

    with (
        mock.patch.object(EmailMultiAlternatives, "send", flaky),
        pytest.raises(ConnectionRefusedError),
    ):
        notifications.reply_notifications_send(post_id=post.pk)
    assert len(mail.outbox) == 1
    assert NotificationDelivery.objects.filter(post=post).count() == 1
    assert notifications.reply_notifications_send(post_id=post.pk) == 2
    assert recipients() == sorted(
        [world.student.email, world.classmate.email, world.graduate.email]
    )


def test_tasks_are_late_acked_with_bounded_retries():
    for task in (reply_notification_task, discussion_digest_task):
        assert task.acks_late is True
        assert task.max_retries == 5
        assert task.autoretry_for == (OSError,)
        assert task.time_limit is not None
    schedule = settings.CELERY_BEAT_SCHEDULE["discussion-digest"]
    assert schedule["task"] == discussion_digest_task.name
