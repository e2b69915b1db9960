"""Sign-up does not tell anyone which addresses have accounts: a taken address gets a message
that confirms nothing, nothing is created, and the owner is emailed about the attempt."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from tenancy.models import User
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "violet-lantern-harbour-42"
REFUSED = "This address cannot be used to sign up; if it is yours, log in or reset your password."


def sign_up(client, email: str, name: str = "Someone Else"):
    return client.post(
        reverse("accounts:signup"),
        {"full_name": name, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def accounts() -> list[tuple]:
    return list(User.objects.order_by("pk").values_list("pk", "email", "full_name", "password"))


@pytest.mark.parametrize("typed", ["ada@example.edu", " ADA@Example.edu "])
def test_a_taken_address_gets_a_neutral_message_and_its_owner_an_email(
    client, typed, tasks_in_process, django_capture_on_commit_callbacks
):
    UserFactory(email="ada@example.edu", full_name="Ada Lovelace")
    before = accounts()

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, typed)

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [REFUSED]
    page = response.content.decode().replace("&#x27;", "'")
    assert REFUSED in page
    assert "already exists" not in page
    assert accounts() == before
    assert SESSION_KEY not in client.session
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["ada@example.edu"]
    assert notice.subject == "Someone tried to sign up with your email address"
    assert "Hello Ada Lovelace," in notice.body
    site = settings.SITE_URL.rstrip("/")
    assert f"{site}{reverse('accounts:login')}" in notice.body
    assert f"{site}{reverse('accounts:password-reset')}" in notice.body
    assert PASSWORD not in notice.body


def test_a_new_address_still_signs_up_and_no_one_is_emailed(
    client, tasks_in_process, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "new@example.edu", name="New Person")

    assert response.status_code == 302
    assert list(User.objects.values_list("email", "full_name")) == [
        ("new@example.edu", "New Person")
    ]
    assert mail.outbox == []


def test_the_notice_for_an_account_deleted_meanwhile_sends_nothing():
    from tenancy.services import signup_attempt_notice_send

    gone = UserFactory()
    gone_id = gone.pk
    gone.delete()

    assert signup_attempt_notice_send(user_id=gone_id) is False
    assert mail.outbox == []
