"""The offering admin form refuses nonsense with a message on the field, and every change that
frees a seat moves the waitlist up, oldest first, through catalog.services.enrollment."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import CourseEnrollment, CourseOffering, EnrollmentStatus
from catalog.services.enrollment import enrollment_reject, enrollments_complete
from catalog.tests.factories import EnrollmentFactory
from catalog.tests.tenants import Tenants, build_tenants
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTIVE, WAITLISTED = EnrollmentStatus.ACTIVE, EnrollmentStatus.WAITLISTED


@pytest.fixture
def tenants(db, settings) -> Tenants:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()


def admin_client(tenants: Tenants, role: str = "university_admin") -> Client:
    client = Client()
    client.force_login(tenants.user(role))
    return client


def offering_data(offering: CourseOffering, **extra) -> dict:
    def split(value, name):
        local = timezone.localtime(value)
        return {f"{name}_0": local.strftime("%Y-%m-%d"), f"{name}_1": local.strftime("%H:%M:%S")}

    data = {
        "course": offering.course_id,
        "term_name": offering.term_name,
        "visibility": offering.visibility,
        "capacity": "" if offering.capacity is None else offering.capacity,
        **split(offering.starts_at, "starts_at"),
        **split(offering.ends_at, "ends_at"),
        **split(offering.enrollment_start, "enrollment_start"),
        **split(offering.enrollment_end, "enrollment_end"),
    }
    data.update(extra)
    return data


def change_url(offering: CourseOffering) -> str:
    return reverse("admin:catalog_courseoffering_change", args=[offering.pk])


def snapshot(offering: CourseOffering) -> tuple:
    row = CourseOffering.objects.get(pk=offering.pk)
    return (row.term_name, row.capacity, row.visibility, row.starts_at, row.ends_at)


CAPACITY_MESSAGE = "Give at least 1 seat, or leave capacity empty for unlimited seats."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("capacity", "0", CAPACITY_MESSAGE),
        ("capacity", "-5", CAPACITY_MESSAGE),
        (
            "visibility",
            "banana",
            "Select a valid choice. banana is not one of the available choices.",
        ),
    ],
)
def test_nonsense_in_the_offering_form_is_refused_on_its_field(tenants, field, value, message):
    offering = tenants.offering_a1
    before = snapshot(offering)
    response = admin_client(tenants).post(
        change_url(offering), offering_data(offering, **{field: value, "term_name": "Renamed"})
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {field: [message]}
    assert b"course_offerings_" not in response.content
    assert snapshot(offering) == before


def test_an_offering_ending_before_it_starts_is_refused_on_the_end(tenants):
    offering = tenants.offering_a1
    before = snapshot(offering)
    data = offering_data(offering)
    data.update(
        {
            "ends_at_0": (offering.starts_at - timedelta(days=2)).strftime("%Y-%m-%d"),
            "enrollment_end_0": (offering.enrollment_start - timedelta(days=2)).strftime(
                "%Y-%m-%d"
            ),
        }
    )
    response = admin_client(tenants).post(change_url(offering), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "ends_at": ["The offering cannot end before it starts."],
        "enrollment_end": ["Enrollment cannot close before it opens."],
    }
    assert b"is violated" not in response.content
    assert snapshot(offering) == before


def test_the_visibility_is_a_choice_of_the_allowed_values(tenants):
    page = admin_client(tenants).get(change_url(tenants.offering_a1))
    field = page.context["adminform"].form.fields["visibility"]
    assert [value for value, _label in field.choices] == ["public", "private"]


# Seats freed -> waitlist promoted -------------------------------------------------------------


def full_offering(tenants: Tenants, *, capacity: int, waitlisted: int) -> list[CourseEnrollment]:
    """Offering a1 with `capacity` seats, all taken, and `waitlisted` students queued (joined an
    hour apart, the oldest first); returns the queue, oldest first."""
    offering = tenants.offering_a1
    CourseOffering.objects.filter(pk=offering.pk).update(capacity=capacity)
    for _n in range(capacity - 1):  # tenants already enrolled one active student
        EnrollmentFactory(course_offering=offering, status=ACTIVE)
    start = timezone.now() - timedelta(days=3)
    queue = []
    for n in reversed(range(waitlisted)):  # the newest gets the lowest id: order by the time
        student = UserFactory(email=f"queued-{n}@example.edu")
        RoleFactory(user=student, university=offering.university, role=Role.STUDENT)
        queue.append(
            EnrollmentFactory(
                user=student,
                course_offering=offering,
                status=WAITLISTED,
                enrolled_at=start + timedelta(hours=n),
            )
        )
    return queue[::-1]


def statuses(rows: list[CourseEnrollment]) -> list[str]:
    return [CourseEnrollment.objects.get(pk=row.pk).status for row in rows]


def test_raising_the_capacity_in_the_admin_promotes_the_oldest_waitlisted(tenants):
    queue = full_offering(tenants, capacity=2, waitlisted=3)
    offering = CourseOffering.objects.get(pk=tenants.offering_a1.pk)
    response = admin_client(tenants).post(change_url(offering), offering_data(offering, capacity=4))
    assert response.status_code == 302
    assert statuses(queue) == [ACTIVE, ACTIVE, WAITLISTED]
    assert CourseOffering.objects.get(pk=offering.pk).capacity == 4


def test_making_the_capacity_unlimited_promotes_everyone(tenants):
    queue = full_offering(tenants, capacity=1, waitlisted=3)
    offering = CourseOffering.objects.get(pk=tenants.offering_a1.pk)
    response = admin_client(tenants).post(
        change_url(offering), offering_data(offering, capacity="")
    )
    assert response.status_code == 302
    assert statuses(queue) == [ACTIVE, ACTIVE, ACTIVE]


def test_lowering_the_capacity_promotes_nobody_and_demotes_nobody(tenants):
    queue = full_offering(tenants, capacity=3, waitlisted=2)
    offering = CourseOffering.objects.get(pk=tenants.offering_a1.pk)
    response = admin_client(tenants).post(change_url(offering), offering_data(offering, capacity=2))
    assert response.status_code == 302
    assert statuses(queue) == [WAITLISTED, WAITLISTED]
    assert offering.enrollments.filter(status=ACTIVE).count() == 3


def test_deleting_an_active_enrollment_in_the_admin_promotes_the_oldest(tenants):
    queue = full_offering(tenants, capacity=1, waitlisted=2)
    seat = tenants.enrollments["a1"]
    url = reverse("admin:catalog_courseenrollment_delete", args=[seat.pk])
    assert admin_client(tenants).post(url, {"post": "yes"}).status_code == 302
    assert not CourseEnrollment.objects.filter(pk=seat.pk).exists()
    assert statuses(queue) == [ACTIVE, WAITLISTED]


def test_deleting_enrollments_in_bulk_promotes_in_order(tenants):
    queue = full_offering(tenants, capacity=2, waitlisted=3)
    seats = list(tenants.offering_a1.enrollments.filter(status=ACTIVE))
    response = admin_client(tenants).post(
        reverse("admin:catalog_courseenrollment_changelist"),
        {"action": "delete_selected", "_selected_action": [s.pk for s in seats], "post": "yes"},
    )
    assert response.status_code == 302
    assert statuses(queue) == [ACTIVE, ACTIVE, WAITLISTED]


def test_dropping_an_enrollment_in_its_change_form_promotes_the_oldest(tenants):
    queue = full_offering(tenants, capacity=1, waitlisted=2)
    seat = tenants.enrollments["a1"]
    response = admin_client(tenants).post(
        reverse("admin:catalog_courseenrollment_change", args=[seat.pk]),
        {
            "user": seat.user_id,
            "course_offering": seat.course_offering_id,
            "status": "dropped",
            "enrolled_at_0": timezone.localtime(seat.enrolled_at).strftime("%Y-%m-%d"),
            "enrolled_at_1": timezone.localtime(seat.enrolled_at).strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert statuses([seat, *queue]) == ["dropped", ACTIVE, WAITLISTED]


def test_completing_enrollments_gives_their_seats_to_the_waitlist(tenants):
    queue = full_offering(tenants, capacity=1, waitlisted=2)
    seat = tenants.enrollments["a1"]
    assert enrollments_complete(offering_id=seat.course_offering_id, user_ids=[seat.user_id]) == 1
    assert statuses([seat, *queue]) == ["completed", ACTIVE, WAITLISTED]
    # Running it again changes nothing.
    assert enrollments_complete(offering_id=seat.course_offering_id, user_ids=[seat.user_id]) == 0
    assert statuses(queue) == [ACTIVE, WAITLISTED]


def test_rejecting_a_request_fills_a_seat_left_free(tenants):
    queue = full_offering(tenants, capacity=2, waitlisted=2)
    offering = tenants.offering_a1
    CourseOffering.objects.filter(pk=offering.pk).update(capacity=3, requires_approval=True)
    pending = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.PENDING)
    enrollment_reject(enrollment=pending, actor=tenants.user("university_admin"))
    assert statuses([pending, *queue]) == ["dropped", ACTIVE, WAITLISTED]
