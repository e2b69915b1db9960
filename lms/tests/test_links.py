"""Pages below the learner pages link to them by kind; the learner pages say where each kind is
shown."""

import pytest
from django.test import override_settings

from lms import links


def test_the_learner_pages_register_the_kinds_the_apps_below_link_to():
    assert links.page_path("discussion-thread", offering_id=3, thread_id=9) == (
        "/learn/3/discussions/9/"
    )
    assert links.page_path("discussion-notification-settings") == "/discussions/notifications/"
    assert links.page_path("content-item", offering_id=3, item_id=9) == "/learn/3/items/9/"
    assert links.page_path("course-outline", offering_id=3) == "/learn/3/"
    with override_settings(SITE_URL="https://lms.example.edu/"):
        assert links.page_url("invitation", token="abc") == (
            "https://lms.example.edu/invitations/abc/"
        )


def test_a_kind_no_page_shows_is_refused():
    with pytest.raises(LookupError, match="No page shows 'nowhere'"):
        links.page_path("nowhere")


def test_many_paths_of_one_kind_vary_in_one_id():
    item_path = links.page_paths("content-item", "item_id", offering_id=3)
    assert [item_path(9), item_path(10)] == ["/learn/3/items/9/", "/learn/3/items/10/"]
    assert [item_path(n) for n in (1, 22, 987654321)] == [
        links.page_path("content-item", offering_id=3, item_id=n) for n in (1, 22, 987654321)
    ]
