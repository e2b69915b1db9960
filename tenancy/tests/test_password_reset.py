"""Password reset by email, end to end through the outbox."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-lantern-harbour-42"
NEUTRAL = "If an account uses that address, we have sent it a link"


def request_reset(client, email: str):
    return client.post(reverse("accounts:password-reset"), {"email": email}, follow=True)


def reset_link(message) -> str:
    site = re.escape(settings.SITE_URL)
    match = re.search(rf"{site}(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_reset_page(client):
    response = client.get(reverse("accounts:password-reset"))
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_reset_by_email_end_to_end(client):
    user = UserFactory(email="ada@example.edu", full_name="Ada Lovelace")
    response = request_reset(client, "ADA@example.edu")
    assert response.redirect_chain == [(reverse("accounts:password-reset-done"), 302)]
    assert NEUTRAL in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.edu"]
    assert message.subject == "Reset your password"
    assert message.body.startswith("Hello Ada Lovelace,\n")

    link = reset_link(message)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]  # the token moves into the session

    mismatch = client.post(
        set_url, {"new_password1": NEW_PASSWORD, "new_password2": "something-else-entirely"}
    )
    assert mismatch.status_code == 200
    assert list(mismatch.context["form"].errors) == ["new_password2"]
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)

    done = client.post(
        set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert done.redirect_chain == [(reverse("accounts:password-reset-complete"), 302)]
    assert "Your password is set" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert "This link no longer works" in again.content.decode()

    login = client.post(
        reverse("accounts:login"), {"username": "ada@example.edu", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


@pytest.mark.parametrize("email", ["nobody@example.edu", "inactive@example.edu"])
def test_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(client, email):
    UserFactory(email="inactive@example.edu", is_active=False)
    response = request_reset(client, email)
    assert response.redirect_chain == [(reverse("accounts:password-reset-done"), 302)]
    assert NEUTRAL in response.content.decode()
    assert mail.outbox == []


def test_reset_with_a_malformed_address_shows_an_error(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "not an email"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}
    assert mail.outbox == []


@pytest.mark.parametrize(
    "path", ["/accounts/password/reset/MQ/bad-token/", "/accounts/password/reset/@@/x-y/"]
)
def test_a_forged_link_is_refused(client, path):
    UserFactory()
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is False
