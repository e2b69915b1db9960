"""What the discussion page tests share: clients for each person, page URLs and a snapshot of
everything a discussion write could change."""

from django.test import Client
from django.urls import reverse

from community.models import DiscussionPost, DiscussionThread, PostReport, ThreadFollower


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
