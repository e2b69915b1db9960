"""The nested thread view and its queries, edits, the flood limit, notification settings and the
discussion includes other pages use."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.discussions.selectors import MAX_REPLY_LEVEL, item_discussion
from community.models import DiscussionPost, PostReport
from community.tests.conftest import reply, start_thread
from community.tests.views.support import client_for, forum_url, post_url, snapshot, thread_url
from tenancy.models import User

pytestmark = pytest.mark.django_db


# The thread page ---------------------------------------------------------------------------


class PostNesting(HTMLParser):
    """For each post article, how many nested reply lists enclose it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.depth_of: dict[int, int] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("ol", "li"):
            self.stack.append(f"{tag}.{attrs.get('class', '')}")
        if tag == "article" and (attrs.get("id") or "").startswith("post-"):
            self.depth_of[int(attrs["id"][5:])] = sum(
                1 for entry in self.stack if entry.startswith("ol.post-children")
            )

    def handle_endtag(self, tag):
        if tag in ("ol", "li"):
            opened = self.stack.pop()
            assert opened.startswith(tag), f"</{tag}> closes {opened}"


def build_deep_thread(world, *, fanout: int = 3, depth: int = 3):
    """A thread whose replies go `depth` levels deep with `fanout` replies on every level."""
    thread = start_thread(world.student, world.offering, title="Deep")
    users = [world.student, world.classmate, world.graduate, world.instructor]
    parents: list = [None]
    for level in range(depth):
        children = []
        for parent in parents:
            for n in range(fanout):
                children.append(
                    reply(users[n % len(users)], thread, body=f"L{level + 1}-{n}", parent=parent)
                )
        parents = children
    return thread


def test_nested_replies_render_as_a_tree(world):
    thread = build_deep_thread(world, fanout=2, depth=3)
    html = client_for(world, "student").get(thread_url(thread)).content.decode()
    parser = PostNesting()
    parser.feed(html)
    assert not parser.stack
    posts = {p.pk: p for p in thread.posts.all()}
    opening = min(pk for pk, p in posts.items() if p.parent_post_id is None)
    depth = {opening: 0}
    for pk in sorted(posts):
        if pk != opening:
            depth[pk] = depth[posts[pk].parent_post_id] + 1
    assert parser.depth_of == {pk: max(d - 1, 0) for pk, d in depth.items()}
    assert len(parser.depth_of) == 1 + 2 + 4 + 8


def test_replies_deeper_than_the_limit_are_shown_flat_saying_whom_they_answer(world):
    thread = start_thread(world.student, world.offering, title="Chain")
    people = [world.classmate, world.graduate, world.instructor, world.student]
    parent = None
    chain = []
    for n in range(MAX_REPLY_LEVEL + 2):
        parent = reply(people[n % 4], thread, body=f"depth {n + 1}", parent=parent)
        chain.append(parent)
    response = client_for(world, "student").get(thread_url(thread))
    html = response.content.decode()
    parser = PostNesting()
    parser.feed(html)
    assert [parser.depth_of[p.pk] for p in chain] == [0, 1, 2, 3, 3, 3]
    nodes = response.context["page"].nodes
    assert [(n.level, n.in_reply_to) for n in nodes] == [
        (1, None),
        (2, None),
        (3, None),
        (4, None),
        (4, "Ada Lovelace"),
        (4, "Blaise Pascal"),
    ]
    assert "in reply to Ada Lovelace" in html
    assert html.count("in reply to ") == 2


def test_thread_page_queries_do_not_grow_with_posts(world, django_assert_num_queries):
    small = build_deep_thread(world, fanout=1, depth=1)
    large = build_deep_thread(world, fanout=3, depth=3)
    assert large.posts.count() == 1 + 3 + 9 + 27
    PostReport.objects.create(post=large.posts.last(), reporter=world.classmate, reason="spam")
    # Session, user, offering with access, thread, posts, and the user's roles (for the menu).
    for who in ("student", "instructor"):
        client = client_for(world, who)
        with django_assert_num_queries(6):
            response = client.get(thread_url(large))
        assert response.status_code == 200
        assert len(response.context["page"].nodes) == 39
        assert response.context["page"].reply_count == 39
        with django_assert_num_queries(6):
            response = client.get(thread_url(small))
        assert len(response.context["page"].nodes) == 1


def test_forum_queries_do_not_grow_with_threads(world, django_assert_num_queries):
    for n in range(6):
        reply(world.classmate, start_thread(world.student, world.offering, title=f"T{n}"))
    client = client_for(world, "student")
    # Session, user, offering with access, roles, outline, count, the page of threads.
    with django_assert_num_queries(7):
        response = client.get(forum_url(world.offering))
    assert len(response.context["forum"].page.object_list) == 6
    assert [t.reply_count for t in response.context["forum"].page.object_list] == [1] * 6


