"""Security headers on every kind of page: a Content-Security-Policy with a fresh nonce per
response, Referrer-Policy and Permissions-Policy; and the rendered HTML of the learner and
authoring pages holds nothing the policy would block (a script without src or the response's
nonce, a style attribute or element, an event-handler attribute, a javascript: address)."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from content.models import ContentType
from lms.tests.test_production_settings import manage, read_setting
from tests.input_world import InputWorld

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{22})'")
EMBEDS = '"https://www.youtube-nocookie.com" "https://player.vimeo.com"'


@dataclass(frozen=True)
class Page:
    role: str | None  # who is signed in (an InputWorld user), None for anonymous
    url: Callable[[InputWorld], str]


def _offering(name: str, **extra: Callable[[InputWorld], int]) -> Callable[[InputWorld], str]:
    def url(world: InputWorld) -> str:
        kwargs = {"offering_id": world.offering.pk} | {k: f(world) for k, f in extra.items()}
        return reverse(f"portal:{name}", kwargs=kwargs)

    return url


def _item(kind: str) -> Callable[[InputWorld], str]:
    return _offering("item", item_id=lambda w: w.items[kind].pk)


def _admin(name: str, arg: Callable[[InputWorld], int] | None = None):
    return lambda w: reverse(f"admin:{name}", args=[arg(w)] if arg else [])


LEARNER_PAGES = {
    "catalog": Page(None, lambda w: reverse("portal:catalog")),
    "catalog-search": Page("student", lambda w: reverse("portal:catalog") + "?q=heat"),
    "course": Page(None, lambda w: reverse("portal:course-detail", args=[w.offering.course_id])),
    "login": Page(None, lambda w: reverse("accounts:login")),
    "signup": Page(None, lambda w: reverse("accounts:signup")),
    "password-reset": Page(None, lambda w: reverse("accounts:password-reset")),
    "password-reset-sent": Page(None, lambda w: reverse("accounts:password-reset-done")),
    "dashboard": Page("student", lambda w: reverse("portal:dashboard")),
    "profile": Page("student", lambda w: reverse("accounts:profile")),
    "password-change": Page("student", lambda w: reverse("accounts:password-change")),
    "outline": Page("student", _offering("outline")),
    "grades": Page("student", _offering("grades")),
    **{f"item-{kind}": Page("student", _item(kind)) for kind in ContentType.values},
    "quiz-attempt": Page(
        "student",
        lambda w: reverse(
            "portal:quiz-attempt",
            kwargs={
                "offering_id": w.attempt.course_offering_id,
                "item_id": w.attempt.content_item_id,
                "attempt_id": w.attempt.pk,
            },
        ),
    ),
    "quiz-overview": Page(
        "student", _offering("quiz", item_id=lambda w: w.attempt.content_item_id)
    ),
    "drop-confirm": Page("student", _offering("drop")),
    "discussions": Page("student", _offering("discussions")),
    "thread-create": Page("student", _offering("thread-create")),
    "post-report": Page(
        "student",
        _offering("post-report", thread_id=lambda w: w.thread.pk, post_id=lambda w: w.post.pk),
    ),
    "thread": Page("student", _offering("thread", thread_id=lambda w: w.thread.pk)),
    "reviews": Page(
        "student", lambda w: reverse("portal:course-reviews", args=[w.completed.course_id])
    ),
    "certificate": Page(
        None, lambda w: reverse("portal:certificate-verify", args=[w.certificate_code])
    ),
}
AUTHORING_PAGES = {
    "admin-login": Page(None, lambda w: reverse("admin:login")),
    "admin-index": Page("instructor", _admin("index")),
    "module-tree": Page(
        "instructor", _admin("syllabus_module_tree", lambda w: w.offering.course_id)
    ),
    "module-changelist": Page("instructor", _admin("syllabus_module_changelist")),
    "item-changelist": Page("instructor", _admin("content_contentitem_changelist")),
    **{
        f"change-{kind}": Page(
            "instructor", _admin("content_contentitem_change", lambda w, k=kind: w.items[k].pk)
        )
        for kind in ContentType.values
    },
    "item-preview": Page(
        "instructor",
        _admin("content_contentitem_preview", lambda w: w.items[ContentType.VIDEO].pk),
    ),
    "module-preview": Page(
        "instructor",
        _admin("syllabus_module_preview", lambda w: w.items[ContentType.TEXT].module_id),
    ),
    "gradebook": Page(
        "instructor", _admin("assessments_coursegrade_gradebook", lambda w: w.offering.pk)
    ),
    "roster": Page(
        "university_admin", _admin("catalog_courseoffering_roster", lambda w: w.offering.pk)
    ),
    "roles": Page(
        "university_admin", _admin("catalog_courseoffering_roles", lambda w: w.university.pk)
    ),
    "subjects": Page("platform_admin", _admin("catalog_subject_changelist")),
    "course-change": Page(
        "university_admin", _admin("catalog_course_change", lambda w: w.offering.course_id)
    ),
    "offering-change": Page(
        "university_admin", _admin("catalog_courseoffering_change", lambda w: w.offering.pk)
    ),
}


class InlineCode(HTMLParser):
    """What in a page the policy would refuse to run or apply."""

    def __init__(self, nonce: str) -> None:
        super().__init__()
        self.nonce = nonce
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and "src" not in values and values.get("nonce") != self.nonce:
            self.found.append(f"<script> without src or this response's nonce: {attrs}")
        if tag == "script" and "nonce" in values and values["nonce"] != self.nonce:
            self.found.append(f"<script> with another nonce: {attrs}")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"style attribute on <{tag}>: {value}")
            elif name.startswith("on"):
                self.found.append(f"{name} attribute on <{tag}>")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"javascript: address on <{tag}>")


def fetch(client, world: InputWorld, page: Page):
    if page.role:
        client.force_login(world.user(page.role))
    url = page.url(world)
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    # Followed redirects stay on the page asked for (the quiz item opens the quiz page), never
    # end on a login form.
    assert response.wsgi_request.path == url or "login" not in response.wsgi_request.path, url
    return response


def nonce_of(response) -> str:
    found = NONCE.search(response["Content-Security-Policy"])
    assert found, response["Content-Security-Policy"]
    return found.group(1)


def assert_headers(response) -> None:
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy.split("; "), (directive, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["Referrer-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"].split(", ")
    for denied in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{denied}=()" in permissions
    assert f"fullscreen=(self {EMBEDS})" in permissions


def assert_no_inline_code(response) -> None:
    parser = InlineCode(nonce_of(response))
    parser.feed(response.content.decode())
    assert parser.found == []


@pytest.mark.parametrize("name", list(LEARNER_PAGES))
def test_learner_pages_carry_the_headers_and_no_inline_code(client, input_world, name):
    response = fetch(client, input_world, LEARNER_PAGES[name])

    assert_headers(response)
    assert_no_inline_code(response)


@pytest.mark.parametrize("name", list(AUTHORING_PAGES))
def test_authoring_pages_carry_the_headers_and_no_inline_code(client, input_world, name):
    response = fetch(client, input_world, AUTHORING_PAGES[name])

    assert_headers(response)
    assert_no_inline_code(response)


def test_each_response_has_a_nonce_of_its_own(client, input_world):
    pages = [LEARNER_PAGES["item-video"], LEARNER_PAGES["item-video"], AUTHORING_PAGES["roster"]]

    nonces = [nonce_of(fetch(client, input_world, page)) for page in pages]

    assert len(set(nonces)) == 3


def test_the_nonce_on_a_page_script_is_the_one_in_the_header(client, input_world):
    response = fetch(client, input_world, LEARNER_PAGES["item-video"])

    assert f'src="/static/js/player.js" nonce="{nonce_of(response)}"' in response.content.decode()


def test_the_404_page_carries_the_headers(client, input_world):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_headers(response)
    assert_no_inline_code(response)


def test_the_403_page_carries_the_headers(client, input_world):
    client.force_login(input_world.student)  # a student may not lock a thread

    response = client.post(
        reverse("portal:thread-lock", args=[input_world.offering.pk, input_world.thread.pk])
    )

    assert response.status_code == 403
    assert_headers(response)
    assert_no_inline_code(response)


def test_a_json_answer_carries_the_policy_without_a_nonce(client, input_world):
    client.force_login(input_world.instructor)

    response = client.post(
        reverse("admin:content_contentitem_math_preview"), {"latex": "x^2", "display": "false"}
    )

    assert response.status_code == 200
    assert "'nonce-" not in response["Content-Security-Policy"]
    assert "script-src 'self';" in response["Content-Security-Policy"]


def test_a_bucket_behind_an_endpoint_is_allowed_by_both_its_addresses(monkeypatch):
    from lms import security_headers

    monkeypatch.setenv("S3_BUCKET", "lms-uploads")
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://s3.example.edu")

    assert security_headers.csp_bucket_origins() == [
        "https://s3.example.edu",
        "https://lms-uploads.s3.example.edu",
    ]


def test_an_amazon_bucket_is_allowed_by_its_own_addresses(monkeypatch):
    from lms import security_headers

    monkeypatch.setenv("S3_BUCKET", "lms-uploads")
    monkeypatch.delenv("S3_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("S3_REGION", "eu-central-1")

    assert security_headers.csp_bucket_origins() == [
        "https://lms-uploads.s3.amazonaws.com",
        "https://lms-uploads.s3.eu-central-1.amazonaws.com",
    ]


def test_origins_and_schemes_are_taken_as_they_are():
    from lms import security_headers

    values = ["https://cdn.example.edu", "blob:"]

    assert security_headers.csp_origins("CSP_EXTRA_MEDIA_ORIGINS", values) == values


@pytest.mark.parametrize("value", ["cdn.example.edu", "'unsafe-inline'"])
def test_an_extra_origin_without_a_scheme_stops_the_start_with_a_clear_message(value):
    from lms import security_headers

    with pytest.raises(ImproperlyConfigured, match="give origins such as https://cdn"):
        security_headers.csp_origins("CSP_EXTRA_MEDIA_ORIGINS", ["https://ok.example.edu", value])


def test_report_only_sends_the_same_policy_without_enforcing_it():
    enforced = read_setting("SECURE_CSP", CSP_REPORT_ONLY="true")
    reported = read_setting("SECURE_CSP_REPORT_ONLY", CSP_REPORT_ONLY="true")

    assert enforced == "{}"
    assert "'frame-ancestors': [<CSP.NONE: \"'none'\">]" in reported


def test_extra_media_origins_reach_the_image_and_media_sources():
    policy = read_setting("SECURE_CSP", CSP_EXTRA_MEDIA_ORIGINS="https://cdn.example.edu")

    assert "'img-src': [<CSP.SELF: \"'self'\">, 'data:', 'https://cdn.example.edu']" in policy
    assert "'media-src': [<CSP.SELF: \"'self'\">, 'https://cdn.example.edu']" in policy


def test_a_start_with_a_bad_extra_origin_stops_with_the_message():
    result = manage("check", CSP_EXTRA_FRAME_ORIGINS="player.example.edu")

    assert result.returncode != 0
    assert "CSP_EXTRA_FRAME_ORIGINS holds 'player.example.edu'" in result.stderr
