"""notify(): one row per recipient and event, the recipient's channel, the email task, marking
read, the cached unread count and preferences."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from lms.models import OutboxTask
from notifications import selectors, services
from notifications.kinds import KINDS, Channel
from notifications.models import Notification, NotificationPreference
from notifications.tasks import notification_email_task
from tenancy.models import User
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAIL_TASK = "notifications.tasks.notification_email_task"


def _notify(user, key="enrollment-approved:1", kind="enrollment_approved"):
    return services.notify(
        recipient=user,
        kind=kind,
        event_key=key,
        title=lambda: "Your request is approved",
        summary=lambda: "Linear Algebra, autumn",
        link="/my/",
    )


def _emails_asked():
    return list(OutboxTask.objects.filter(task=EMAIL_TASK).values_list("args", flat=True))


def test_notify_writes_one_row_and_asks_for_one_email():
    user = UserFactory()
    assert _notify(user) is True
    row = Notification.objects.get()
    assert (
        row.user_id,
        row.kind,
        row.event_key,
        row.channel,
        row.title,
        row.summary,
        row.link,
    ) == (
        user.pk,
        "enrollment_approved",
        "enrollment-approved:1",
        Channel.BOTH,
        "Your request is approved",
        "Linear Algebra, autumn",
        "/my/",
    )
    assert row.read_at is None and row.emailed_at is None
    assert _emails_asked() == [[row.pk]]


def test_the_same_event_twice_is_one_row_and_one_email():
    user = UserFactory()
    assert _notify(user) is True
    assert _notify(user) is False
    assert Notification.objects.count() == 1
    assert len(_emails_asked()) == 1


def test_preferences_choose_the_channel():
    in_app, mailed, silent = UserFactory(), UserFactory(), UserFactory()
    services.preferences_set(user=in_app, choices={"enrollment_approved": "in_app"})
    services.preferences_set(user=mailed, choices={"enrollment_approved": "email"})
    services.preferences_set(user=silent, choices={"enrollment_approved": "none"})
    for user in (in_app, mailed, silent):
        _notify(user)
    channels = dict(Notification.objects.values_list("user_id", "channel"))
    assert channels == {in_app.pk: "in_app", mailed.pk: "email"}
    assert _emails_asked() == [[Notification.objects.get(user=mailed).pk]]
    assert selectors.unread_count(user_id=mailed.pk) == 0
    assert selectors.unread_count(user_id=in_app.pk) == 1


def test_a_kind_without_email_is_never_mailed():
    user = UserFactory()
    services.preferences_set(user=user, choices={"discussion_reply": "in_app"})
    services.notify(
        recipient=user, kind="discussion_reply", event_key="reply:1", title=lambda: "A reply"
    )
    assert Notification.objects.get().channel == "in_app"
    assert _emails_asked() == []


def test_inactive_people_are_not_notified():
    user = UserFactory(is_active=False)
    assert _notify(user) is False
    assert not Notification.objects.exists()


def test_notify_many_is_one_statement_for_many(django_assert_num_queries):
    users = UserFactory.create_batch(4)
    services.preferences_set(user=users[0], choices={"announcement": "in_app"})
    recipients = User.objects.filter(pk__in=[u.pk for u in users]).values("pk")
    with django_assert_num_queries(2):  # the insert, and the outbox rows of the emails
        written = services.notify_many(
            recipients=recipients,
            kind="announcement",
            event_key="announcement:9",
            title="Room change",
            summary="We meet in B12.",
        )
    assert written == 4
    assert (
        services.notify_many(
            recipients=recipients, kind="announcement", event_key="announcement:9", title="Again"
        )
        == 0
    )
    assert sorted(Notification.objects.values_list("user_id", flat=True)) == sorted(
        u.pk for u in users
    )
    assert len(_emails_asked()) == 3


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(LookupError):
        _notify(UserFactory(), kind="no_such_kind")


def test_the_title_is_written_in_the_recipients_language():
    services.notify(
        recipient=UserFactory(locale="de"),
        kind="enrollment_approved",
        event_key="k",
        title=translation.get_language,
    )
    assert Notification.objects.get().title == "de"


def test_the_email_task_sends_once_in_the_recipients_language(monkeypatch):
    user = UserFactory(locale="fr")
    _notify(user)
    row = Notification.objects.get()
    languages = []
    send = services.localized_mail_send

    def recording(**kwargs):
        languages.append(kwargs["language"])
        send(**kwargs)

    monkeypatch.setattr(services, "localized_mail_send", recording)
    assert notification_email_task(row.pk) is True
    assert notification_email_task(row.pk) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Your request is approved"
    assert "Linear Algebra, autumn" in message.body
    assert f"{settings.SITE_URL.rstrip('/')}/my/" in message.body
    assert "/notifications/preferences/" in message.body
    assert languages == ["fr"]
    row.refresh_from_db()
    assert row.emailed_at is not None


def test_the_email_task_sends_nothing_for_an_in_app_notification():
    user = UserFactory()
    services.preferences_set(user=user, choices={"enrollment_approved": "in_app"})
    _notify(user)
    assert notification_email_task(Notification.objects.get().pk) is False
    assert mail.outbox == []


def test_a_failed_send_leaves_the_notification_to_mail_on_retry(monkeypatch):
    user = UserFactory()
    _notify(user)
    row = Notification.objects.get()

    def refuse(*args, **kwargs):
        raise OSError("SMTP away")

    monkeypatch.setattr(services, "localized_mail_send", refuse)
    with pytest.raises(OSError):
        notification_email_task(row.pk)
    row.refresh_from_db()
    assert row.emailed_at is None
    monkeypatch.undo()
    assert notification_email_task(row.pk) is True
    assert len(mail.outbox) == 1


def test_unread_count_is_cached_and_follows_marking_read(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user, key="a")
        _notify(user, key="b")
    with django_assert_num_queries(1):
        assert selectors.unread_count(user_id=user.pk) == 2
    with django_assert_num_queries(0):
        assert selectors.unread_count(user_id=user.pk) == 2
    first = Notification.objects.get(event_key="a")
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_mark_read(notification=first)
    assert selectors.unread_count(user_id=user.pk) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user, key="c")
    assert selectors.unread_count(user_id=user.pk) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notifications_mark_all_read(user=user) == 2
    assert selectors.unread_count(user_id=user.pk) == 0


def test_mark_all_read_leaves_other_peoples_notifications():
    user, other = UserFactory(), UserFactory()
    _notify(user)
    _notify(other)
    services.notifications_mark_all_read(user=user)
    assert Notification.objects.get(user=other).read_at is None
    assert Notification.objects.get(user=user).read_at is not None


def test_preferences_default_per_kind_and_refuse_a_channel_not_offered():
    user = UserFactory()
    assert selectors.preferences_for(user=user) == {n: k.default for n, k in KINDS.items()}
    with pytest.raises(ValidationError) as error:
        services.preferences_set(
            user=user, choices={"discussion_reply": "email", "enrollment_approved": "in_app"}
        )
    assert list(error.value.message_dict) == ["discussion_reply"]
    assert not NotificationPreference.objects.exists()
    services.preferences_set(user=user, choices={"enrollment_approved": "none"})
    services.preferences_set(user=user, choices={"enrollment_approved": "email"})
    assert selectors.preferences_for(user=user)["enrollment_approved"] == "email"
    assert NotificationPreference.objects.count() == 1


def test_deleting_a_person_outside_the_orm_deletes_their_notifications_and_preferences():
    from django.db import connection

    user = UserFactory()
    _notify(user)
    services.preferences_set(user=user, choices={"announcement": "none"})
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM users WHERE id = %s", [user.pk])
    assert not Notification.objects.exists() and not NotificationPreference.objects.exists()


def test_the_email_task_is_late_acked_retried_and_sent_to_the_mail_queue():
    from lms.celery import app

    assert notification_email_task.name == EMAIL_TASK
    assert notification_email_task.acks_late is True
    assert notification_email_task.max_retries == 5
    assert notification_email_task.autoretry_for == (OSError,)
    assert notification_email_task.time_limit is not None
    route = app.amqp.router.route({}, EMAIL_TASK)
    assert route["queue"].name == "email"


@pytest.mark.django_db(transaction=True)
def test_the_same_event_notified_at_once_by_many_writers_is_one_row_and_one_email(
    tasks_in_process,
):
    """Six transactions notify one event at once and commit; the mail tasks they ask for run
    in-process as they commit."""
    import threading

    from django.db import connection, transaction

    user = UserFactory()
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait()
            with transaction.atomic():
                _notify(user)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at is not None
