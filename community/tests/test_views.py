"""The discussion pages: who may read, post, lock and delete (and what a refusal leaves behind),
the nested thread view, edits, the flood limit and the number of queries of a thread page."""

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
from community.models import DiscussionPost, DiscussionThread, PostReport, ThreadFollower
from community.tests.conftest import reply, start_thread
from content.tests.factories import TextItemFactory
from tenancy.models import User

pytestmark = pytest.mark.django_db

READERS = ["student", "graduate", "instructor", "university_admin"]
NOT_READERS = [None, "outsider", "dropped", "other_instructor"]
# Students may read but not moderate; everyone else cannot even see the thread.
REFUSALS = [("student", 403), ("graduate", 403)] + [(who, 404) for who in NOT_READERS]


def client_for(world, who: str | None) -> Client:
    client = Client()
    if who is not None:
        client.force_login(getattr(world, who))
    return client


def forum_url(offering, **query) -> str:
    url = reverse("portal:discussions", kwargs={"offering_id": offering.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def thread_url(thread, action: str = "") -> str:
    name = f"portal:thread-{action}" if action else "portal:thread"
    return reverse(name, kwargs={"offering_id": thread.course_offering_id, "thread_id": thread.pk})


def post_url(post, action: str) -> str:
    return reverse(
        f"portal:post-{action}",
        kwargs={
            "offering_id": post.thread.course_offering_id,
            "thread_id": post.thread_id,
            "post_id": post.pk,
        },
    )


def snapshot() -> list[tuple]:
    """Everything a discussion write could change."""
    return [
        *DiscussionThread.objects.order_by("pk").values_list(
            "pk", "title", "is_locked", "is_pinned", "answer_post_id", "last_activity_at"
        ),
        *DiscussionPost.objects.order_by("pk").values_list(
            "pk", "body", "is_deleted", "edited_at", "parent_post_id"
        ),
        *ThreadFollower.objects.order_by("pk").values_list("thread_id", "user_id"),
        *PostReport.objects.order_by("pk").values_list("post_id", "reporter_id"),
    ]


@pytest.fixture
def thread(world):
    thread = start_thread(world.student, world.offering, title="Free-body diagrams?")
    reply(world.classmate, thread, body="Draw every force.")
    return thread


# Permission matrix ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_forum_and_the_thread(world, thread, who):
    client = client_for(world, who)
    forum = client.get(forum_url(world.offering))
    assert forum.status_code == 200
    assert "Free-body diagrams?" in forum.content.decode()
    page = client.get(thread_url(thread))
    assert page.status_code == 200
    assert "Draw every force." in page.content.decode()


@pytest.mark.parametrize("who", NOT_READERS)
def test_everyone_else_gets_404_for_reading(world, thread, who):
    client = client_for(world, who)
    assert client.get(forum_url(world.offering)).status_code == 404
    assert client.get(thread_url(thread)).status_code == 404
    new = reverse("portal:thread-create", kwargs={"offering_id": world.offering.pk})
    assert client.get(new).status_code == 404


def test_a_missing_offering_and_a_thread_of_another_offering_are_404(world, thread):
    client = client_for(world, "student")
    assert client.get(forum_url(type(world.offering)(pk=987654))).status_code == 404
    elsewhere = start_thread(world.other_instructor, world.other_instructor.taught_offerings.get())
    url = reverse(
        "portal:thread", kwargs={"offering_id": world.offering.pk, "thread_id": elsewhere.pk}
    )
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["student", "graduate", "instructor", "university_admin"])
def test_readers_may_reply(world, thread, who):
    response = client_for(world, who).post(thread_url(thread, "reply"), {"body": "Me too."})
    post = DiscussionPost.objects.get(body="Me too.")
    assert response.status_code == 302
    assert response["Location"] == f"{thread_url(thread)}#post-{post.pk}"
    assert post.user == getattr(world, who)
    assert post.parent_post_id == thread.posts.order_by("pk").first().pk
    assert ThreadFollower.objects.filter(thread=thread, user=post.user).exists()


@pytest.mark.parametrize("who", NOT_READERS)
def test_others_may_not_reply_or_start_threads(world, thread, who):
    before = snapshot()
    client = client_for(world, who)
    assert client.post(thread_url(thread, "reply"), {"body": "Spam"}).status_code == 404
    new = reverse("portal:thread-create", kwargs={"offering_id": world.offering.pk})
    assert client.post(new, {"title": "Spam", "body": "Spam"}).status_code == 404
    assert snapshot() == before


def test_start_a_thread_about_an_item(world):
    client = client_for(world, "student")
    url = reverse("portal:thread-create", kwargs={"offering_id": world.offering.pk})
    form = client.get(f"{url}?item={world.item.pk}")
    assert form.status_code == 200
    assert "Free-body diagrams" in form.content.decode()
    response = client.post(
        url, {"title": "  Sign  of moments ", "body": "CW or CCW?", "item": world.item.pk}
    )
    thread = DiscussionThread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread_url(thread)
    assert (thread.title, thread.content_item_id, thread.module_id) == (
        "Sign of moments",
        world.item.pk,
        world.lesson.pk,
    )
    assert list(thread.posts.values_list("body", "parent_post", "user")) == [
        ("CW or CCW?", None, world.student.pk)
    ]


def test_a_thread_needs_a_title_and_a_body(world):
    url = reverse("portal:thread-create", kwargs={"offering_id": world.offering.pk})
    response = client_for(world, "student").post(url, {"title": "", "body": " "})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "title": ["This field is required."],
        "body": ["This field is required."],
    }
    assert DiscussionThread.objects.count() == 0


