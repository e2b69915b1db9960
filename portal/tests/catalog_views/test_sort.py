"""The catalog's sort orders (relevance, start date, rating), bad input to them, the script that
applies a changed filter at once, and the query count of each order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.tests.factories import CourseFactory, OfferingFactory
from community.tests.factories import ReviewFactory
from portal.tests.catalog_views.support import CATALOG, titles

pytestmark = pytest.mark.django_db


def course(title: str, *, starts_in_days: int | None, ratings: tuple[int, ...] = ()):
    now = timezone.now()
    offering = OfferingFactory(
        course=CourseFactory(title=title, description=f"All about {title.lower()}."),
        starts_at=now + timedelta(days=starts_in_days) if starts_in_days is not None else None,
        ends_at=None,
    )
    for rating in ratings:
        ReviewFactory(course_offering=offering, rating=rating)
    return offering.course


@pytest.fixture
def courses():
    # Titles in A-Z order differ from both the start and the rating order.
    return [
        course("Acoustics", starts_in_days=30, ratings=(3, 4)),  # 3.5
        course("Beams", starts_in_days=None, ratings=(5,)),  # 5.0, one rating
        course("Circuits", starts_in_days=5),  # unrated
        course("Dynamics", starts_in_days=-3, ratings=(5, 5, 4, 5)),  # 4.8 (4.75 half up)
        course("Electronics", starts_in_days=12, ratings=(5, 5)),  # 5.0, two ratings
    ]


def test_default_and_relevance_without_search_list_by_title(client, courses):
    expected = ["Acoustics", "Beams", "Circuits", "Dynamics", "Electronics"]
    assert titles(client.get(CATALOG)) == expected
    assert titles(client.get(CATALOG, {"sort": "relevance"})) == expected


def test_sort_by_start_date_puts_the_next_start_first_and_courses_without_one_last(client, courses):
    response = client.get(CATALOG, {"sort": "start"})
    assert titles(response) == ["Dynamics", "Circuits", "Electronics", "Acoustics", "Beams"]


def test_sort_by_rating_follows_the_shown_average_then_the_number_of_ratings(client, courses):
    response = client.get(CATALOG, {"sort": "rating"})

    assert titles(response) == ["Electronics", "Beams", "Dynamics", "Acoustics", "Circuits"]
    cards = response.context["cards"]
    shown = [(rating.average, rating.count) for _result, rating, _image in cards]
    assert [str(a) if a is not None else None for a, _n in shown] == [
        "5.0",
        "5.0",
        "4.8",
        "3.5",
        None,
    ]


def test_a_hidden_review_does_not_count_in_the_rating_order(client, courses):
    beams = courses[1]
    ReviewFactory(course_offering=beams.offerings.get(), rating=1, is_hidden=True)
    ReviewFactory(course_offering=courses[2].offerings.get(), rating=5, is_hidden=True)

    response = client.get(CATALOG, {"sort": "rating"})

    assert titles(response) == ["Electronics", "Beams", "Dynamics", "Acoustics", "Circuits"]


def test_sorting_keeps_the_search_and_filters(client, courses):
    OfferingFactory(course=CourseFactory(title="Beams advanced", level="graduate"))
    response = client.get(CATALOG, {"q": "beams", "sort": "start"})
    assert titles(response) == ["Beams advanced", "Beams"]  # Beams has no start date
    narrowed = client.get(CATALOG, {"q": "beams", "level": "graduate", "sort": "rating"})
    assert titles(narrowed) == ["Beams advanced"]


def test_relevance_when_searching_is_the_search_ranking(client, courses):
    OfferingFactory(course=CourseFactory(title="Zeta", description="Electronics, electronics."))
    ranked = titles(client.get(CATALOG, {"q": "electronics"}))
    assert ranked[0] == "Electronics"
    assert set(ranked) == {"Electronics", "Zeta"}
    assert titles(client.get(CATALOG, {"q": "electronics", "sort": "relevance"})) == ranked


def test_an_unknown_sort_order_says_so_and_lists_by_the_default(client, courses):
    response = client.get(CATALOG, {"sort": "price"})

    assert response.status_code == 200
    assert titles(response) == ["Acoustics", "Beams", "Circuits", "Dynamics", "Electronics"]
    page = response.content.decode()
    assert "Choose an order from the list." in page


def test_the_sort_select_the_buttons_and_the_script_are_on_the_page(client):
    page = client.get(CATALOG, {"sort": "rating"}).content.decode()

    assert '<form method="get" action="/" class="catalog-form" data-apply-on-change>' in page
    assert '<label for="id_sort">Sort by</label>' in page
    assert '<option value="rating" selected>Rating</option>' in page
    assert '<option value="start">Start date</option>' in page
    assert "Apply filters</button>" in page
    assert ">Sort</button>" in page
    assert "js/catalog-filters.js" in page


@pytest.mark.parametrize(
    ("params", "queries"),
    [
        ({"sort": "start"}, 8),
        ({"sort": "rating"}, 8),
        ({"sort": "rating", "q": "dynamics"}, 8),
        ({"sort": "start", "q": "acoustcs"}, 9),
    ],
)
def test_each_sort_order_runs_the_same_queries_as_the_default(
    client, courses, django_assert_num_queries, params, queries
):
    # As test_catalog's pins: filter options (universities, subjects, languages), count, rows,
    # subject tags, the ratings and the pictures on the page; a misspelling first counts what
    # its words match.
    with django_assert_num_queries(queries):
        assert client.get(CATALOG, params).status_code == 200
