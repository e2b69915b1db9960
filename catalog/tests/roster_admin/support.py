"""What the roster admin page tests share: enrollment statuses, admin URLs, and helpers that make
enrollments, upload a CSV and read the roster back."""

import io

from django.urls import reverse

from catalog.models import CourseEnrollment, EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory, member_of
from tenancy.tests.factories import UserFactory

ACTIVE = EnrollmentStatus.ACTIVE
WAITLISTED = EnrollmentStatus.WAITLISTED


def url(name, *args):
    return reverse(f"admin:catalog_courseoffering_{name}", args=args)


def enroll(offering, status, **user):
    return EnrollmentFactory(course_offering=offering, status=status, user=UserFactory(**user))


def statuses(offering) -> dict[str, str]:
    return dict(
        CourseEnrollment.objects.filter(course_offering=offering).values_list(
            "user__email", "status"
        )
    )


def snapshot():
    return list(CourseEnrollment.objects.order_by("pk").values_list("pk", "status", "enrolled_at"))


def upload(client, offering, text: str | bytes, name="roster.csv"):
    data = text.encode() if isinstance(text, str) else text
    file = io.BytesIO(data)
    file.name = name
    return client.post(url("roster_enroll", offering.pk), {"file": file})


def member(offering, **user):
    return member_of(offering.university, **user)


def _message(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])