def test_an_item_of_another_course_cannot_be_attached(world):
    other_item = world.other_instructor.taught_offerings.get()
    url = reverse("portal:thread-create", kwargs={"offering_id": world.offering.pk})
    foreign = TextItemFactory(module__course=other_item.course)
    response = client_for(world, "student").post(
        url, {"title": "T", "body": "B", "item": foreign.pk}
    )
    assert response.status_code == 404
    assert DiscussionThread.objects.count() == 0


@pytest.mark.parametrize("who", ["instructor", "university_admin"])
def test_staff_lock_and_unlock_a_thread(world, thread, who):
    client = client_for(world, who)
    response = client.post(thread_url(thread, "lock"), {"value": "1"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.is_locked is True
    client.post(thread_url(thread, "lock"), {"value": "0"})
    thread.refresh_from_db()
    assert thread.is_locked is False


@pytest.mark.parametrize(("who", "status"), REFUSALS)
def test_others_may_not_lock_or_pin(world, thread, who, status):
    before = snapshot()
    client = client_for(world, who)
    assert client.post(thread_url(thread, "lock"), {"value": "1"}).status_code == status
    assert client.post(thread_url(thread, "pin"), {"value": "1"}).status_code == status
    assert snapshot() == before


def test_a_locked_thread_takes_no_posts(world, thread):
    client_for(world, "instructor").post(thread_url(thread, "lock"), {"value": "1"})
    before = snapshot()
    for who in ("student", "instructor"):
        response = client_for(world, who).post(thread_url(thread, "reply"), {"body": "Late"})
        assert response.status_code == 403
    assert snapshot() == before
    page = client_for(world, "student").get(thread_url(thread)).content.decode()
    assert "This thread is locked" in page
    assert 'id="reply-body"' not in page


def test_the_author_deletes_their_post_softly(world, thread):
    post = thread.posts.get(body="Draw every force.")
    answer = reply(world.student, thread, body="Thanks!", parent=post)
    response = client_for(world, "classmate").post(post_url(post, "delete"))
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.is_deleted, post.deleted_by_user, post.body) == (
        True,
        world.classmate,
        "Draw every force.",
    )
    page = client_for(world, "student").get(thread_url(thread)).content.decode()
    assert "Post removed" in page
    assert "Draw every force." not in page
    assert "Thanks!" in page
    assert DiscussionPost.objects.filter(pk=answer.pk, is_deleted=False).exists()


@pytest.mark.parametrize("who", ["instructor", "university_admin"])
def test_staff_remove_any_post(world, thread, who):
    post = thread.posts.get(body="Draw every force.")
    assert client_for(world, who).post(post_url(post, "delete")).status_code == 302
    post.refresh_from_db()
    assert post.is_deleted is True
    assert post.deleted_by_user == getattr(world, who)


@pytest.mark.parametrize(("who", "status"), REFUSALS)
def test_others_may_not_delete_a_post(world, thread, who, status):
    post = thread.posts.get(body="Draw every force.")
    before = snapshot()
    assert client_for(world, who).post(post_url(post, "delete")).status_code == status
    assert snapshot() == before


def test_an_empty_reply_shows_the_error_in_its_form(world, thread):
    post = thread.posts.get(body="Draw every force.")
    before = snapshot()
    response = client_for(world, "student").post(
        thread_url(thread, "reply"), {"body": "   ", "parent": post.pk}
    )
    assert response.status_code == 400
    assert response.context["reply_parent"] == post.pk
    html = response.content.decode()
    assert '<details class="reply" open>' in html
    assert "This field is required." in html
    assert snapshot() == before


def test_a_reply_to_a_removed_post_is_refused(world, thread):
    post = thread.posts.get(body="Draw every force.")
    client_for(world, "classmate").post(post_url(post, "delete"))
    before = snapshot()
    response = client_for(world, "student").post(
        thread_url(thread, "reply"), {"body": "Hello?", "parent": post.pk}
    )
    assert response.status_code == 400
    assert "That post was removed; reply to the thread instead." in response.content.decode()
    assert snapshot() == before


def test_reading_pages_refuse_other_methods(world, thread):
    client = client_for(world, "student")
    assert client.post(thread_url(thread)).status_code == 405
    assert client.get(thread_url(thread, "reply")).status_code == 405
    assert client.get(thread_url(thread, "lock")).status_code == 405


# Moderation, answers, reports, following -----------------------------------------------------


def test_staff_mark_an_answer_and_pin(world, thread):
    post = thread.posts.get(body="Draw every force.")
    client = client_for(world, "instructor")
    assert client.post(post_url(post, "answer"), {"value": "1"}).status_code == 302
    assert client.post(thread_url(thread, "pin"), {"value": "1"}).status_code == 302
    thread.refresh_from_db()
    assert (thread.answer_post_id, thread.is_pinned) == (post.pk, True)
    page = client_for(world, "student").get(forum_url(world.offering, show="unanswered"))
    assert list(page.context["forum"].page.object_list) == []
    assert client.post(post_url(post, "answer"), {"value": "0"}).status_code == 302
    thread.refresh_from_db()
    assert thread.answer_post_id is None


def test_students_may_not_mark_answers(world, thread):
    post = thread.posts.get(body="Draw every force.")
    before = snapshot()
    response = client_for(world, "student").post(post_url(post, "answer"), {"value": "1"})
    assert response.status_code == 403
    assert snapshot() == before


def test_a_student_reports_a_post_once(world, thread):
    post = thread.posts.get(body="Draw every force.")
    client = client_for(world, "student")
    assert client.get(post_url(post, "report")).status_code == 200
    response = client.post(post_url(post, "report"), {"reason": "off_topic", "details": "Hm"})
    assert response.status_code == 302
    again = client.post(post_url(post, "report"), {"reason": "spam"})
    assert again.status_code == 400
    assert again.context["form"].non_field_errors() == ["You have already reported this post."]
    assert list(PostReport.objects.values_list("post", "reporter", "reason", "details")) == [
        (post.pk, world.student.pk, "off_topic", "Hm")
    ]
    staff_page = client_for(world, "instructor").get(thread_url(thread)).content.decode()
    assert "Reported once" in staff_page
    student_page = client.get(thread_url(thread)).content.decode()
    assert "You reported this post" in student_page
    assert "Reported once" not in student_page


def test_a_report_needs_a_reason(world, thread):
    post = thread.posts.get(body="Draw every force.")
    response = client_for(world, "student").post(post_url(post, "report"), {"reason": "nope"})
    assert response.status_code == 400
    assert PostReport.objects.count() == 0


def test_follow_and_unfollow(world, thread):
    client = client_for(world, "graduate")
    assert client.post(thread_url(thread, "follow"), {"value": "1"}).status_code == 302
    assert ThreadFollower.objects.filter(thread=thread, user=world.graduate).exists()
    assert "Unfollow" in client.get(thread_url(thread)).content.decode()
    client.post(thread_url(thread, "follow"), {"value": "0"})
    assert not ThreadFollower.objects.filter(thread=thread, user=world.graduate).exists()


# Filters -----------------------------------------------------------------------------------


def test_forum_filters(world):
    about_item = client_for(world, "student").post(
        reverse("portal:thread-create", kwargs={"offering_id": world.offering.pk}),
        {"title": "About the item", "body": "?", "item": world.item.pk},
    )
    assert about_item.status_code == 302
    in_unit = start_thread(world.classmate, world.offering, title="In the unit")
    in_unit.module = world.unit
    in_unit.save()
    general = start_thread(world.classmate, world.offering, title="General")
    reply(world.student, general, body="My reply")
    answered = start_thread(world.instructor, world.offering, title="Answered")
    answer = reply(world.classmate, answered)
    answered.answer_post = answer
    answered.save()

    def titles(**query) -> list[str]:
        response = client_for(world, "student").get(forum_url(world.offering, **query))
        assert response.status_code == 200
        return [t.title for t in response.context["forum"].page.object_list]

    assert titles() == ["Answered", "General", "In the unit", "About the item"]
    assert titles(show="module", module=world.unit.pk) == ["In the unit", "About the item"]
    assert titles(show="module", module=world.lesson.pk) == ["About the item"]
    assert titles(show="unanswered") == ["General", "In the unit", "About the item"]
    assert titles(show="mine") == ["General", "About the item"]
    assert titles(show="module", module=999999) == titles()
    assert titles(show="bogus") == titles()


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
