"""What the player page tests share: building a course with an outline and items, and reading the
pages."""

from django.urls import reverse

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
