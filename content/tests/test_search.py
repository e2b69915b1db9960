"""Search inside a course (content.search): each kind of text is found, in the course's
language, misspelt words too, and nothing a learner may not see."""

import pytest

from catalog.tests.factories import CourseFactory
from content.search import SearchTerms, course_item_hits, search_config
from content.services import content_item_create
from syllabus.services import course_root, module_create

pytestmark = pytest.mark.django_db


def video(*segments: tuple[float, str]) -> dict:
    return {
        "provider": "youtube",
        "video_id": "dQw4w9WgXcQ",
        "transcript": {
            "language": "en",
            "segments": [
                {"start": start, "end": start + 4, "text": text} for start, text in segments
            ],
        },
    }


def text(*paragraphs: str) -> dict:
    return {
        "layout": "rich_text_v1",
        "blocks": [{"type": "paragraph", "text": p} for p in paragraphs],
    }


def resources(*labels: str) -> dict:
    return {
        "resources": [
            {"label": label, "url": "https://example.edu/r.pdf", "kind": "pdf"} for label in labels
        ]
    }


@pytest.fixture
def course():
    course = CourseFactory(language_code="en")
    unit = module_create(
        course=course,
        parent=course_root(course=course),
        module_type="unit",
        title="Week 1",
        is_published=True,
    )
    add = lambda title, kind, data, **kw: content_item_create(  # noqa: E731
        module=unit, content_type=kind, title=title, data_json=data, **kw
    )
    add("Heat engines", "text", text("The Carnot cycle bounds every engine's efficiency."))
    add("Reading list", "resource", resources("Notes on thermodynamic equilibrium"))
    add(
        "Lecture one",
        "video",
        video((0, "Welcome to the lecture."), (83.6, "Entropy never decreases in isolation.")),
    )
    hidden = module_create(
        course=course,
        parent=course_root(course=course),
        module_type="unit",
        title="Drafts",
        is_published=False,
    )
    content_item_create(
        module=hidden,
        content_type="text",
        title="Secret exam answers",
        data_json=text("Carnot answers."),
    )
    add("Retired notes", "text", text("Old Carnot material."), is_active=False)
    content_item_create(
        module=hidden,
        content_type="video",
        title="Draft lecture",
        data_json=video((12, "Carnot, unpublished.")),
    )
    return course


def search(course, q: str, *, include_hidden: bool = False):
    return course_item_hits(
        course_id=course.pk,
        language_code=course.language_code,
        terms=SearchTerms.parse(q),
        include_hidden=include_hidden,
    )


def test_each_source_is_found(course):
    assert [h.title for h in search(course, "heat engines")] == ["Heat engines"]
    assert [h.title for h in search(course, "Carnot efficiency")] == ["Heat engines"]
    assert [h.title for h in search(course, "equilibrium")] == ["Reading list"]
    [hit] = search(course, "entropy")
    assert (hit.title, hit.content_type, hit.start_seconds) == ("Lecture one", "video", 83)
    assert str(hit.snippet) == "<mark>Entropy</mark> never decreases in isolation"


def test_hidden_and_inactive_items_are_not_found(course):
    assert [h.title for h in search(course, "carnot")] == ["Heat engines"]
    staff = sorted(h.title for h in search(course, "carnot", include_hidden=True))
    assert staff == ["Draft lecture", "Heat engines", "Retired notes", "Secret exam answers"]


def test_another_course_is_not_searched(course):
    other = CourseFactory(language_code="en")
    assert search(other, "carnot") == []


def test_german_course_stems_german_words():
    course = CourseFactory(language_code="de")
    unit = module_create(
        course=course,
        parent=course_root(course=course),
        module_type="unit",
        title="Woche 1",
        is_published=True,
    )
    content_item_create(
        module=unit, content_type="text", title="Statik", data_json=text("Die Brücke trägt.")
    )
    [hit] = search(course, "Brücken")
    assert hit.title == "Statik"
    assert str(hit.snippet) == "Statik\nDie <mark>Brücke</mark> trägt"


def test_misspelt_words_are_found_when_nothing_matches_exactly(course):
    [hit] = search(course, "thermodinamic")
    assert (hit.title, hit.fuzzy) == ("Reading list", True)
    assert "<mark>thermodynamic</mark>" in str(hit.snippet)


def test_markup_in_titles_stays_escaped(course):
    unit = module_create(
        course=course,
        parent=course_root(course=course),
        module_type="unit",
        title="Week 2",
        is_published=True,
    )
    content_item_create(
        module=unit,
        content_type="text",
        title="Rankine <script>alert(1)</script>",
        data_json=text("Steam & water."),
    )
    [hit] = search(course, "rankine")
    assert str(hit.snippet) == (
        "<mark>Rankine</mark> &lt;script&gt;alert(1)&lt;/script&gt;\nSteam &amp; water"
    )


@pytest.mark.parametrize(
    ("code", "config"),
    [
        ("en", "english"),
        ("de", "german"),
        ("pt-BR", "portuguese"),
        ("es", "spanish"),
        ("fr", "french"),
        ("ja", "simple"),
        ("", "simple"),
    ],
)
def test_course_language_picks_the_configuration(code, config):
    assert search_config(code) == config


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("   ", "Type a word or phrase to search this course for."),
        ("x" * 201, "That search is too long: use at most 200 characters."),
        ("?!-- ...", "Search for words or numbers: punctuation alone matches nothing."),
    ],
)
def test_unusable_queries_say_why_and_search_nothing(course, q, message):
    terms = SearchTerms.parse(q)
    assert (bool(terms), terms.problem) == (False, message)
    assert search(course, q) == []