# Editing -----------------------------------------------------------------------------------


def test_the_author_edits_within_the_window(world, thread):
    post = thread.posts.get(body="Draw every force.")
    client = client_for(world, "classmate")
    assert client.get(post_url(post, "edit")).status_code == 200
    response = client.post(post_url(post, "edit"), {"body": "Draw every force, with arrows."})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "Draw every force, with arrows."
    assert post.edited_at is not None
    page = client_for(world, "student").get(thread_url(thread)).content.decode()
    assert '<span class="edited"' in page


def test_editing_after_the_window_is_refused(world, thread, settings):
    settings.COMMUNITY_EDIT_WINDOW_MINUTES = 30
    post = thread.posts.get(body="Draw every force.")
    DiscussionPost.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - timedelta(minutes=31)
    )
    before = snapshot()
    client = client_for(world, "classmate")
    response = client.post(post_url(post, "edit"), {"body": "Changed"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This post can no longer be edited."
    ]
    assert snapshot() == before
    assert "/edit/" not in client.get(thread_url(thread)).content.decode()


def test_nobody_edits_someone_elses_post(world, thread):
    post = thread.posts.get(body="Draw every force.")
    before = snapshot()
    for who in ("student", "instructor"):
        response = client_for(world, who).post(post_url(post, "edit"), {"body": "Changed"})
        assert response.status_code == 302
    assert snapshot() == before


# Flood limit -------------------------------------------------------------------------------


def test_posting_too_fast_is_refused_with_a_message(world, thread, settings):
    settings.COMMUNITY_POSTS_PER_MINUTE = 3
    client = client_for(world, "graduate")
    for n in range(3):
        assert client.post(thread_url(thread, "reply"), {"body": f"n{n}"}).status_code == 302
    before = snapshot()
    response = client.post(thread_url(thread, "reply"), {"body": "one too many"})
    assert response.status_code == 429
    assert "You are posting too fast" in response.content.decode()
    assert "one too many" in response.content.decode()  # the text is kept in the form
    new = reverse("portal:thread-create", kwargs={"offering_id": world.offering.pk})
    response = client.post(new, {"title": "Flood", "body": "flood"})
    assert response.status_code == 429
    assert snapshot() == before
    DiscussionPost.objects.filter(user=world.graduate).update(
        created_at=timezone.now() - timedelta(seconds=61)
    )
    assert client.post(thread_url(thread, "reply"), {"body": "later"}).status_code == 302


def test_the_limit_is_per_user(world, thread, settings):
    settings.COMMUNITY_POSTS_PER_MINUTE = 2
    graduate, student = client_for(world, "graduate"), client_for(world, "student")
    url = thread_url(thread, "reply")
    assert [graduate.post(url, {"body": body}).status_code for body in "abc"] == [302, 302, 429]
    # The student's opening post counts; one more reply fits.
    assert [student.post(url, {"body": body}).status_code for body in "de"] == [302, 429]


# Notification settings ---------------------------------------------------------------------


def test_notification_settings_page(world):
    client = client_for(world, "student")
    url = reverse("portal:discussion-notifications")
    assert client.get(url).context["form"].initial == {"mode": "immediate"}
    assert client.post(url, {"mode": "daily_digest"}).status_code == 302
    assert client.get(url).context["form"].initial == {"mode": "daily_digest"}
    assert client.post(url, {"mode": "weekly"}).status_code == 400
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert re.match(r"^/accounts/login/", anonymous["Location"])
    assert User.objects.get(pk=world.student.pk).discussion_notification_setting.mode == (
        "daily_digest"
    )


# The includes for other pages --------------------------------------------------------------


def test_item_threads_include(world, rf, django_assert_num_queries):
    client = client_for(world, "student")
    url = reverse("portal:thread-create", kwargs={"offering_id": world.offering.pk})
    client.post(url, {"title": "Sign of moments?", "body": "?", "item": world.item.pk})
    start_thread(world.classmate, world.offering, title="Not about the item")
    with django_assert_num_queries(1):
        discussion = item_discussion(offering_id=world.offering.pk, item_id=world.item.pk)
    assert [t.title for t in discussion.threads] == ["Sign of moments?"]
    request = rf.get("/")
    request.user = world.student
    html = render_to_string(
        "community/_item_threads.html", {"discussion": discussion}, request=request
    )
    assert "Sign of moments?" in html
    assert f'href="{url}?item={world.item.pk}"' in html
    assert "Not about the item" not in html
    empty = item_discussion(offering_id=world.offering.pk, item_id=world.item.pk + 1000)
    html = render_to_string("community/_item_threads.html", {"discussion": empty}, request=request)
    assert "No questions about this item yet." in html
