"""My teaching and the course home through the admin: who lands where, a 404 for another
university's staff on every tab, what a TA is offered, and queries that do not grow with the
number of offerings or learners."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.tests import trees
from assessments.tests.grading_data import submission
from catalog.models import CourseOfferingInstructor
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from catalog.tests.tenants import build_tenants
from staff.teaching.views import TABS
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
TAB_SLUGS = [slug for slug, _ in TABS]


@pytest.fixture
def tenants(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tab_url(offering, slug: str) -> str:
    return reverse("teaching:offering-tab", args=[offering.pk, slug])


shown_offerings = {
    "instructor": ["PHY101: Mechanics"],
    "ta": ["PHY101: Mechanics"],
    "department_admin": ["PHY101: Mechanics", "PHY101: Mechanics"],
    "university_admin": ["PHY101: Mechanics", "PHY101: Mechanics", "HIS101: Antiquity"],
}


def test_teaching_staff_land_on_my_teaching(tenants):
    """The admin's front page is their teaching, the rest of the admin listed below it."""
    for role in ("instructor", "ta", "department_admin", "university_admin"):
        response = client_for(tenants.users[role]).get(reverse("admin:index"))
        page = response.content.decode()
        assert response.status_code == 200
        assert page.count('class="teaching-card"') == len(shown_offerings[role]), role
        for code in shown_offerings[role]:
            assert f"{code}</a></h2>" in page
        assert "Everything in the admin" in page
        assert reverse("admin:catalog_courseenrollment_changelist") in page
    index = client_for(tenants.users["platform_admin"]).get(reverse("admin:index"))
    page = index.content.decode()
    assert index.status_code == 200
    assert 'class="teaching-card"' not in page
    assert f'href="{reverse("teaching:home")}"' in page


