"""Writes for discussions and reviews.

Callers resolve what a user may touch through community.selectors first (`discussion_access`,
`post_for_reader`, `reviews_access` ...); these functions check what the user may do with it,
raise PermissionDenied when they may not, and change rows inside one transaction.

A user's posts are counted under a lock on their user row, so the flood limit holds when many
requests arrive at once; a thread's row is locked while a post is added, so a post cannot slip
in after the thread was locked.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import CourseEnrollment
from community.models import (
    CourseReview,
    DeliveryChannel,
    DiscussionDigest,
    DiscussionNotificationSetting,
    DiscussionPost,
    DiscussionThread,
    NotificationDelivery,
    NotificationMode,
    PostReport,
    ReviewReply,
    ThreadFollower,
)
from community.selectors import (
    DiscussionAccess,
    ModuleChoice,
    ReviewsAccess,
    may_edit,
    readers_among,
)
from content.models import ContentItem
from lms import outbox
from tenancy.models import User


class PostingThrottled(Exception):
    """The user has posted too often in the last minute; nothing was written."""


def _throttle(user: User) -> None:
    """Refuse a post when the user wrote COMMUNITY_POSTS_PER_MINUTE in the last minute."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").get()
    recent = DiscussionPost.objects.filter(
        user_id=user.pk, created_at__gt=timezone.now() - timedelta(minutes=1)
    ).count()
    if recent >= settings.COMMUNITY_POSTS_PER_MINUTE:
        raise PostingThrottled(
            _("You are posting too fast. Wait a minute, then try again; your text was kept.")
        )


def _follow(thread_id: int, user_id: int) -> None:
    ThreadFollower.objects.bulk_create(
        [ThreadFollower(thread_id=thread_id, user_id=user_id)], ignore_conflicts=True
    )


def _require_staff(access: DiscussionAccess) -> None:
    if not access.is_staff:
        raise PermissionDenied(_("Only the course staff may do this."))


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > settings.COMMUNITY_POST_MAX_LENGTH:
        raise ValidationError({"body": _("This post is too long.")})
    return body


# Threads and posts -------------------------------------------------------------------------


@transaction.atomic
def thread_create(
    *,
    access: DiscussionAccess,
    title: str,
    body: str,
    module: ModuleChoice | None = None,
    item: ContentItem | None = None,
) -> DiscussionThread:
    """Start a thread with its opening post; the author follows it.

    `module` and `item` come from community.selectors (`offering_modules`, `attachable_item`),
    which only offer what the user may see in the offering's course. A thread about an item is
    also filed under the item's module, so the forum's module filter finds it.
    """
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Give the thread a title.")})
    body = _clean_body(body)
    _throttle(access.user)
    module_id = item.module_id if item is not None else (module.id if module else None)
    thread = DiscussionThread.objects.create(
        course_offering=access.offering,
        module_id=module_id,
        content_item=item,
        created_by_user=access.user,
        title=title[:255],
    )
    DiscussionPost.objects.create(thread=thread, user=access.user, body=body)
    _follow(thread.pk, access.user.pk)
    return thread


@transaction.atomic
def post_create(
    *,
    access: DiscussionAccess,
    thread: DiscussionThread,
    body: str,
    parent: DiscussionPost | None = None,
) -> DiscussionPost:
    """Reply in `thread`, to `parent` or else to the thread's opening post; the author follows
    the thread and its followers are notified once the reply is committed."""
    body = _clean_body(body)
    _throttle(access.user)
    locked = DiscussionThread.objects.select_for_update().filter(pk=thread.pk).get()
    if locked.course_offering_id != access.offering.pk:
        raise PermissionDenied
    if locked.is_locked:
        raise PermissionDenied(_("This thread is locked: it takes no new posts."))
    if parent is not None:
        if parent.thread_id != locked.pk:
            raise PermissionDenied
        if parent.is_deleted:
            raise ValidationError(_("That post was removed; reply to the thread instead."))
    else:
        parent = (
            DiscussionPost.objects.filter(thread=locked, parent_post__isnull=True)
            .order_by("pk")
            .first()
        )
    post = DiscussionPost.objects.create(
        thread=locked, parent_post=parent, user=access.user, body=body
    )
    DiscussionThread.objects.filter(pk=locked.pk).update(last_activity_at=post.created_at)
    _follow(locked.pk, access.user.pk)
    _enqueue_reply_notification(post.pk)
    return post


