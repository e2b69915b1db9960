"""The account services refuse bad input with a clear error and write nothing."""

import pytest
from django.core.exceptions import ValidationError

from tenancy.models import User
from tenancy.services import profile_update, user_register
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_user_register_hashes_with_argon2_and_lowercases_the_email():
    user = user_register(email="Ada@Example.EDU", full_name="Ada", password="long-enough-pass")
    assert user.email == "ada@example.edu"
    assert user.password.startswith("argon2$")
    assert (user.locale, user.time_zone, user.is_active) == ("en", "UTC", True)


def test_user_register_twice_gives_one_account_and_an_error():
    user_register(email="ada@example.edu", full_name="Ada", password="long-enough-pass")
    with pytest.raises(ValidationError) as caught:
        user_register(email="ada@example.edu", full_name="Ada 2", password="long-enough-pass")
    assert caught.value.message_dict == {
        "email": [
            "This address cannot be used to sign up; if it is yours, log in or reset your password."
        ]
    }
    assert list(User.objects.values_list("full_name", flat=True)) == ["Ada"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"time_zone": "Mars/Olympus_Mons"}, "time_zone"), ({"full_name": "  "}, "full_name")],
)
def test_profile_update_refuses_bad_values(changes, field):
    user = UserFactory(full_name="Ada", locale="en", time_zone="UTC")
    values = {"full_name": "Grace", "locale": "de", "time_zone": "Europe/Berlin", **changes}
    with pytest.raises(ValidationError) as caught:
        profile_update(user=user, **values)
    assert list(caught.value.message_dict) == [field]
    user.refresh_from_db()
    assert (user.full_name, user.locale, user.time_zone) == ("Ada", "en", "UTC")


def test_user_register_creates_the_account_in_its_time_zone():
    user = user_register(
        email="ada@example.edu", full_name="Ada", password="x-long-pass", time_zone="Europe/Paris"
    )
    assert User.objects.get(pk=user.pk).time_zone == "Europe/Paris"


def test_user_register_refuses_an_unknown_time_zone_and_creates_nothing():
    with pytest.raises(ValidationError) as raised:
        user_register(
            email="ada@example.edu", full_name="Ada", password="x-long-pass", time_zone="Nowhere"
        )
    assert raised.value.message_dict == {"time_zone": ["Unknown time zone 'Nowhere'."]}
    assert not User.objects.exists()
