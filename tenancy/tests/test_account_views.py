"""Sign-up, log-in, log-out, profile and password change: each page on GET and POST, with
good and bad input."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tenancy.models import User
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "violet-lantern-harbour-42"


def logged_in_id(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


# --- sign up --------------------------------------------------------------------------------


def test_signup_page_shows_the_fields(client):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("full_name", "email", "password1", "password2"):
        assert f'name="{name}"' in page
    assert f'href="{reverse("accounts:login")}"' in page


def test_signup_asks_for_the_time_zone_with_utc_preselected_and_the_browser_script(client):
    page = client.get(reverse("accounts:signup")).content.decode()
    select = page[page.index('<select name="time_zone"') :]
    select = select[: select.index("</select>")]
    assert "data-browser-time-zone" in select
    assert "data-chosen" not in select
    assert '<option value="UTC" selected>UTC</option>' in select
    assert '<option value="Europe/Berlin">Europe/Berlin</option>' in select
    assert '<option value="America/Argentina/Buenos_Aires">' in select
    assert "js/signup-time-zone.js" in page


def test_signup_creates_the_account_in_the_chosen_time_zone(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Ada Lovelace",
            "email": "ada@example.edu",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "time_zone": "Asia/Tokyo",
        },
    )
    assert response.status_code == 302
    assert User.objects.get().time_zone == "Asia/Tokyo"


def test_signup_after_an_error_keeps_the_chosen_time_zone(client):
    response = client.post(
        reverse("accounts:signup"),
        {"full_name": "", "email": "ada@example.edu", "time_zone": "Europe/Lisbon"},
    )
    page = response.content.decode()
    select = page[page.index('<select name="time_zone"') :]
    assert "data-chosen" in select[: select.index(">")]
    assert '<option value="Europe/Lisbon" selected>' in select
    assert not User.objects.exists()


def test_signup_creates_the_account_and_logs_in(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Ada Lovelace",
            "email": " Ada@Example.EDU ",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("portal:catalog")
    user = User.objects.get()
    assert (user.email, user.full_name, user.time_zone, user.locale) == (
        "ada@example.edu",
        "Ada Lovelace",
        "UTC",
        "en",
    )
    assert user.password.startswith("argon2$")
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_id(client) == user.pk


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"password2": "another-password-99"},
            "password2",
            "The two password fields didn\u2019t match.",
        ),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"full_name": ""}, "full_name", "This field is required."),
        (
            {"password1": "12345678", "password2": "12345678"},
            "password2",
            "This password is too common.",
        ),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Choose a time zone from the list."),
        ({"time_zone": "localtime"}, "time_zone", "Choose a time zone from the list."),
    ],
)
def test_signup_with_bad_input_changes_nothing(client, data, field, message):
    form = {
        "full_name": "Ada Lovelace",
        "email": "ada@example.edu",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **data,
    }
    response = client.post(reverse("accounts:signup"), form)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not User.objects.exists()
    assert logged_in_id(client) is None


def test_signup_refuses_an_email_in_use_whatever_its_case(client):
    UserFactory(email="ada@example.edu")
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Someone Else",
            "email": "ADA@example.edu",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "This address cannot be used to sign up; if it is yours, log in or reset your password."
    ]
    assert User.objects.count() == 1


def test_signup_sends_a_signed_in_user_to_the_dashboard(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")


# --- log in and out -------------------------------------------------------------------------


def test_login_page_links_to_reset_and_signup(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("accounts:password-reset")}">Forgot password?</a>' in page
    assert f'href="{reverse("accounts:signup")}">Create an account</a>' in page
    assert f'href="{reverse("accounts:login")}">Log in</a>' in page  # the nav


def test_login_with_the_right_password(client):
    user = UserFactory(email="ada@example.edu")
    response = client.post(
        reverse("accounts:login"), {"username": "Ada@Example.edu", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")
    assert logged_in_id(client) == user.pk


def test_login_follows_next(client):
    UserFactory(email="ada@example.edu")
    response = client.post(
        reverse("accounts:login"),
        {"username": "ada@example.edu", "password": PASSWORD, "next": "/my/"},
    )
    assert response.status_code == 302
    assert response.url == "/my/"


def test_login_never_redirects_off_site(client):
    UserFactory(email="ada@example.edu")
    response = client.post(
        reverse("accounts:login"),
        {"username": "ada@example.edu", "password": PASSWORD, "next": "https://evil.test/"},
    )
    assert response.url == reverse("portal:dashboard")


@pytest.mark.parametrize(
    ("username", "password"),
    [("ada@example.edu", "wrong-password"), ("nobody@example.edu", PASSWORD), ("", "")],
)
def test_login_with_bad_credentials_shows_an_error(client, username, password):
    UserFactory(email="ada@example.edu")
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()
    assert logged_in_id(client) is None


def test_inactive_user_cannot_log_in(client):
    UserFactory(email="ada@example.edu", is_active=False)
    response = client.post(
        reverse("accounts:login"), {"username": "ada@example.edu", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert logged_in_id(client) is None


def test_nav_for_a_signed_in_user(client):
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{reverse("accounts:profile")}">Profile</a>' in page
    assert f'action="{reverse("accounts:logout")}"' in page
    assert f'href="{reverse("accounts:login")}">Log in</a>' not in page


def test_logout_needs_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert logged_in_id(client) == user.pk


def test_logout(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain == [(reverse("portal:catalog"), 302)]
    assert logged_in_id(client) is None
    assert [str(m) for m in response.context["messages"]] == ["You are logged out."]


def test_client_login_still_works_without_a_request(client):
    """The throttling backend lets request-less authenticate() calls through to ModelBackend."""
    UserFactory(email="ada@example.edu")
    assert client.login(username="ada@example.edu", password=PASSWORD)
    assert not client.login(username="ada@example.edu", password="wrong")


# --- profile --------------------------------------------------------------------------------


def test_profile_needs_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={reverse('accounts:profile')}"


def test_profile_shows_the_current_values(client):
    user = UserFactory(full_name="Ada Lovelace", locale="de", time_zone="Europe/Berlin")
    client.force_login(user)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Ada Lovelace"' in page
    assert '<option value="de" selected>Deutsch</option>' in page
    assert '<optgroup label="Europe">' in page
    assert '<option value="Europe/Berlin" selected>Europe/Berlin</option>' in page
    assert f'href="{reverse("accounts:password-change")}"' in page


def test_profile_saves(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "  Grace Hopper ", "locale": "pt-br", "time_zone": "America/Sao_Paulo"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
    assert [str(m) for m in response.context["messages"]] == ["Profile saved."]
    user.refresh_from_db()
    assert (user.full_name, user.locale, user.time_zone) == (
        "Grace Hopper",
        "pt-br",
        "America/Sao_Paulo",
    )
    assert "Times are shown in <a" in response.content.decode()
    assert ">America/Sao_Paulo</a>." in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Choose a time zone from the list."),
        ({"time_zone": "localtime"}, "time_zone", "Choose a time zone from the list."),
        ({"time_zone": ""}, "time_zone", "This field is required."),
        ({"locale": "xx-evil"}, "locale", "Choose a language from the list."),
        ({"full_name": "   "}, "full_name", "This field is required."),
        ({"full_name": "x" * 256}, "full_name", None),
    ],
)
def test_profile_with_bad_input_changes_nothing(client, data, field, message):
    user = UserFactory(full_name="Ada Lovelace", locale="en", time_zone="Europe/Berlin")
    client.force_login(user)
    form = {"full_name": "Grace Hopper", "locale": "de", "time_zone": "Asia/Tokyo", **data}
    response = client.post(reverse("accounts:profile"), form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    user.refresh_from_db()
    assert (user.full_name, user.locale, user.time_zone) == ("Ada Lovelace", "en", "Europe/Berlin")


def test_profile_keeps_a_locale_outside_the_list(client):
    user = UserFactory(locale="sv")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Ada", "locale": "sv", "time_zone": "Europe/Stockholm"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.locale, user.time_zone) == ("sv", "Europe/Stockholm")


# --- password change ------------------------------------------------------------------------


def test_password_change_needs_login(client):
    response = client.get(reverse("accounts:password-change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:password-change")).status_code == 200
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
    assert [str(m) for m in response.context["messages"]] == ["Your password is changed."]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_id(client) == user.pk  # the session survives the change


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"old_password": "not-my-password"}, "old_password"),
        ({"new_password2": "something-else-entirely"}, "new_password2"),
        ({"new_password1": "short", "new_password2": "short"}, "new_password2"),
    ],
)
def test_password_change_with_bad_input_changes_nothing(client, data, field):
    user = UserFactory()
    client.force_login(user)
    form = {
        "old_password": PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
        **data,
    }
    response = client.post(reverse("accounts:password-change"), form)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
