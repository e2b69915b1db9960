"""What the player page tests share: building a course with an outline and items, and reading the
pages."""

from django.urls import reverse

from catalog.tests.factories import EnrollmentFactory
from content.selectors import outline_cache_clear

INTERNAL_VIDEO = {
    "provider": "internal",
    "url": "https://cdn.example.org/lectures/intro.mp4",
    "duration_seconds": 95,
    "transcript": {
        "language": "en",
        "segments": [
            {"start": 0.0, "end": 4.5, "text": "Welcome to <statics> & dynamics."},
            {"start": 4.5, "end": 9.25, "text": "Forces\nbalance."},
        ],
    },
}


def outline_url(offering):
    return reverse("portal:outline", kwargs={"offering_id": offering.pk})


def item_url(offering, item, name="portal:item"):
    return reverse(name, kwargs={"offering_id": offering.pk, "item_id": item.pk})


def html(response) -> str:
    return response.content.decode()


def log_in_with_progress(client, offering, tree_items) -> None:
    """A student of the offering who completed every fifth item, and a cold outline cache."""
    client.force_login(EnrollmentFactory(course_offering=offering).user)
    for item in tree_items[::5]:
        client.post(item_url(offering, item, "portal:item-complete"))
    outline_cache_clear()
