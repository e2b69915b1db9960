"""The accessibility basics on every page a learner opens, checked in the served HTML: the
document language, one h1, the landmarks (banner, navigation, main, contentinfo) with nothing
outside them but the skip link, a label for every form field, alt text on every image, a title
on every frame. Focus visibility and phone widths are looked at in the browser tests."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from assessments.tests import trees
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from content.selectors import outline_cache_clear
from content.tests.factories import AssetFactory
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LANDMARKS = {"header", "nav", "main", "footer"}
FIELDS = {"input", "select", "textarea"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}


class PageAudit(HTMLParser):
    """Collects what the checks below need in one pass over the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.h1 = 0
        self.landmarks: list[str] = []
        self.open: list[str] = []  # the element stack
        self.outside: list[str] = []  # visible elements of <body> outside every landmark
        self.label_for: set[str] = set()
        self.fields: list[dict] = []
        self.images: list[dict] = []
        self.frames: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag in LANDMARKS:
            self.landmarks.append(tag)
        elif tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        elif tag in FIELDS and attrs.get("type") not in UNLABELLED_INPUTS:
            self.fields.append({**attrs, "in_label": "label" in self.open})
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "iframe":
            self.frames.append(attrs)
        in_body = "body" in self.open
        if (
            in_body
            and tag not in {"script", "a"}
            and not LANDMARKS & {*self.open, tag}
            and "skip-link" not in (attrs.get("class") or "")
        ):
            self.outside.append(tag)
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def unlabelled(self) -> list[str]:
        return [
            field.get("name") or field.get("id") or "?"
            for field in self.fields
            if not (
                field["in_label"]
                or field.get("id") in self.label_for
                or field.get("aria-label")
                or field.get("aria-labelledby")
            )
        ]


def audit(client, url: str) -> PageAudit:
    response = client.get(url)
    assert response.status_code == 200, url
    page = PageAudit()
    page.feed(response.content.decode())
    return page


def assert_accessible(client, url: str) -> None:
    page = audit(client, url)
    assert page.lang, url
    assert page.h1 == 1, url
    assert {"header", "nav", "main", "footer"} <= set(page.landmarks), url
    assert page.landmarks.count("main") == 1, url
    assert page.outside == [], url
    assert page.unlabelled() == [], url
    assert [img.get("src") for img in page.images if img.get("alt") is None] == [], url
    assert [frame.get("src") for frame in page.frames if not frame.get("title")] == [], url


@pytest.fixture
def course():
    """One item of every type, the text with math, an asset image and a link list."""
    outline_cache_clear()
    offering = OfferingFactory()
    unit = trees.module(trees.root(offering.course), "Unit 1")
    image = AssetFactory(university=offering.university)
    text = {
        "layout": "rich_text_v1",
        "title": "Forces",
        "blocks": [
            {"type": "paragraph", "text": "Forces balance."},
            {"type": "math", "latex": r"\sum F_x = 0"},
            {"type": "image", "asset_id": image.pk, "caption": "A free-body diagram"},
            {"type": "link_list", "items": [{"label": "Notes", "url": "https://example.edu/"}]},
        ],
    }
    internal = {
        "provider": "internal",
        "url": "https://cdn.example.org/lectures/intro.mp4",
        "duration_seconds": 60,
        "transcript": {"language": "en", "segments": [{"start": 0, "end": 4, "text": "Hello."}]},
    }
    items = [
        trees.item(unit, "Lecture on YouTube", "video"),
        trees.item(unit, "Lecture on file", "video", data=internal),
        trees.item(unit, "Reading", "text", data=text),
        trees.item(unit, "Links", "resource"),
        trees.item(unit, "Homework", "assignment"),
        trees.item(unit, "Quiz", "quiz"),
        trees.item(unit, "Lab", "engineering_lab"),
    ]
    yield offering, items
    outline_cache_clear()


def test_pages_for_anonymous_visitors(client, course):
    offering, _items = course
    for url in (
        reverse("portal:catalog"),
        reverse("portal:catalog") + "?q=course&level=undergraduate&open_now=on",
        reverse("portal:course-detail", args=[offering.course_id]),
        reverse("accounts:login"),
        reverse("accounts:signup"),
        reverse("accounts:password-reset"),
    ):
        assert_accessible(client, url)


def test_pages_for_an_enrolled_student(client, course):
    offering, items = course
    client.force_login(EnrollmentFactory(course_offering=offering).user)
    urls = [
        reverse("portal:catalog"),
        reverse("portal:course-detail", args=[offering.course_id]),
        reverse("portal:dashboard"),
        reverse("portal:calendar"),
        reverse("portal:calendar") + "?view=agenda",
        reverse("portal:course-calendar", args=[offering.pk]),
        reverse("portal:outline", args=[offering.pk]),
        reverse("portal:drop", args=[offering.pk]),
        reverse("accounts:profile"),
        reverse("accounts:password-change"),
        reverse("portal:notifications"),
        reverse("portal:notification-preferences"),
    ]
    urls += [reverse("portal:item", args=[offering.pk, item.pk]) for item in items]
    for url in urls:
        assert_accessible(client, url)


def test_the_audit_finds_what_is_missing():
    page = PageAudit()
    page.feed(
        '<html><body><p>Loose</p><main><h1>A</h1><h1>B</h1><input name="q">'
        '<label>Wrapped <input name="ok"></label><img src="/x.png"><iframe src="/f"></iframe>'
        "</main></body></html>"
    )
    assert page.lang is None
    assert page.h1 == 2
    assert page.outside == ["p"]
    assert page.unlabelled() == ["q"]
    assert [img.get("alt") for img in page.images] == [None]
    assert page.frames == [{"src": "/f"}]


def test_signed_in_pages_keep_their_messages_inside_main(client, course):
    offering, _items = course
    client.force_login(UserFactory())
    response = client.post(reverse("portal:enroll", args=[offering.pk]), follow=True)
    page = PageAudit()
    page.feed(response.content.decode())
    assert "You are enrolled" in response.content.decode()
    assert page.outside == []
