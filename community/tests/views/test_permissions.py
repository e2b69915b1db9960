"""The discussion pages' permission matrix: who may read, post, lock and delete, and what a
refusal leaves behind."""

import pytest
from django.urls import reverse

from community.models import DiscussionPost, DiscussionThread, ThreadFollower
from community.tests.conftest import reply, start_thread
from community.tests.views.support import client_for, forum_url, post_url, snapshot, thread_url
from content.tests.factories import TextItemFactory

pytestmark = pytest.mark.django_db

READERS = ["student", "graduate", "instructor", "university_admin"]
NOT_READERS = [None, "outsider", "dropped", "other_instructor"]
# Students may read but not moderate; everyone else cannot even see the thread.
REFUSALS = [("student", 403), ("graduate", 403)] + [(who, 404) for who in NOT_READERS]


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
