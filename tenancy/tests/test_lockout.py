"""Repeated failed logins are throttled per email and client address (django-axes)."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOCKED = "Too many failed log-ins"


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


@pytest.fixture
def ada():
    return UserFactory(email="ada@example.edu")


def attempt(client, password, username="ada@example.edu", ip="10.0.0.1", url=None):
    return client.post(
        url or reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_lockout_after_the_limit(client, ada):
    for _ in range(2):
        response = attempt(client, "wrong")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    response = attempt(client, "WRONG")
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "After 3 wrong passwords, logging in to this account from your network is paused" in page
    assert "for 15 minutes." in page
    assert f'href="{reverse("accounts:password-reset")}"' in page

    # Now even the right password is refused, and the attempt does not log in.
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_case_of_the_email_does_not_reset_the_count(client, ada):
    attempt(client, "wrong", username="ada@example.edu")
    attempt(client, "wrong", username="ADA@example.edu")
    assert attempt(client, "wrong", username=" Ada@Example.edu").status_code == 429


def test_other_addresses_and_other_accounts_are_not_locked(client, ada):
    other = UserFactory(email="grace@example.edu")
    for _ in range(3):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()
    assert attempt(client, PASSWORD, username=other.email).status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, ada):
    attempt(client, "wrong")
    attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    attempt(client, "wrong")
    assert attempt(client, "wrong").status_code == 200


def test_cool_off_ends_the_lockout(client, ada, settings):
    for _ in range(3):
        attempt(client, "wrong")
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")
    assert attempt(client, PASSWORD).status_code == 302


def test_password_reset_unlocks(client, ada):
    for _ in range(3):
        attempt(client, "wrong")
    client.post(reverse("accounts:password-reset"), {"email": "ada@example.edu"})
    link = re.search(rf"{settings.SITE_URL}(/\S+/)", mail.outbox[0].body.splitlines()[4])[1]
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "violet-lantern-harbour-42"
    client.post(set_url, {"new_password1": new, "new_password2": new})
    assert not AccessAttempt.objects.exists()
    assert attempt(client, new).status_code == 302


def test_admin_login_is_throttled_too(client):
    staff = UserFactory(email="admin@example.edu", is_superuser=True)
    url = reverse("admin:login")
    for _ in range(2):
        assert attempt(client, "wrong", username=staff.email, url=url).status_code == 200
    response = attempt(client, "wrong", username=staff.email, url=url)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert attempt(client, PASSWORD, username=staff.email, url=url).status_code == 429
    assert SESSION_KEY not in client.session


def test_admin_login_links_to_the_password_reset(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert f'<a href="{reverse("admin_password_reset")}">' in page
    response = client.get(reverse("admin_password_reset"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password-reset")
