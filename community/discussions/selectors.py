"""Reads of an offering's discussions: who may read and moderate them, the forum, a thread as a
tree of posts, and a reader's notification settings.

Who may read an offering's discussions: students with an active or completed enrollment and the
offering's staff (its instructors and TAs, and the university, department and platform admins
over it). Everyone else gets the same 404 as for an offering that does not exist.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from catalog.models import (
    Course,
    CourseEnrollment,
    CourseOffering,
    CourseOfferingInstructor,
    EnrollmentStatus,
)
from catalog.selectors.visibility import offering_relation
from community.models import (
    DiscussionNotificationSetting,
    DiscussionPost,
    DiscussionThread,
    NotificationMode,
    PostReport,
    ThreadFollower,
)
from content.models import ContentItem
from syllabus.models import ModuleType
from syllabus.selectors import outline_rows
from tenancy.access import (
    administered_q,
    administrators_among,
    sees_everything,
)
from tenancy.models import User

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

READING_STATUSES = frozenset({EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED})


# Replies are indented up to this level; deeper ones are shown at it, saying whom they answer.
MAX_REPLY_LEVEL = 4


THREADS_PER_PAGE = 20


@dataclass(frozen=True)
class DiscussionAccess:
    offering: CourseOffering
    user: User
    is_staff: bool


def discussion_access(*, user: User | AnonymousUser, offering_id: int) -> DiscussionAccess:
    """The offering's discussions as `user` may use them, in one query (two for admins).

    Raises Http404 alike for a missing offering and for one the user may not read.
    """
    if not user.is_authenticated:
        raise Http404("No such offering.")
    relation = offering_relation(user=user, offering_id=offering_id)
    if relation is None:
        raise Http404("No such offering.")
    if not relation.is_staff and relation.enrollment_status not in READING_STATUSES:
        raise Http404("No such offering.")
    return DiscussionAccess(offering=relation.offering, user=user, is_staff=relation.is_staff)


def staff_offerings_q(user: User, *, prefix: str) -> Q:
    """A filter on rows that reach an offering through `prefix` (such as
    "post__thread__course_offering"): the offerings `user` is staff of."""
    if sees_everything(user):
        return Q()
    taught = CourseOfferingInstructor.objects.filter(user_id=user.pk).values("course_offering_id")
    return Q(**{f"{prefix}__in": taught}) | administered_q(
        user,
        university=f"{prefix}__university_id",
        department=f"{prefix}__course__department_id",
    )


def moderated_reports(*, user: User) -> QuerySet[PostReport]:
    """The post reports of the offerings `user` moderates, open ones first, newest first."""
    return (
        PostReport.objects.filter(staff_offerings_q(user, prefix="post__thread__course_offering"))
        .select_related("post__thread__course_offering__course", "post__user", "reporter")
        .order_by(F("resolved_at").desc(nulls_first=True), "-created_at")
    )


def readers_among(*, offering: CourseOffering, user_ids: set[int]) -> set[int]:
    """Those of `user_ids` who may still read the offering's discussions, in five queries."""
    if not user_ids:
        return set()
    readers = set(
        CourseEnrollment.objects.filter(
            course_offering=offering, user_id__in=user_ids, status__in=READING_STATUSES
        ).values_list("user_id", flat=True)
    )
    readers |= set(
        CourseOfferingInstructor.objects.filter(
            course_offering=offering, user_id__in=user_ids
        ).values_list("user_id", flat=True)
    )
    department_id = (
        Course.objects.filter(pk=offering.course_id).values_list("department_id", flat=True).get()
    )
    readers |= administrators_among(
        user_ids=user_ids, university_id=offering.university_id, department_id=department_id
    )
    return readers


class ForumFilter:
    ALL = "all"
    MODULE = "module"
    UNANSWERED = "unanswered"
    MINE = "mine"
    CHOICES = (ALL, MODULE, UNANSWERED, MINE)


@dataclass(frozen=True)
class ModuleChoice:
    id: int
    title: str
    depth: int
    is_root: bool = False

    @property
    def indented_title(self) -> str:
        return f"{'— ' * max(self.depth - 1, 0)}{self.title}"


@dataclass(frozen=True)
class ForumPage:
    page: Page
    filter: str
    module: ModuleChoice | None
    modules: list[ModuleChoice]

    @property
    def module_choices(self) -> list[ModuleChoice]:
        return [m for m in self.modules if not m.is_root]


def _threads_with_summary(queryset: QuerySet[DiscussionThread]) -> QuerySet[DiscussionThread]:
    return (
        queryset.select_related("created_by_user")
        .annotate(
            reply_count=Count(
                "posts", filter=Q(posts__parent_post__isnull=False, posts__is_deleted=False)
            ),
            module_title=F("module__title"),
            item_title=F("content_item__title"),
        )
        .order_by("-is_pinned", "-last_activity_at", "-pk")
    )


