"""Writes of discussions: threads, posts, edits and deletions, moderation (locking, pinning,
answers, reports) and following.

Callers resolve what a user may touch through community.discussions.selectors first
(`discussion_access`, `post_for_reader` ...); these functions check what the user may do with
it, raise PermissionDenied when they may not, and change rows inside one transaction.

A user's posts are counted under a lock on their user row, so the flood limit holds when many
requests arrive at once; a thread's row is locked while a post is added, so a post cannot slip
in after the thread was locked.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from community.discussions.notifications import reply_in_app_notify
from community.discussions.selectors import DiscussionAccess, ModuleChoice, may_edit
from community.models import (
    DiscussionPost,
    DiscussionThread,
    PostReport,
    ThreadFollower,
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

    `module` and `item` come from community.discussions.selectors (`offering_modules`,
    `attachable_item`), which only offer what the user may see in the offering's course. A
    thread about an item is also filed under the item's module, so the forum's module filter
    finds it.
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
    reply_in_app_notify(post=post, thread=locked, parent=parent)
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
