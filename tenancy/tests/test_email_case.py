"""E-mail addresses are stored in lower case whichever way they come in, so one person has one
account and an address typed with capitals finds it."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from tenancy.forms import SignupForm
from tenancy.models import User
from tenancy.services import SIGNUP_ADDRESS_REFUSED, user_register
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def stored_emails() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM users ORDER BY email")
        return [row[0] for row in cursor.fetchall()]


def test_code_that_saves_a_capitalised_email_stores_it_in_lower_case():
    user = User.objects.create(email=" Ada.Lovelace@Example.EDU ", full_name="Ada")
    made = User.objects.create_user("Grace@Navy.MIL", full_name="Grace")

    assert (user.email, made.email) == ("ada.lovelace@example.edu", "grace@navy.mil")
    assert stored_emails() == ["ada.lovelace@example.edu", "grace@navy.mil"]


def test_lookups_with_capitals_find_the_account():
    user = UserFactory(email="ada@example.edu")

    assert User.objects.get(email="ADA@Example.edu") == user
    assert list(User.objects.filter(email__in=["Ada@example.edu"])) == [user]


def test_signup_lower_cases_and_refuses_the_same_address_in_other_capitals():
    UserFactory(email="ada@example.edu")
    data = {"full_name": "Ada", "password1": "violet-lantern-42", "password2": "violet-lantern-42"}

    taken = SignupForm(data={**data, "email": "ADA@example.edu"})
    fresh = SignupForm(data={**data, "email": "Grace@Example.edu"})

    # The form leaves whether an address is taken to user_register, which refuses it without
    # saying that an account exists.
    assert taken.is_valid(), taken.errors
    with pytest.raises(ValidationError) as caught:
        user_register(
            email=taken.cleaned_data["email"], full_name="Ada", password="violet-lantern-42"
        )
    assert caught.value.message_dict == {"email": [str(SIGNUP_ADDRESS_REFUSED)]}
    assert fresh.is_valid(), fresh.errors
    assert fresh.save().email == "grace@example.edu"


def test_editing_a_users_email_in_the_admin_lower_cases_it_and_keeps_it_unique(client):
    admin = UserFactory(is_superuser=True)
    UserFactory(email="ada@example.edu")
    bob = UserFactory(email="bob@example.edu", full_name="Bob")
    client.force_login(admin)
    url = reverse("admin:tenancy_user_change", args=[bob.pk])
    form = {
        "full_name": "Bob",
        "locale": "en",
        "time_zone": "UTC",
        "is_active": "on",
        "university_roles-TOTAL_FORMS": "0",
        "university_roles-INITIAL_FORMS": "0",
    }

    clash = client.post(url, {**form, "email": "ADA@example.edu"})
    renamed = client.post(url, {**form, "email": "Bob.Builder@Example.edu"})

    assert clash.status_code == 200
    assert "already exists" in clash.content.decode()
    assert renamed.status_code == 302, renamed.content.decode()[:2000]
    bob.refresh_from_db()
    assert bob.email == "bob.builder@example.edu"


def test_the_data_migration_lower_cases_rows_unless_that_would_collide():
    migration = importlib.import_module("tenancy.migrations.0004_lowercase_user_emails")
    with connection.cursor() as cursor:
        for email in ("Mixed@Example.edu", "Twin@Example.edu", "twin@example.edu"):
            cursor.execute(
                "INSERT INTO users (email, full_name, password_hash, is_superuser, last_login) "
                "VALUES (%s, 'x', '', false, NULL)",
                [email],
            )
    from django.apps import apps

    migration.lowercase_emails(apps, None)

    assert sorted(stored_emails()) == sorted(
        ["mixed@example.edu", "Twin@Example.edu", "twin@example.edu"]
    )
