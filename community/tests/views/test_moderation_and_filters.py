"""Moderation on the discussion pages: answers, reports and following; and the forum's filters."""

import pytest
from django.urls import reverse

from community.models import PostReport, ThreadFollower
from community.tests.conftest import reply, start_thread
from community.tests.views.support import client_for, forum_url, post_url, snapshot, thread_url

pytestmark = pytest.mark.django_db


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
