"""A person's name reaches a university's staff only through a role there: someone enrolled in
an offering of A (before self-enrollment granted a role, or whose role at A was revoked) who
holds no role at A is absent, by name and by email, from every list of people A's staff see,
while a learner holding a role at A is shown."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.grades.models import Certificate, CourseGrade
from catalog.models import CourseEnrollment, EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory, OfferingFactory, member_of
from community.models import PostReport
from community.tests.factories import PostFactory, ThreadFactory
from tenancy.models import Role, UserUniversityRole
from tenancy.tests.factories import UniversityFactory

pytestmark = pytest.mark.django_db

HIDDEN = ("Hidden Outsider", "hidden.outsider@b.example.edu")
SHOWN = ("Shown Learner", "shown.learner@a.example.edu")


def records_for(user, offering) -> None:
    """What staff lists show about a learner of `offering`."""
    CourseGrade.objects.create(
        user=user,
        course_offering=offering,
        final_score=Decimal("81.50"),
        letter_grade="B",
        passed=True,
        is_final=True,
    )
    Certificate.objects.create(
        user=user,
        course_offering=offering,
        certificate_code=f"code-{user.pk}",
        issued_at=timezone.now(),
    )
    thread = ThreadFactory(course_offering=offering, created_by_user=user, title=f"By {user.pk}")
    post = PostFactory(thread=thread, user=user)
    PostReport.objects.create(post=post, reporter=user, reason="spam")


@pytest.fixture
def world():
    offering = OfferingFactory()
    admin = member_of(offering.university, role=Role.UNIVERSITY_ADMIN)
    shown = member_of(offering.university, full_name=SHOWN[0], email=SHOWN[1])
    EnrollmentFactory(course_offering=offering, user=shown, status=EnrollmentStatus.COMPLETED)
    hidden = member_of(UniversityFactory(), full_name=HIDDEN[0], email=HIDDEN[1])
    CourseEnrollment.objects.create(
        user=hidden,
        course_offering=offering,
        status=EnrollmentStatus.COMPLETED,
        enrolled_at=timezone.now(),
    )
    assert not UserUniversityRole.objects.filter(user=hidden, university=offering.university)
    for person in (shown, hidden):
        records_for(person, offering)
    return offering, admin


LISTS = {
    "roster page": ("admin:catalog_courseoffering_roster", True),
    "roster export": ("admin:catalog_courseoffering_roster_export", True),
    "gradebook": ("admin:assessments_coursegrade_gradebook", True),
    "gradebook export": ("admin:assessments_coursegrade_gradebook_csv", True),
    "enrollment admin": ("admin:catalog_courseenrollment_changelist", False),
    "course grade admin": ("admin:assessments_coursegrade_changelist", False),
    "certificate admin": ("admin:assessments_certificate_changelist", False),
    "discussion thread admin": ("admin:community_discussionthread_changelist", False),
    "discussion post admin": ("admin:community_discussionpost_changelist", False),
    "post report admin": ("admin:community_postreport_changelist", False),
}


@pytest.mark.parametrize("name", LISTS)
def test_no_role_at_the_university_no_name_in_its_staff_lists(client, world, name):
    offering, admin = world
    url_name, per_offering = LISTS[name]
    client.force_login(admin)

    response = client.get(reverse(url_name, args=[offering.pk] if per_offering else []))

    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    assert SHOWN[0] in text or SHOWN[1] in text
    assert HIDDEN[0] not in text
    assert HIDDEN[1] not in text