def _enqueue_reply_notification(post_id: int) -> None:
    """In the reply's transaction: the followers hear of it once it commits (the task outbox)."""
    outbox.enqueue(
        "community.tasks.reply_notification_task", post_id, key=f"reply-notification:{post_id}"
    )


def _lock_post(post: DiscussionPost) -> DiscussionPost:
    return DiscussionPost.objects.select_for_update().select_related("thread").get(pk=post.pk)


@transaction.atomic
def post_edit(*, access: DiscussionAccess, post: DiscussionPost, body: str) -> DiscussionPost:
    """Change a post's text; only its author, within the edit window, in an open thread."""
    body = _clean_body(body)
    post = _lock_post(post)
    if not may_edit(user=access.user, post=post, thread=post.thread):
        raise PermissionDenied(_("This post can no longer be edited."))
    if post.body != body:
        post.body = body
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "edited_at", "updated_at"])
    return post


@transaction.atomic
def post_delete(*, access: DiscussionAccess, post: DiscussionPost) -> DiscussionPost:
    """Remove a post from view, keeping the row so its replies stay in place. Its author and the
    staff may; a removed post stops being the thread's answer."""
    post = _lock_post(post)
    if post.user_id != access.user.pk and not access.is_staff:
        raise PermissionDenied(_("You may only delete your own posts."))
    if post.is_deleted:
        return post
    post.is_deleted = True
    post.deleted_at = timezone.now()
    post.deleted_by_user = access.user
    post.save(update_fields=["is_deleted", "deleted_at", "deleted_by_user", "updated_at"])
    DiscussionThread.objects.filter(pk=post.thread_id, answer_post_id=post.pk).update(
        answer_post=None
    )
    return post


@transaction.atomic
def thread_set_locked(
    *, access: DiscussionAccess, thread: DiscussionThread, locked: bool
) -> DiscussionThread:
    _require_staff(access)
    DiscussionThread.objects.filter(pk=thread.pk).update(is_locked=locked)
    thread.is_locked = locked
    return thread


@transaction.atomic
def thread_set_pinned(
    *, access: DiscussionAccess, thread: DiscussionThread, pinned: bool
) -> DiscussionThread:
    _require_staff(access)
    DiscussionThread.objects.filter(pk=thread.pk).update(is_pinned=pinned)
    thread.is_pinned = pinned
    return thread


@transaction.atomic
def thread_mark_answer(
    *, access: DiscussionAccess, post: DiscussionPost, is_answer: bool
) -> DiscussionThread:
    """Mark a reply as the thread's answer (replacing any other), or take the mark away."""
    _require_staff(access)
    thread = DiscussionThread.objects.select_for_update().get(pk=post.thread_id)
    if is_answer:
        post = DiscussionPost.objects.get(pk=post.pk)
        if post.is_deleted or post.parent_post_id is None:
            raise ValidationError(_("Only a reply that is still there can be the answer."))
        thread.answer_post = post
    elif thread.answer_post_id == post.pk:
        thread.answer_post = None
    thread.save(update_fields=["answer_post"])
    return thread


def thread_follow(*, access: DiscussionAccess, thread: DiscussionThread, follow: bool) -> None:
    if follow:
        _follow(thread.pk, access.user.pk)
    else:
        ThreadFollower.objects.filter(thread=thread, user_id=access.user.pk).delete()


def post_report(
    *, access: DiscussionAccess, post: DiscussionPost, reason: str, details: str = ""
) -> PostReport:
    """Report a post to the moderators; each reader reports a post at most once."""
    if post.user_id == access.user.pk:
        raise ValidationError(_("You cannot report your own post."))
    if post.is_deleted:
        raise ValidationError(_("This post was already removed."))
    try:
        with transaction.atomic():
            return PostReport.objects.create(
                post=post, reporter=access.user, reason=reason, details=details.strip()
            )
    except IntegrityError:
        raise ValidationError(_("You have already reported this post.")) from None


