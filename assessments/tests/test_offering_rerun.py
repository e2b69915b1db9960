"""A new offering from an existing one, from the offering's admin page or the list's action:
dates moved to the new term, the staff, seats, approval rule and grading policy kept; other
tenants and teachers are refused and nothing is created."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from assessments.copying import offering_rerun_with_grading
from assessments.grades.models import GradingPolicy
from catalog.models import CourseEnrollment, CourseOffering, CourseOfferingInstructor
from catalog.tests.tenants import Tenants
from catalog.tests.test_rerun import FALL, tenants_with_a_fall_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants(db, settings) -> Tenants:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    tenants = tenants_with_a_fall_run()
    GradingPolicy.objects.create(
        course_offering=tenants.offering_a1,
        weight_quizzes=Decimal(50),
        weight_labs=Decimal(30),
        weight_assignments=Decimal(20),
        drop_lowest_quizzes=1,
        pass_threshold=Decimal(65),
        letter_scheme=[{"letter": "P", "min": 65}, {"letter": "F", "min": 0}],
    )
    return tenants


POLICY_FIELDS = (
    "weight_quizzes",
    "weight_labs",
    "weight_assignments",
    "drop_lowest_quizzes",
    "pass_threshold",
    "letter_scheme",
)


def policy_of(offering) -> tuple:
    policy = GradingPolicy.objects.get(course_offering=offering)
    return tuple(getattr(policy, f) for f in POLICY_FIELDS)


def test_a_rerun_carries_the_grading_policy(tenants):
    rerun = offering_rerun_with_grading(
        offering=tenants.offering_a1, starts_at=FALL + timedelta(days=150), term_name="Spring"
    )
    assert policy_of(rerun) == policy_of(tenants.offering_a1)
    assert policy_of(rerun) == (
        50,
        30,
        20,
        1,
        65,
        [{"letter": "P", "min": 65}, {"letter": "F", "min": 0}],
    )


def test_a_university_admin_reruns_an_offering_from_its_page(client, tenants):
    client.force_login(tenants.user("university_admin"))
    change = client.get(
        reverse("admin:catalog_courseoffering_change", args=[tenants.offering_a1.pk])
    )
    url = reverse("admin:catalog_courseoffering_rerun", args=[tenants.offering_a1.pk])
    assert url in change.content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, {"starts_at": "2027-02-01T09:00", "term_name": "Spring 2027"})
    rerun = CourseOffering.objects.get(term_name="Spring 2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalog_courseoffering_change", args=[rerun.pk])
    start = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
    assert (rerun.starts_at, rerun.ends_at, rerun.capacity, rerun.requires_approval) == (
        start,
        start + timedelta(days=100),
        35,
        True,
    )
    assert policy_of(rerun) == policy_of(tenants.offering_a1)
    assert sorted(
        CourseOfferingInstructor.objects.filter(course_offering=rerun).values_list(
            "user__email", flat=True
        )
    ) == ["instructor@example.edu", "ta@example.edu"]
    assert not CourseEnrollment.objects.filter(course_offering=rerun).exists()


def test_the_list_action_opens_the_rerun_page_for_one_offering(client, tenants):
    client.force_login(tenants.user("university_admin"))
    changelist = reverse("admin:catalog_courseoffering_changelist")
    response = client.post(
        changelist, {"action": "rerun_offering", ACTION_CHECKBOX_NAME: [tenants.offering_a1.pk]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:catalog_courseoffering_rerun", args=[tenants.offering_a1.pk]
    )
    count = CourseOffering.objects.count()
    response = client.post(
        changelist,
        {
            "action": "rerun_offering",
            ACTION_CHECKBOX_NAME: [tenants.offering_a1.pk, tenants.offering_a2.pk],
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(changelist)
    assert CourseOffering.objects.count() == count


def test_bad_dates_are_field_errors_and_create_nothing(client, tenants):
    client.force_login(tenants.user("university_admin"))
    url = reverse("admin:catalog_courseoffering_rerun", args=[tenants.offering_a1.pk])
    count = CourseOffering.objects.count()
    response = client.post(url, {"starts_at": "next spring", "term_name": "Spring"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"starts_at": ["Enter a valid date/time."]}
    CourseOffering.objects.filter(pk=tenants.offering_a1.pk).update(starts_at=None, ends_at=None)
    response = client.post(url, {"starts_at": "2027-02-01T09:00", "term_name": "Spring"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "starts_at": ["This offering has no start date to move the others by; give it one first."]
    }
    assert CourseOffering.objects.count() == count


@pytest.mark.parametrize(("role", "status"), [("university_admin_b", 404), ("instructor_b", 404)])
def test_another_universitys_staff_get_a_404_and_nothing_is_created(client, tenants, role, status):
    client.force_login(tenants.user(role))
    url = reverse("admin:catalog_courseoffering_rerun", args=[tenants.offering_a1.pk])
    count = CourseOffering.objects.count()
    assert client.get(url).status_code == status
    assert client.post(url, {"starts_at": "2027-02-01T09:00"}).status_code == status
    assert CourseOffering.objects.count() == count


@pytest.mark.parametrize("role", ["instructor", "ta"])
def test_teachers_may_not_create_offerings(client, tenants, role):
    client.force_login(tenants.user(role))
    url = reverse("admin:catalog_courseoffering_rerun", args=[tenants.offering_a1.pk])
    count = CourseOffering.objects.count()
    assert client.post(url, {"starts_at": "2027-02-01T09:00"}).status_code == 403
    assert CourseOffering.objects.count() == count