def offering_modules(*, access: DiscussionAccess) -> list[ModuleChoice]:
    """The modules a reader may see, in outline order, the course root included."""
    rows = outline_rows(course_id=access.offering.course_id, published_only=not access.is_staff)
    return [
        ModuleChoice(
            id=row["id"],
            title=row["title"],
            depth=row["depth"],
            is_root=row["module_type"] == ModuleType.COURSE_ROOT,
        )
        for row in rows
    ]


def _subtree_ids(modules: list[ModuleChoice], module_id: int) -> list[int]:
    """`module_id` and its descendants: the rows after it in outline order that are deeper."""
    ids: list[int] = []
    depth = None
    for module in modules:
        if depth is None:
            if module.id == module_id:
                depth = module.depth
                ids.append(module.id)
        elif module.depth > depth:
            ids.append(module.id)
        else:
            break
    return ids


def forum_page(
    *, access: DiscussionAccess, filter_name: str, module_id: int | None, page_number: str | None
) -> ForumPage:
    """One page of the offering's threads, pinned first, then by latest activity."""
    modules = offering_modules(access=access)
    threads = DiscussionThread.objects.filter(course_offering=access.offering)
    module = None
    if filter_name not in ForumFilter.CHOICES:
        filter_name = ForumFilter.ALL
    if filter_name == ForumFilter.MODULE:
        module = next((m for m in modules if m.id == module_id and not m.is_root), None)
        if module is None:
            filter_name = ForumFilter.ALL
        else:
            threads = threads.filter(module_id__in=_subtree_ids(modules, module.id))
    elif filter_name == ForumFilter.UNANSWERED:
        threads = threads.filter(answer_post__isnull=True)
    elif filter_name == ForumFilter.MINE:
        posted = DiscussionPost.objects.filter(thread=OuterRef("pk"), user_id=access.user.pk)
        threads = threads.filter(Q(created_by_user_id=access.user.pk) | Exists(posted))
    paginator = Paginator(_threads_with_summary(threads), THREADS_PER_PAGE)
    return ForumPage(
        page=paginator.get_page(page_number), filter=filter_name, module=module, modules=modules
    )


@dataclass(frozen=True)
class ItemDiscussion:
    """The threads about one content item, for the include on the item's page."""

    offering_id: int
    item_id: int
    threads: list[DiscussionThread]


def item_discussion(*, offering_id: int, item_id: int) -> ItemDiscussion:
    """Threads attached to content item `item_id` in the offering, in one query.

    The caller has already checked that the user may learn in the offering (the course player
    and the discussions admit the same people).
    """
    threads = _threads_with_summary(
        DiscussionThread.objects.filter(course_offering_id=offering_id, content_item_id=item_id)
    )
    return ItemDiscussion(offering_id=offering_id, item_id=item_id, threads=list(threads))


def attachable_item(*, access: DiscussionAccess, item_id: int) -> ContentItem:
    """A content item of the offering's course a thread may be attached to, or 404."""
    items = ContentItem.objects.non_polymorphic().filter(
        pk=item_id, course_id=access.offering.course_id
    )
    if not access.is_staff:
        items = items.filter(is_active=True)
    item = items.only("pk", "title", "module_id").first()
    if item is None or not any(m.id == item.module_id for m in offering_modules(access=access)):
        raise Http404("No such item.")
    return item


def edit_window() -> timedelta:
    return timedelta(minutes=settings.COMMUNITY_EDIT_WINDOW_MINUTES)


def may_edit(*, user: User, post: DiscussionPost, thread: DiscussionThread) -> bool:
    """Authors edit their own live posts for a while after writing them, in open threads."""
    return (
        post.user_id == user.pk
        and not post.is_deleted
        and not thread.is_locked
        and timezone.now() - post.created_at <= edit_window()
    )


@dataclass(frozen=True)
class PostNode:
    """A post as the thread page shows it, with what the reader may do with it.

    `level` is the indentation (0 for the opening post, 1 for a direct reply, at most
    MAX_REPLY_LEVEL); `in_reply_to` names the parent's author when the reply sits deeper than
    it is shown. `opens` says a nested list of replies follows; `closes` counts the nested
    lists that end after it.
    """

    post: DiscussionPost
    level: int
    in_reply_to: str | None = None
    opens: bool = False
    closes: range = field(default_factory=lambda: range(0))
    can_edit: bool = False
    can_delete: bool = False
    can_report: bool = False
    is_answer: bool = False


@dataclass(frozen=True)
class ThreadPage:
    thread: DiscussionThread
    opening: PostNode | None
    nodes: list[PostNode]
    reply_count: int


