"""Discussion writes: rules the pages rely on, and the flood limit under concurrent requests."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from community.discussions import services
from community.models import DiscussionPost, DiscussionThread, ThreadFollower
from community.tests.conftest import access_for, reply, start_thread

pytestmark = pytest.mark.django_db


def test_starting_a_thread_writes_the_opening_post_and_follows(world):
    thread = start_thread(world.student, world.offering, title="Q", body="Body")
    assert list(thread.posts.values_list("user", "parent_post", "body")) == [
        (world.student.pk, None, "Body")
    ]
    assert list(ThreadFollower.objects.values_list("thread", "user")) == [
        (thread.pk, world.student.pk)
    ]


def test_a_reply_without_parent_answers_the_opening_post(world):
    thread = start_thread(world.student, world.offering)
    opening = thread.posts.get()
    post = reply(world.classmate, thread)
    assert post.parent_post_id == opening.pk
    thread.refresh_from_db()
    assert thread.last_activity_at == post.created_at


def test_a_parent_from_another_thread_is_refused(world):
    first = start_thread(world.student, world.offering)
    second = start_thread(world.student, world.offering)
    with pytest.raises(PermissionDenied):
        reply(world.classmate, second, parent=first.posts.get())
    assert second.posts.count() == 1


def test_replying_to_a_removed_post_is_refused(world):
    thread = start_thread(world.student, world.offering)
    post = reply(world.classmate, thread)
    services.post_delete(access=access_for(world.classmate, world.offering), post=post)
    with pytest.raises(ValidationError):
        reply(world.student, thread, parent=DiscussionPost.objects.get(pk=post.pk))
    assert thread.posts.count() == 2


def test_the_edit_window_is_a_setting(world, settings):
    settings.COMMUNITY_EDIT_WINDOW_MINUTES = 5
    thread = start_thread(world.student, world.offering)
    post = reply(world.classmate, thread)
    access = access_for(world.classmate, world.offering)
    DiscussionPost.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - timedelta(minutes=4)
    )
    services.post_edit(access=access, post=post, body="Edited")
    DiscussionPost.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - timedelta(minutes=6)
    )
    with pytest.raises(PermissionDenied):
        services.post_edit(access=access, post=post, body="Too late")
    assert DiscussionPost.objects.get(pk=post.pk).body == "Edited"


def test_editing_in_a_locked_thread_is_refused(world):
    thread = start_thread(world.student, world.offering)
    post = reply(world.classmate, thread)
    services.thread_set_locked(
        access=access_for(world.instructor, world.offering), thread=thread, locked=True
    )
    with pytest.raises(PermissionDenied):
        services.post_edit(
            access=access_for(world.classmate, world.offering), post=post, body="Changed"
        )


def test_removing_the_answer_unmarks_it(world):
    thread = start_thread(world.student, world.offering)
    post = reply(world.classmate, thread)
    staff = access_for(world.instructor, world.offering)
    services.thread_mark_answer(access=staff, post=post, is_answer=True)
    services.post_delete(access=staff, post=post)
    thread.refresh_from_db()
    assert thread.answer_post_id is None
    with pytest.raises(ValidationError):
        services.thread_mark_answer(access=staff, post=post, is_answer=True)


def test_the_opening_post_cannot_be_the_answer(world):
    thread = start_thread(world.student, world.offering)
    with pytest.raises(ValidationError):
        services.thread_mark_answer(
            access=access_for(world.instructor, world.offering),
            post=thread.posts.get(),
            is_answer=True,
        )


def test_own_and_removed_posts_cannot_be_reported(world):
    thread = start_thread(world.student, world.offering)
    post = reply(world.classmate, thread)
    with pytest.raises(ValidationError):
        services.post_report(
            access=access_for(world.classmate, world.offering), post=post, reason="spam"
        )
    services.post_delete(access=access_for(world.classmate, world.offering), post=post)
    with pytest.raises(ValidationError):
        services.post_report(
            access=access_for(world.student, world.offering),
            post=DiscussionPost.objects.get(pk=post.pk),
            reason="spam",
        )


def test_deleting_twice_keeps_the_first_record(world):
    thread = start_thread(world.student, world.offering)
    post = reply(world.classmate, thread)
    services.post_delete(access=access_for(world.classmate, world.offering), post=post)
    first = DiscussionPost.objects.get(pk=post.pk)
    services.post_delete(access=access_for(world.instructor, world.offering), post=post)
    again = DiscussionPost.objects.get(pk=post.pk)
    assert (again.deleted_at, again.deleted_by_user_id) == (first.deleted_at, world.classmate.pk)


@pytest.mark.django_db(transaction=True)
def test_the_flood_limit_holds_under_concurrent_posts(world, settings):
    settings.COMMUNITY_POSTS_PER_MINUTE = 3
    thread = start_thread(world.instructor, world.offering)
    barrier = threading.Barrier(12)
    outcomes: list[str] = []

    def post(n: int) -> None:
        try:
            target = DiscussionThread.objects.get(pk=thread.pk)
            barrier.wait()
            reply(world.student, target, body=f"#{n}")
            outcomes.append("posted")
        except services.PostingThrottled:
            outcomes.append("throttled")
        finally:
            connection.close()

    workers = [threading.Thread(target=post, args=(n,)) for n in range(12)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ["posted"] * 3 + ["throttled"] * 9
    assert DiscussionPost.objects.filter(user=world.student).count() == 3
