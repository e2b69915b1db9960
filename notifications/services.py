"""Writes of the notification centre: telling people of an event, marking what they read, and
their preferences. `notify()` and `notify_many()` are called by the services where the events
happen, inside their transactions: the rows appear, and the emails are asked for (the task
outbox), only if that transaction commits.

One row per recipient and event (unique on user and `event_key`, inserted with ON CONFLICT DO
NOTHING): notifying the same event again changes nothing and mails nobody again.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms import links, outbox
from lms.mail import localized_mail_send, recipient_language
from notifications.kinds import KINDS, MAILED, SHOWN, kind_named
from notifications.models import Notification, NotificationPreference
from notifications.selectors import unread_cache_key
from tenancy.models import User

EMAIL_TASK = "notifications.tasks.notification_email_task"

# The recipients' channels (their preference, else the kind's default), the active ones only,
# inserted in one statement; a recipient who chose "none" gets no row.
_INSERT_SQL = """
WITH recipients AS (
    SELECT u.id AS user_id, coalesce(p.channel, %s) AS channel
    FROM users u
    LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.kind = %s
    WHERE u.is_active AND u.id IN ({recipients})
)
INSERT INTO notifications
    (user_id, kind, event_key, channel, title, summary, link, created_at)
SELECT r.user_id, %s, %s,
       CASE WHEN r.channel IN ('email', 'both') AND NOT %s THEN 'in_app' ELSE r.channel END,
       %s, %s, %s, statement_timestamp()
FROM recipients r
WHERE r.channel <> 'none'
ON CONFLICT (user_id, event_key) DO NOTHING
RETURNING id, user_id, channel
"""


def _unread_changed(user_ids: Iterable[int]) -> None:
    """Once the write commits, the next page of each person counts their unread again."""
    keys = [unread_cache_key(user_id) for user_id in user_ids]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def _insert(
    *,
    recipients_sql: str,
    recipients_params: Iterable[Any],
    kind: str,
    event_key: str,
    title: str,
    summary: str,
    link: str,
) -> int:
    spec = kind_named(kind)
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_SQL.format(recipients=recipients_sql),
            [
                spec.default,
                kind,
                *recipients_params,
                kind,
                event_key,
                spec.email,
                title[:255],
                summary,
                link,
            ],
        )
        rows = cursor.fetchall()
    _unread_changed(user_id for _id, user_id, channel in rows if channel in SHOWN)
    mailed = [notification_id for notification_id, _user, channel in rows if channel in MAILED]
    if mailed:
        outbox.enqueue_many(EMAIL_TASK, [((pk,), {}, f"notification-email:{pk}") for pk in mailed])
    return len(rows)


def notify(
    *,
    recipient: User,
    kind: str,
    event_key: str,
    title: Callable[[], str],
    link: str = "",
    summary: Callable[[], str] = lambda: "",
) -> bool:
    """Tell `recipient` of one event; `title()` and `summary()` are written in their language.
    Returns whether a notification was written (False: told already, inactive, or "none")."""
    with translation.override(recipient_language(recipient)):
        title_text, summary_text = str(title()), str(summary())
    return bool(
        _insert(
            recipients_sql="%s",
            recipients_params=[recipient.pk],
            kind=kind,
            event_key=event_key,
            title=title_text,
            summary=summary_text,
            link=link,
        )
    )


def notify_many(
    *,
    recipients: QuerySet[Any],
    kind: str,
    event_key: str,
    title: str,
    link: str = "",
    summary: str = "",
) -> int:
    """Tell everyone `recipients` selects (a query of user ids) of one event in one statement,
    however many they are; the text is the same for all (an announcement's own words).
    Returns how many notifications were written."""
    sql, params = recipients.query.sql_with_params()
    return _insert(
        recipients_sql=sql,
        recipients_params=params,
        kind=kind,
        event_key=event_key,
        title=title,
        summary=summary,
        link=link,
    )


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> None:
    if (
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        and notification.channel in SHOWN
    ):
        _unread_changed([notification.user_id])


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        _unread_changed([user.pk])
    return marked


@transaction.atomic
def preferences_set(*, user: User, choices: dict[str, str]) -> None:
    """Record `user`'s channel for each kind in `choices`; an unknown kind or a channel the kind
    does not offer changes nothing and says which."""
    errors = {}
    for name, channel in choices.items():
        kind = KINDS.get(name)
        if kind is None or channel not in kind.channels():
            errors[name] = _("Choose one of the options.")
    if errors:
        raise ValidationError(errors)
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind=k, channel=c) for k, c in choices.items()],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["channel", "updated_at"],
    )


def notification_email_send(*, notification_id: int) -> bool:
    """Mail one notification to its recipient in their language, at most once: the row is
    locked and marked in the transaction that sends, so a duplicate or concurrent run finds it
    mailed and a failed send rolls the mark back for the retry. Returns whether it was sent."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id, emailed_at__isnull=True, channel__in=MAILED)
            .first()
        )
        if notification is None or not notification.user.is_active:
            return False
        user = notification.user
        localized_mail_send(
            to=user.email,
            language=recipient_language(user),
            subject=lambda: notification.title,
            template="notifications/email/notification.txt",
            context={
                "notification": notification,
                "user": user,
                "url": links.absolute_url(notification.link) if notification.link else "",
                "preferences_url": links.page_url("notification-preferences"),
            },
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