def reports_resolve(*, user: User, reports: QuerySet[PostReport]) -> int:
    """Close open reports; `reports` comes from `moderated_reports`, so only the user's own
    offerings are touched. Returns how many were closed."""
    return reports.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by_user=user
    )


def notification_mode_set(*, user: User, mode: str) -> DiscussionNotificationSetting:
    if mode not in NotificationMode.values:
        raise ValidationError({"mode": _("Choose one of the options.")})
    setting, _created = DiscussionNotificationSetting.objects.update_or_create(
        user=user, defaults={"mode": mode}
    )
    return setting


# Notifications -----------------------------------------------------------------------------


def thread_url(thread: DiscussionThread) -> str:
    path = reverse(
        "portal:thread",
        kwargs={"offering_id": thread.course_offering_id, "thread_id": thread.pk},
    )
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _settings_url() -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('portal:discussion-notifications')}"


def _send(user: User, subject: Callable[[], str], template: str, context: dict) -> None:
    """Email `user` in their language; `subject` is called once that language is active."""
    with translation.override(user.locale or settings.LANGUAGE_CODE):
        body = render_to_string(template, {**context, "settings_url": _settings_url()})
        # Titles written outside the forms may hold line breaks, which a header cannot.
        subject_line = " ".join(subject().split())
    EmailMultiAlternatives(subject=subject_line, body=body, to=[user.email]).send()


def _reply_subject(thread: DiscussionThread) -> str:
    return _("New reply in “%(title)s”") % {"title": thread.title or _("a discussion")}


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


# Reviews -----------------------------------------------------------------------------------


def review_save(
    *,
    access: ReviewsAccess,
    enrollment: CourseEnrollment,
    rating: int,
    text: str,
    display_name: str,
) -> CourseReview:
    """Write or rewrite the user's review of the offering of `enrollment`, which must be one of
    `access.eligible`. A hidden review stays hidden when edited."""
    user = access.user
    if not user.is_authenticated or enrollment not in access.eligible:
        raise PermissionDenied(_("Only students of this course may review it."))
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Give from 1 to 5 stars.")})
    review, _created = CourseReview.objects.update_or_create(
        user_id=user.pk,
        course_offering_id=enrollment.course_offering_id,
        defaults={
            "rating": rating,
            "review_text": text.strip() or None,
            "display_name": display_name,
        },
    )
    return review


def _require_review_staff(access: ReviewsAccess, review: CourseReview) -> User:
    """The staff member acting on `review`; anyone else is refused."""
    user = access.user
    if not user.is_authenticated or review.course_offering_id not in access.staff_offering_ids:
        raise PermissionDenied(_("Only the staff of this offering may do this."))
    return user


def review_reply_create(*, access: ReviewsAccess, review: CourseReview, body: str) -> ReviewReply:
    """The staff's one reply to a review."""
    staff = _require_review_staff(access, review)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a reply first.")})
    try:
        with transaction.atomic():
            return ReviewReply.objects.create(review=review, user=staff, body=body)
    except IntegrityError:
        raise ValidationError(_("This review already has a reply.")) from None


@transaction.atomic
def review_set_hidden(
    *, access: ReviewsAccess, review: CourseReview, hidden: bool, reason: str = ""
) -> CourseReview:
    """Hide an abusive review from lists and ratings (its author still sees it), or show it
    again."""
    staff = _require_review_staff(access, review)
    reason = reason.strip()
    if hidden and not reason:
        raise ValidationError({"reason": _("Say why the review is hidden.")})
    review = CourseReview.objects.select_for_update().get(pk=review.pk)
    review.is_hidden = hidden
    review.hidden_reason = reason if hidden else ""
    review.hidden_at = timezone.now() if hidden else None
    review.hidden_by_user = staff if hidden else None
    review.save(
        update_fields=["is_hidden", "hidden_reason", "hidden_at", "hidden_by_user", "updated_at"]
    )
    return review
