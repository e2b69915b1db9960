"""Re-running an offering: a new offering of the same course with the same staff, seats and
approval rule, its dates moved to the new term; no enrollments."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from catalog.models import CourseEnrollment, CourseOffering, CourseOfferingInstructor
from catalog.services.offerings import offering_rerun
from catalog.tests.tenants import Tenants, build_tenants

pytestmark = pytest.mark.django_db

FALL = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def tenants_with_a_fall_run() -> Tenants:
    """The tenants, offering a1 running in fall 2026 with 35 seats and approval."""
    tenants = build_tenants()
    CourseOffering.objects.filter(pk=tenants.offering_a1.pk).update(
        term_name="Fall 2026",
        starts_at=FALL,
        ends_at=FALL + timedelta(days=100),
        enrollment_start=FALL - timedelta(days=30),
        enrollment_end=FALL + timedelta(days=14),
        capacity=35,
        requires_approval=True,
        visibility="public",
    )
    tenants.offering_a1.refresh_from_db()
    return tenants


@pytest.fixture
def tenants(db, settings) -> Tenants:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tenants_with_a_fall_run()


def test_a_rerun_moves_every_date_by_the_same_amount_and_keeps_the_rules(tenants):
    spring = datetime(2027, 2, 1, 9, 30, tzinfo=UTC)
    rerun = offering_rerun(offering=tenants.offering_a1, starts_at=spring, term_name="Spring 2027")
    delta = spring - FALL
    assert (rerun.course_id, rerun.university_id, rerun.term_name) == (
        tenants.course_a1.pk,
        tenants.university_a.pk,
        "Spring 2027",
    )
    assert (rerun.starts_at, rerun.ends_at, rerun.enrollment_start, rerun.enrollment_end) == (
        spring,
        FALL + timedelta(days=100) + delta,
        FALL - timedelta(days=30) + delta,
        FALL + timedelta(days=14) + delta,
    )
    assert (rerun.capacity, rerun.requires_approval, rerun.visibility) == (35, True, "public")
    assert not CourseEnrollment.objects.filter(course_offering=rerun).exists()


def test_a_rerun_keeps_the_staff_and_only_what_each_could_do(tenants):
    rerun = offering_rerun(offering=tenants.offering_a1, starts_at=FALL + timedelta(days=150))
    staff = set(
        CourseOfferingInstructor.objects.filter(course_offering=rerun).values_list(
            "user__email", flat=True
        )
    )
    assert staff == {"instructor@example.edu", "ta@example.edu"}
    instructor, ta = tenants.user("instructor"), tenants.user("ta")
    assert instructor.has_perm("catalog.change_courseoffering", rerun)
    assert not ta.has_perm("catalog.change_courseoffering", rerun)
    assert rerun.term_name == "Fall 2026"


def test_a_rerun_needs_a_start_date_to_shift_from_and_writes_nothing(tenants):
    CourseOffering.objects.filter(pk=tenants.offering_a1.pk).update(starts_at=None)
    tenants.offering_a1.refresh_from_db()
    count = CourseOffering.objects.count()
    with pytest.raises(ValidationError) as error:
        offering_rerun(offering=tenants.offering_a1, starts_at=FALL)
    assert error.value.message_dict == {
        "starts_at": ["This offering has no start date to move the others by; give it one first."]
    }
    assert CourseOffering.objects.count() == count