def thread_for_reader(*, access: DiscussionAccess, thread_id: int) -> DiscussionThread:
    """A thread of the offering, with what its page shows about it, in one query; else 404."""
    thread = (
        DiscussionThread.objects.filter(pk=thread_id, course_offering=access.offering)
        .select_related("created_by_user")
        .annotate(
            module_title=F("module__title"),
            item_title=F("content_item__title"),
            is_following=Exists(
                ThreadFollower.objects.filter(thread=OuterRef("pk"), user_id=access.user.pk)
            ),
        )
        .first()
    )
    if thread is None:
        raise Http404("No such thread.")
    return thread


def post_for_reader(*, access: DiscussionAccess, thread_id: int, post_id: int) -> DiscussionPost:
    """A post of a thread of the offering, with its thread, or 404."""
    post = (
        DiscussionPost.objects.select_related("thread", "user")
        .filter(pk=post_id, thread_id=thread_id, thread__course_offering=access.offering)
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    return post


def opening_post_id(posts: Sequence[DiscussionPost]) -> int | None:
    """The thread's opening post: its first post without a parent."""
    return min((p.pk for p in posts if p.parent_post_id is None), default=None)


def _tree(posts: Sequence[DiscussionPost], opening_id: int | None) -> list[tuple]:
    """Replies in reading order as (post, level, in_reply_to): depth first, oldest first."""
    by_id = {p.pk: p for p in posts}
    children: dict[int | None, list[DiscussionPost]] = defaultdict(list)
    for post in posts:
        if post.pk == opening_id:
            continue
        parent_id = post.parent_post_id
        if parent_id == opening_id or parent_id not in by_id:
            parent_id = None
        children[parent_id].append(post)
    flat: list[tuple[DiscussionPost, int, str | None]] = []
    stack = [(post, 1) for post in reversed(children[None])]
    while stack:
        post, depth = stack.pop()
        in_reply_to = None
        if depth > MAX_REPLY_LEVEL and post.parent_post_id is not None:
            in_reply_to = by_id[post.parent_post_id].user.full_name
        flat.append((post, min(depth, MAX_REPLY_LEVEL), in_reply_to))
        stack.extend((child, depth + 1) for child in reversed(children[post.pk]))
    return flat


class _PostFacts(TypedDict):
    """What thread_page annotates on each post."""

    reported_by_me: bool
    open_report_count: Any
    author_teaches: bool


def thread_page(*, access: DiscussionAccess, thread_id: int) -> ThreadPage:
    """A thread and all its posts as a tree, in two queries whatever the number of posts."""
    thread = thread_for_reader(access=access, thread_id=thread_id)
    open_reports = (
        PostReport.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True)
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    posts = list(
        DiscussionPost.objects.filter(thread=thread)
        .select_related("user")
        .annotate(
            reported_by_me=Exists(
                PostReport.objects.filter(post=OuterRef("pk"), reporter_id=access.user.pk)
            ),
            open_report_count=Coalesce(Subquery(open_reports, output_field=IntegerField()), 0),
            author_teaches=Exists(
                CourseOfferingInstructor.objects.filter(
                    course_offering_id=access.offering.pk, user_id=OuterRef("user_id")
                )
            ),
        )
        .order_by("created_at", "pk")
    )
    user = access.user

    def node(post: "WithAnnotations[DiscussionPost, _PostFacts]", level: int, **kwargs) -> PostNode:
        live = not post.is_deleted
        return PostNode(
            post,
            level,
            can_edit=may_edit(user=user, post=post, thread=thread),
            can_delete=live and (access.is_staff or post.user_id == user.pk),
            can_report=live and post.user_id != user.pk and not post.reported_by_me,
            is_answer=post.pk == thread.answer_post_id,
            **kwargs,
        )

    opening_id = opening_post_id(posts)
    opening = next((node(p, 0) for p in posts if p.pk == opening_id), None)
    flat = _tree(posts, opening_id)
    nodes = []
    for index, (post, level, in_reply_to) in enumerate(flat):
        next_level = flat[index + 1][1] if index + 1 < len(flat) else 1
        opens = next_level > level
        closes = range(0) if opens else range(level - next_level)
        nodes.append(node(post, level, in_reply_to=in_reply_to, opens=opens, closes=closes))
    reply_count = sum(1 for n in nodes if not n.post.is_deleted)
    return ThreadPage(thread=thread, opening=opening, nodes=nodes, reply_count=reply_count)


def notification_mode(*, user: User) -> str:
    mode = (
        DiscussionNotificationSetting.objects.filter(user=user)
        .values_list("mode", flat=True)
        .first()
    )
    return mode or NotificationMode.IMMEDIATE
