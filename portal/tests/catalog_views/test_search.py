"""Catalog search: words from the description, accents and case, prefixes and misspellings, stop
words, escaping."""

import pytest

from catalog.tests.factories import CourseFactory, OfferingFactory
from portal.tests.catalog_views.support import CATALOG, titles

pytestmark = pytest.mark.django_db


# Search ----------------------------------------------------------------------------------------


@pytest.fixture
def searchable():
    thermo = OfferingFactory(
        course=CourseFactory(
            title="Thermodynamique appliquée",
            code="PH210",
            description="Les cycles de Carnot et l'entropie des gaz parfaits.",
        )
    ).course
    heat = OfferingFactory(
        course=CourseFactory(
            title="Heat Transfer",
            code="ME310",
            description="Conduction, convection and radiation in heat exchangers.",
        )
    ).course
    OfferingFactory(
        course=CourseFactory(
            title="Engineering Thermodynamics",
            code="ME201",
            description="Energy, work and the laws that bind them.",
        )
    )
    return thermo, heat


def test_search_by_a_word_from_the_description(client, searchable):
    response = client.get(CATALOG, {"q": "convection"})
    assert titles(response) == ["Heat Transfer"]
    assert "<mark>convection</mark>" in response.content.decode()


def test_search_is_accent_and_case_insensitive(client, searchable):
    for q in ("Thermodynamique", "thermodynamique", "THERMODYNAMIQUE", "appliquee", "entropie"):
        assert titles(client.get(CATALOG, {"q": q})) == ["Thermodynamique appliquée"], q


def test_search_by_prefix_and_misspelling(client, searchable):
    response = client.get(CATALOG, {"q": "thermo"})
    assert titles(response) == ["Engineering Thermodynamics", "Thermodynamique appliquée"]
    page = response.content.decode()
    assert "<mark>Thermodynamique</mark> appliquée" in page
    assert "Engineering <mark>Thermodynamics</mark>" in page
    assert "these come close" not in page

    response = client.get(CATALOG, {"q": "thermodinamics"})
    assert titles(response) == ["Engineering Thermodynamics"]
    page = response.content.decode()
    assert "No course contains “thermodinamics”; these come close." in page
    assert "Engineering <mark>Thermodynamics</mark>" in page


def test_stop_words_alone_find_nothing(client, searchable):
    response = client.get(CATALOG, {"q": "the"})
    assert response.status_code == 200
    assert titles(response) == []


def test_user_text_is_escaped_and_only_marks_are_markup(client):
    OfferingFactory(
        course=CourseFactory(
            title="<script>alert('x')</script> Thermal systems",
            description="<img src=x onerror=alert(1)> thermal <b>bold</b>",
        )
    )
    for params in ({"q": "thermal"}, {}):
        page = client.get(CATALOG, params).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    page = client.get(CATALOG, {"q": "thermal"}).content.decode()
    assert "&lt;/script&gt; <mark>Thermal</mark> systems" in page
    # ts_headline leaves tags out of excerpts; what it keeps is escaped.
    assert "onerror=alert(1)&gt; <mark>thermal</mark>" in page
    query = client.get(CATALOG, {"q": "<b>thermal</b>"}).content.decode()
    assert "&lt;b&gt;thermal&lt;/b&gt;" in query


def test_no_match(client, searchable):
    page = client.get(CATALOG, {"q": "zebra"}).content.decode()
    assert "0 courses match “zebra”" in page
    assert "No course matches." in page
