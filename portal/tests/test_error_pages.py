"""Error pages with DEBUG off are the site's own: the header, what went wrong, a way back."""

import pytest
from django.urls import reverse

from tenancy.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("portal.tests.error_urls")]


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def assert_branded(response, status: int, heading: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert '<header class="site-header">' in page
    assert f'<h1 id="error-heading">{heading}</h1>' in page
    assert f"Error {status}" in page
    assert f'<a class="button" href="{reverse("portal:catalog")}">Back to the catalog</a>' in page
    return page


def test_a_missing_page_is_the_sites_404(client):
    response = client.get("/no/such/page/")

    page = assert_branded(response, 404, "Page not found")
    assert "There is nothing at this address" in page
    assert "My learning" not in page.split("</header>", 1)[1]


def test_signed_in_visitors_also_get_a_way_to_their_courses(client):
    client.force_login(UserFactory())

    page = assert_branded(client.get("/no/such/page/"), 404, "Page not found")

    assert f'href="{reverse("portal:dashboard")}">Go to My learning</a>' in page


def test_a_refusal_is_the_sites_403(client):
    page = assert_branded(client.get("/denied/"), 403, "Not allowed")

    assert "Your account may not do this." in page
    assert "Staff only." not in page


def test_a_crash_is_the_sites_500_without_details(client):
    client.raise_request_exception = False

    page = assert_branded(client.get("/broken/"), 500, "Something went wrong")

    assert "fault on our side" in page
    assert "on fire" not in page and "Traceback" not in page


def test_a_mistyped_certificate_code_says_no_certificate_has_it(client):
    for url in (
        reverse("portal:certificate-verify", args=["ABCD-1234-WXYZ"]),
        reverse("portal:certificate-pdf", args=["ABCD-1234-WXYZ"]),
    ):
        page = assert_branded(client.get(url), 404, "Certificate not found")
        assert "No certificate has the code ABCD-1234-WXYZ." in page


def test_too_many_failed_logins_is_the_sites_429(client, settings):
    settings.AXES_FAILURE_LIMIT = 1
    UserFactory(email="ada@example.edu")

    response = client.post(
        reverse("accounts:login"), {"username": "ada@example.edu", "password": "wrong"}
    )

    page = response.content.decode()
    assert response.status_code == 429
    assert '<header class="site-header">' in page
    assert f'href="{reverse("portal:catalog")}">Back to the catalog</a>' in page