def test_anonymous_and_students_are_sent_to_the_login(tenants):
    for client in (Client(), client_for(tenants.users["student"])):
        response = client.get(reverse("teaching:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        response = client.get(tab_url(tenants.offering_a1, "grades"))
        assert response.status_code == 302


def test_my_teaching_shows_the_cards_and_menu(tenants):
    page = client_for(tenants.users["instructor"]).get(reverse("teaching:home")).content.decode()
    assert "PHY101: Mechanics" in page and "BIO101" not in page
    assert reverse("teaching:offering", args=[tenants.offering_a1.pk]) in page
    assert "My teaching" in page


@pytest.mark.parametrize("slug", TAB_SLUGS)
def test_every_tab_is_a_404_for_another_university(tenants, slug):
    for role in ("university_admin_b", "instructor_b"):
        response = client_for(tenants.users[role]).get(tab_url(tenants.offering_a1, slug))
        assert response.status_code == 404
    # The TA of a1 is not staff of its next run.
    response = client_for(tenants.users["ta"]).get(tab_url(tenants.offering_a1_next, slug))
    assert response.status_code == 404


@pytest.mark.parametrize("slug", TAB_SLUGS)
def test_every_tab_opens_for_its_staff(tenants, slug):
    for role in ("instructor", "ta", "department_admin", "university_admin", "platform_admin"):
        response = client_for(tenants.users[role]).get(tab_url(tenants.offering_a1, slug))
        assert response.status_code == 200, role


def test_unknown_tab_is_a_404(tenants):
    response = client_for(tenants.users["instructor"]).get(tab_url(tenants.offering_a1, "nope"))
    assert response.status_code == 404


def test_a_ta_is_offered_what_a_ta_may_do(tenants):
    offering = tenants.offering_a1
    ta = client_for(tenants.users["ta"])
    admin = client_for(tenants.users["department_admin"])
    roster = reverse("admin:catalog_courseoffering_roster", args=[offering.pk])
    change = reverse("admin:catalog_courseoffering_change", args=[offering.pk])
    ta_people = ta.get(tab_url(offering, "people")).content.decode()
    assert roster not in ta_people
    assert roster in admin.get(tab_url(offering, "people")).content.decode()
    ta_settings = ta.get(tab_url(offering, "settings")).content.decode()
    assert change in ta_settings and "View the offering" in ta_settings
    assert "Edit the offering" in admin.get(tab_url(offering, "settings")).content.decode()
    unit = trees.module(trees.root(tenants.course_a1), "Unit")
    lab = trees.item(unit, "Lab", "engineering_lab")
    waiting = submission(tenants.enrollments["a1"].user, offering, lab, None, status="submitted")
    to_grade = ta.get(tab_url(offering, "to-grade")).content.decode()
    assert reverse("admin:assessments_labsubmission_change", args=[waiting.pk]) in to_grade
    assert "waiting for a grade" in to_grade and ">Grade<" in to_grade


def _add_offerings(tenants, n: int) -> None:
    instructor = tenants.users["instructor"]
    for _ in range(n):
        offering = OfferingFactory(course=tenants.course_a1)
        CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
        learner = UserFactory()
        RoleFactory(user=learner, university=tenants.university_a, role=Role.STUDENT)
        EnrollmentFactory(user=learner, course_offering=offering)


def _add_learners(tenants, n: int) -> None:
    offering = tenants.offering_a1
    unit = trees.module(trees.root(tenants.course_a1), f"Unit {n}")
    lab = trees.item(unit, f"Lab {n}", "engineering_lab")
    for _ in range(n):
        learner = UserFactory()
        RoleFactory(user=learner, university=tenants.university_a, role=Role.STUDENT)
        EnrollmentFactory(user=learner, course_offering=offering)
        submission(learner, offering, lab, None, status="submitted")


# Every admin page: session and user (2), the user's roles and what they teach (3: offerings,
# guardian's user and group object permissions), the admin menu's permissions (2).
REQUEST_QUERIES = 8
# My teaching: the page's count and cards, the other list's count, the deadlines.
HOME_QUERIES = REQUEST_QUERIES + 4


@pytest.mark.parametrize("url_name", ["teaching:home", "admin:index"])
@pytest.mark.parametrize("extra", [2, 6])
def test_my_teaching_queries_do_not_grow(tenants, django_assert_num_queries, extra, url_name):
    _add_offerings(tenants, extra)
    client = client_for(tenants.users["instructor"])
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse(url_name))
    assert response.content.decode().count('class="teaching-card"') == 1 + extra


# Beyond the request's own and the offering (1).
TAB_QUERIES = {
    "outline": 1,
    "people": 3,  # counts, the page's count and rows (no waitlist: no query for places)
    # The gradebook's selectors as they are: the policy and items, the page of learners, the
    # policy again, their rows in a tuned transaction (6), the size.
    "grades": 11,
    "to-grade": 1,
    "discussions": 1,
    "settings": 3,  # the grading policy, and guardian's object permissions on the offering
    "analytics": 2,  # the enrollment summary, the average grade
}


@pytest.mark.parametrize("slug", TAB_SLUGS)
@pytest.mark.parametrize("learners", [3, 8])
def test_course_home_tab_queries_do_not_grow(tenants, django_assert_num_queries, slug, learners):
    _add_learners(tenants, learners)
    client = client_for(tenants.users["instructor"])
    with django_assert_num_queries(REQUEST_QUERIES + 1 + TAB_QUERIES[slug]):
        response = client.get(tab_url(tenants.offering_a1, slug))
    assert response.status_code == 200


def test_the_menu_names_things_as_staff_say_them(tenants):
    page = client_for(tenants.users["instructor"]).get(reverse("admin:index")).content.decode()
    for name in ("Progress on items", "Progress in modules", "Mastered quizzes"):
        assert f">{name}</a>" in page
    for table_name in ("Quiz masteries", "Content progress", "Module progress"):
        assert table_name not in page
    admin_page = client_for(tenants.users["university_admin"]).get(reverse("admin:index"))
    assert ">Teaching staff of offerings</a>" in admin_page.content.decode()


def test_the_admin_lists_a_tab_links_to_open_filtered_to_the_offering(tenants):
    client = client_for(tenants.users["instructor"])
    offering = tenants.offering_a1
    for slug, url_name in (
        ("people", "admin:catalog_courseenrollment_changelist"),
        ("people", "admin:assessments_accommodation_changelist"),
        ("settings", "admin:assessments_certificate_changelist"),
        ("settings", "admin:assessments_coursegrade_changelist"),
        ("discussions", "admin:community_discussionthread_changelist"),
    ):
        url = f"{reverse(url_name)}?course_offering__id__exact={offering.pk}"
        assert url.replace("&", "&amp;") in client.get(tab_url(offering, slug)).content.decode()
        response = client.get(url)
        assert response.status_code == 200, url_name
        assert "?e=1" not in response.get("Location", ""), url_name
    listed = client.get(
        f"{reverse('admin:catalog_courseenrollment_changelist')}"
        f"?course_offering__id__exact={offering.pk}"
    ).content.decode()
    assert "student-a1@example.edu" in listed
