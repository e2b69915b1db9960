"""Mail about discussions: a reply to a thread a reader follows, at once or in a daily or weekly
digest, each sent at most once (a delivery row per reader and post or digest period).

In the app, a reply is also a notification for the people it answers (the author of the post
replied to, and the thread's starter), written in the reply's transaction. Its email is this
module's mail, as each reader chose here, so the notification kind offers no email of its own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from community.discussions.selectors import readers_among
from community.models import (
    DeliveryChannel,
    DiscussionDigest,
    DiscussionNotificationSetting,
    DiscussionPost,
    DiscussionThread,
    NotificationDelivery,
    NotificationMode,
    ThreadFollower,
)
from lms import links
from lms.mail import localized_mail_send, recipient_language
from notifications.services import notify
from tenancy.models import User


def notification_mode_set(*, user: User, mode: str) -> DiscussionNotificationSetting:
    if mode not in NotificationMode.values:
        raise ValidationError({"mode": _("Choose one of the options.")})
    setting, _created = DiscussionNotificationSetting.objects.update_or_create(
        user=user, defaults={"mode": mode}
    )
    return setting


def thread_url(thread: DiscussionThread) -> str:
    return links.page_url(
        "discussion-thread", offering_id=thread.course_offering_id, thread_id=thread.pk
    )


def _settings_url() -> str:
    return links.page_url("discussion-notification-settings")


def _send(user: User, subject: Callable[[], str], template: str, context: dict) -> None:
    """Email `user` in their language; `subject` is called once that language is active."""
    localized_mail_send(
        to=user.email,
        language=recipient_language(user),
        subject=subject,
        template=template,
        context={**context, "settings_url": _settings_url()},
    )


def _reply_subject(thread: DiscussionThread) -> str:
    return _("New reply in “%(title)s”") % {"title": thread.title or _("a discussion")}


def _answered_title(post: DiscussionPost, thread: DiscussionThread) -> str:
    return _("%(author)s replied in “%(title)s”") % {
        "author": post.user.full_name,
        "title": thread.title or _("a discussion"),
    }


def reply_in_app_notify(
    *, post: DiscussionPost, thread: DiscussionThread, parent: DiscussionPost | None
) -> int:
    """Inside the reply's transaction: tell the author of the post it answers and the thread's
    starter (not the replier, and only while they may read the course). Returns how many."""
    answered = {thread.created_by_user_id}
    if parent is not None:
        answered.add(parent.user_id)
    answered.discard(post.user_id)
    readers = readers_among(offering=thread.course_offering, user_ids=answered)
    path = links.page_path(
        "discussion-thread", offering_id=thread.course_offering_id, thread_id=thread.pk
    )
    told = 0
    for user in User.objects.filter(pk__in=readers).order_by("pk"):
        told += notify(
            recipient=user,
            kind="discussion_reply",
            event_key=f"discussion-reply:{post.pk}",
            title=partial(_answered_title, post, thread),
            summary=lambda: post.body[:300],
            link=f"{path}#post-{post.pk}",
        )
    return told


def reply_notifications_send(*, post_id: int) -> int:
    """Tell the thread's followers (the author of the reply aside) about a new reply: an email
    now, or a row the next daily digest picks up, as each follower chose.

    Each recipient is handled in its own transaction that first records the delivery (unique on
    post and user) and then sends: a second run, or a concurrent one, finds the row and sends
    nothing; a failed send rolls the row back so a retry sends it. Returns the emails sent.
    """
    post = (
        DiscussionPost.objects.select_related("thread__course_offering__course", "user")
        .filter(pk=post_id)
        .first()
    )
    if post is None or post.is_deleted:
        return 0
    thread = post.thread
    follower_ids = set(
        ThreadFollower.objects.filter(thread=thread)
        .exclude(user_id=post.user_id)
        .values_list("user_id", flat=True)
    )
    reader_ids = readers_among(offering=thread.course_offering, user_ids=follower_ids)
    modes = dict(
        DiscussionNotificationSetting.objects.filter(user_id__in=reader_ids).values_list(
            "user_id", "mode"
        )
    )
    sent = 0
    for user in User.objects.filter(pk__in=reader_ids, is_active=True).order_by("pk"):
        mode = modes.get(user.pk, NotificationMode.IMMEDIATE)
        if mode == NotificationMode.OFF:
            continue
        immediate = mode == NotificationMode.IMMEDIATE
        with transaction.atomic():
            delivery, created = NotificationDelivery.objects.get_or_create(
                post=post,
                user=user,
                defaults={
                    "channel": DeliveryChannel.IMMEDIATE if immediate else DeliveryChannel.DIGEST
                },
            )
            if not created or not immediate:
                continue
            _send(
                user,
                partial(_reply_subject, thread),
                "community/email/reply.txt",
                {"post": post, "thread": thread, "url": thread_url(thread), "user": user},
            )
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["sent_at"])
            sent += 1
    return sent


@dataclass(frozen=True)
class DigestThread:
    thread: DiscussionThread
    url: str
    posts: list[DiscussionPost]


def digest_send(*, user_id: int, day: date) -> bool:
    """Send `user_id` one email listing the replies waiting for their digest; at most one per
    day (the digest row is unique on user and day). Returns whether an email went out."""
    with transaction.atomic():
        pending = list(
            NotificationDelivery.objects.select_for_update(of=("self",))
            .filter(user_id=user_id, channel=DeliveryChannel.DIGEST, sent_at__isnull=True)
            .select_related("post__thread__course_offering", "post__user")
            .order_by("post__thread_id", "post__created_at", "post_id")
        )
        if not pending:
            return False
        user = User.objects.get(pk=user_id)
        mode = (
            DiscussionNotificationSetting.objects.filter(user_id=user_id)
            .values_list("mode", flat=True)
            .first()
        )
        readable: dict[int, bool] = {}
        keep = []
        for delivery in pending:
            offering = delivery.post.thread.course_offering
            if offering.pk not in readable:
                readable[offering.pk] = bool(readers_among(offering=offering, user_ids={user_id}))
            if readable[offering.pk] and not delivery.post.is_deleted:
                keep.append(delivery)
        if not user.is_active or mode == NotificationMode.OFF:
            keep = []
        kept_ids = {d.pk for d in keep}
        NotificationDelivery.objects.filter(
            pk__in=[d.pk for d in pending if d.pk not in kept_ids]
        ).delete()
        if not keep:
            return False
        digest, created = DiscussionDigest.objects.get_or_create(
            user_id=user_id, day=day, defaults={"post_count": len(keep)}
        )
        if not created:
            return False
        threads: dict[int, DigestThread] = {}
        for delivery in keep:
            thread = delivery.post.thread
            if thread.pk not in threads:
                threads[thread.pk] = DigestThread(thread, thread_url(thread), [])
            threads[thread.pk].posts.append(delivery.post)
        _send(
            user,
            lambda: (
                ngettext(
                    "Your discussion digest: %(count)d new reply",
                    "Your discussion digest: %(count)d new replies",
                    len(keep),
                )
                % {"count": len(keep)}
            ),
            "community/email/digest.txt",
            {"threads": list(threads.values()), "user": user, "day": day},
        )
        NotificationDelivery.objects.filter(pk__in=kept_ids).update(
            sent_at=timezone.now(), digest=digest
        )
        return True


def discussion_digests_send(*, day: date) -> int:
    """The daily digests of everyone with replies waiting; returns how many were sent."""
    user_ids = list(
        NotificationDelivery.objects.filter(channel=DeliveryChannel.DIGEST, sent_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    return sum(digest_send(user_id=user_id, day=day) for user_id in user_ids)
