"""The notification centre's pages: the bell, the list, marking read and the preferences."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from notifications import services
from notifications.models import Notification, NotificationPreference
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("portal:notifications")
PREFERENCES = reverse("portal:notification-preferences")


def _notify(user, n, link="/my/"):
    services.notify(
        recipient=user,
        kind="enrollment_approved",
        event_key=f"event:{n}",
        title=lambda: f"Event <{n}>",
        link=link,
    )
    return Notification.objects.get(user=user, event_key=f"event:{n}")


def test_the_list_shows_my_notifications_newest_first_in_constant_queries(
    client, django_assert_num_queries
):
    user = UserFactory()
    for n in range(4):
        _notify(user, n)
    _notify(UserFactory(), 99)
    client.force_login(user)
    # session, user, their roles, the list (the bell's count was cached at login)
    with django_assert_num_queries(4):
        response = client.get(LIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert [n.event_key for n in response.context["notifications"]] == [
        "event:3",
        "event:2",
        "event:1",
        "event:0",
    ]
    assert "Event &lt;3&gt;" in page and "event:99" not in page
    assert '<span class="bell-count">4</span>' in page


def test_the_bell_costs_one_query_on_a_cache_miss_and_none_after(client, django_assert_num_queries):
    user = UserFactory()
    _notify(user, 1)
    client.force_login(user)  # counts them into the cache
    with django_assert_num_queries(4):
        assert '<span class="bell-count">1</span>' in client.get(LIST).content.decode()
    cache.clear()  # evicted
    with django_assert_num_queries(5):  # session, user, their roles, the count, the list
        client.get(LIST)
    with django_assert_num_queries(4):
        client.get(LIST)


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_mark_read_then_open(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    first, second = _notify(user, 1, link="/catalog-page/"), _notify(user, 2)
    client.force_login(user)
    assert '<span class="bell-count">2</span>' in client.get(LIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:notification-read", args=[first.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/catalog-page/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert '<span class="bell-count">1</span>' in client.get(LIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:notifications-read-all"))
    second.refresh_from_db()
    assert second.read_at is not None
    assert "bell-count" not in client.get(LIST).content.decode()


def test_nobody_marks_another_persons_notification_read(client):
    owner = UserFactory()
    theirs = _notify(owner, 1)
    client.force_login(UserFactory())
    response = client.post(reverse("portal:notification-read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_post(client):
    user = UserFactory()
    mine = _notify(user, 1)
    client.force_login(user)
    assert client.get(reverse("portal:notification-read", args=[mine.pk])).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None


def test_preferences_page_saves_a_choice_per_kind(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(PREFERENCES).content.decode()
    assert 'name="enrollment_approved"' in page and 'name="discussion_reply"' in page
    form = {
        "enrollment_approved": "email",
        "enrollment_rejected": "both",
        "waitlist_promoted": "both",
        "work_graded": "none",
        "certificate_issued": "in_app",
        "certificate_revoked": "both",
        "discussion_reply": "in_app",
        "announcement": "in_app",
        "deadline_soon": "email",
    }
    response = client.post(PREFERENCES, form)
    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    assert saved == form


def test_preferences_refuse_a_channel_a_kind_does_not_offer(client):
    user = UserFactory()
    client.force_login(user)
    form = {"enrollment_approved": "both", "discussion_reply": "email"}
    response = client.post(PREFERENCES, form)
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()
