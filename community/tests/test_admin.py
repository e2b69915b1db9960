"""Moderation in the admin goes through the community services and stays in the tenant."""

import pytest
from django.test import Client
from django.urls import reverse

from community.models import CourseReview, DiscussionPost
from community.tests.conftest import reply, start_thread
from community.tests.factories import ReviewFactory
from tenancy.models import Role, User
from tenancy.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(User.objects.get(pk=user.pk))
    return client


def test_instructor_removes_posts_of_their_offering_only(world):
    thread = start_thread(world.student, world.offering)
    post = reply(world.classmate, thread)
    other_offering = world.other_instructor.taught_offerings.get()
    elsewhere = reply(world.other_instructor, start_thread(world.other_instructor, other_offering))
    RoleFactory(user=world.instructor, university=world.offering.university, role=Role.INSTRUCTOR)
    client = client_for(world.instructor)
    url = reverse("admin:community_discussionpost_changelist")
    response = client.post(url, {"action": "remove", "_selected_action": [post.pk]}, follow=True)
    post.refresh_from_db()
    assert (post.is_deleted, post.deleted_by_user) == (True, world.instructor)
    assert [str(m) for m in response.context["messages"]] == ["1 post removed."]
    assert not DiscussionPost.objects.get(pk=elsewhere.pk).is_deleted


def hide(client: Client, url: str, hidden: bool, reason: str):
    data = {"is_hidden": "on" if hidden else "", "hidden_reason": reason}
    return client.post(url, data | {"reply-TOTAL_FORMS": "0", "reply-INITIAL_FORMS": "0"})


def test_hiding_a_review_needs_a_reason_and_records_who_hid_it(world):
    review = ReviewFactory(course_offering=world.offering)
    client = client_for(world.university_admin)
    url = reverse("admin:community_coursereview_change", args=[review.pk])
    response = hide(client, url, True, " ")
    assert response.context["adminform"].form.errors["hidden_reason"] == [
        "Say why the review is hidden."
    ]
    assert not CourseReview.objects.get(pk=review.pk).is_hidden
    response = hide(client, url, True, "Insults")
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.is_hidden, review.hidden_reason, review.hidden_by_user) == (
        True,
        "Insults",
        world.university_admin,
    )
    other = client_for(world.other_instructor)
    assert hide(other, url, False, "").status_code == 404
    assert CourseReview.objects.get(pk=review.pk).is_hidden
