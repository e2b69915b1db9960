"""The public catalog: what each visitor may see, its filters and bad input to them, pagination
and its query count."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Subject
from catalog.tests.factories import (
    CourseFactory,
    CourseSubjectFactory,
    EnrollmentFactory,
    OfferingFactory,
    SubjectFactory,
)
from content.tests.factories import CourseImageFactory
from portal.tests.catalog_views.support import CATALOG, titles
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_routes():
    assert reverse("portal:catalog") == CATALOG
    assert reverse("portal:course-detail", kwargs={"course_id": 7}) == "/courses/7/"


# The catalog -----------------------------------------------------------------------------------


def test_catalog_lists_what_anonymous_visitors_may_see(client):
    OfferingFactory(course=CourseFactory(title="Statics"))
    OfferingFactory(course=CourseFactory(title="Draft course", is_published=False))
    CourseFactory(title="Course without offering")
    OfferingFactory(course=CourseFactory(title="Private course"), visibility="private")

    response = client.get(CATALOG)
    assert response.status_code == 200
    assert titles(response) == ["Statics"]
    page = response.content.decode()
    assert "<h1>Catalog</h1>" in page
    assert re.search(r'<h2 id="results-heading" class="result-count">\s*1 course\s*</h2>', page)


def test_catalog_for_students_and_other_tenants_staff(client):
    private = OfferingFactory(course=CourseFactory(title="Private course"), visibility="private")
    OfferingFactory(course=CourseFactory(title="Public course"))
    member = RoleFactory(university=private.university, role=Role.STUDENT).user
    other_staff = RoleFactory(role=Role.UNIVERSITY_ADMIN).user

    client.force_login(member)
    assert titles(client.get(CATALOG)) == ["Private course", "Public course"]
    client.force_login(other_staff)
    assert titles(client.get(CATALOG)) == ["Public course"]


def test_filter_form_is_labelled_get_form(client):
    page = client.get(CATALOG).content.decode()
    assert '<form method="get" action="/" class="catalog-form" data-apply-on-change>' in page
    for name in ("q", "university", "country", "domain", "subject", "level", "language"):
        assert f'<label for="id_{name}">' in page
        assert f'id="id_{name}"' in page
    assert '<label for="id_open_now">Enrollment open now</label>' in page


def test_filters_by_subject_subtree_and_others(client):
    root = SubjectFactory(name="Engineering")
    child = SubjectFactory(name="Mechanics", parent=root)
    other = SubjectFactory(name="Biology")
    root, child = Subject.objects.get(pk=root.pk), Subject.objects.get(pk=child.pk)
    CourseSubjectFactory(
        course=OfferingFactory(course=CourseFactory(title="Dynamics")).course, subject=child
    )
    OfferingFactory(course=CourseFactory(title="Engineering design", primary_subject=root))
    CourseSubjectFactory(
        course=OfferingFactory(course=CourseFactory(title="Cells")).course, subject=other
    )
    closed = OfferingFactory(
        course=CourseFactory(title="Closed", level="graduate", language_code="de"),
        enrollment_end=timezone.now() - timedelta(days=1),
    )

    assert titles(client.get(CATALOG, {"subject": root.pk})) == ["Dynamics", "Engineering design"]
    assert titles(client.get(CATALOG, {"subject": child.pk})) == ["Dynamics"]
    assert titles(client.get(CATALOG, {"level": "graduate"})) == ["Closed"]
    assert titles(client.get(CATALOG, {"language": "de"})) == ["Closed"]
    assert titles(client.get(CATALOG, {"open_now": "on"})) == [
        "Cells",
        "Dynamics",
        "Engineering design",
    ]
    assert titles(client.get(CATALOG, {"university": closed.university_id})) == ["Closed"]
    assert titles(client.get(CATALOG, {"country": closed.university.country_id})) == ["Closed"]
    assert titles(client.get(CATALOG, {"domain": other.domain_id})) == ["Cells"]
    page = client.get(CATALOG, {"subject": root.pk}).content.decode()
    assert f'<option value="{root.pk}" selected>Engineering</option>' in page
    assert f'<option value="{child.pk}">\u2014\u00a0Mechanics</option>' in page


@pytest.mark.parametrize(
    "params",
    [
        {"university": "abc"},
        {"university": "99999999"},
        {"subject": "-1"},
        {"country": "1.5"},
        {"domain": "x"},
        {"level": "wizard"},
        {"language": "<script>"},
        {"open_now": "maybe"},
        {"page": "abc"},
        {"page": "99999999999999999999999"},
        {"page": "-4"},
        {"q": "x" * 5000},
        {"q": "'&|!:*()<->"},
        {"q": "thermo", "page": "0"},
    ],
)
def test_bad_input_never_breaks_the_catalog(client, params):
    OfferingFactory(course=CourseFactory(title="Thermodynamics"))
    response = client.get(CATALOG, params)
    assert response.status_code == 200


def test_a_search_holding_nul_is_refused_with_the_sites_400_page(client):
    OfferingFactory(course=CourseFactory(title="Thermodynamics"))
    response = client.get(CATALOG, {"q": "thermo\x00"})
    assert response.status_code == 400
    assert "Thermodynamics" not in response.content.decode()


def test_unknown_filter_value_is_reported_and_ignored(client):
    OfferingFactory(course=CourseFactory(title="Statics"))
    response = client.get(CATALOG, {"university": "abc"})
    assert titles(response) == ["Statics"]
    assert "Select a valid choice. abc is not one of the available choices." in (
        response.content.decode()
    )


def test_pagination_keeps_the_filters(client):
    for i in range(14):
        OfferingFactory(course=CourseFactory(title=f"Mechanics {i:02d}", level="graduate"))
    response = client.get(CATALOG, {"level": "graduate", "q": "mechanics"})
    page = response.content.decode()
    assert len(titles(response)) == 12
    assert 'href="?level=graduate&amp;q=mechanics&amp;page=2"' in page
    second = client.get(CATALOG, {"level": "graduate", "q": "mechanics", "page": 2})
    assert titles(second) == ["Mechanics 12", "Mechanics 13"]
    assert titles(client.get(CATALOG, {"page": 10**30})) == ["Mechanics 12", "Mechanics 13"]


# Query counts ----------------------------------------------------------------------------------


def rich_catalog():
    subjects = [SubjectFactory() for _ in range(3)]
    for i in range(4):
        course = CourseFactory(title=f"Thermal course {i}")
        for subject in subjects:
            CourseSubjectFactory(course=course, subject=subject)
        for _ in range(3):
            offering = OfferingFactory(course=course)
            EnrollmentFactory(course_offering=offering)
        if i:
            CourseImageFactory(course=course)


@pytest.mark.parametrize(
    ("params", "queries"),
    [({}, 8), ({"q": "thermal"}, 8), ({"q": "thermla", "level": "undergraduate"}, 9)],
)
def test_catalog_queries_do_not_grow(client, django_assert_num_queries, params, queries):
    rich_catalog()
    # Filter options (universities, subjects, languages), count, rows, subject tags, the
    # ratings of the courses on the page (from the reviews), their pictures (from the asset
    # library); a misspelling first counts what
    # its words match.
    with django_assert_num_queries(queries):
        assert client.get(CATALOG, params).status_code == 200
    client.force_login(UserFactory())
    # Plus the session, the user and the user's roles.
    with django_assert_num_queries(queries + 3):
        assert client.get(CATALOG, params).status_code == 200
