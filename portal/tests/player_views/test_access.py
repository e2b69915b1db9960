"""Who may open the player pages: enrolled students, staff of the course, and everyone else
refused."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.progress.models import UserContentProgress, UserModuleProgress
from assessments.tests import trees
from catalog.models import CourseOfferingInstructor, EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from portal.tests.player_views.support import html, item_url, outline_url
from portal.views.player import course_page_url
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UniversityFactory, UserFactory

pytestmark = pytest.mark.django_db


def assert_sent_to_course_page(response, offering):
    assert response.status_code == 302
    assert response.url == course_page_url(offering.course_id)
    assert {str(m) for m in get_messages(response.wsgi_request)} == {"Enroll to open this course."}


def outsiders(offering):
    """Users who may not learn in the offering, one per reason."""
    other_university = UniversityFactory()
    other_admin = RoleFactory(university=other_university, role=Role.UNIVERSITY_ADMIN).user
    other_department_admin = RoleFactory(
        university=offering.university,
        role=Role.DEPARTMENT_ADMIN,
        department=CourseFactory(university=offering.university).department,
    ).user
    own_university_instructor = RoleFactory(
        university=offering.university, role=Role.INSTRUCTOR
    ).user
    waitlisted = EnrollmentFactory(
        course_offering=offering, status=EnrollmentStatus.WAITLISTED
    ).user
    pending = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.PENDING).user
    dropped = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.DROPPED).user
    other_offering = EnrollmentFactory(course_offering=OfferingFactory(course=offering.course)).user
    return {
        "not enrolled": UserFactory(),
        "other tenant's admin": other_admin,
        "admin of another department": other_department_admin,
        "instructor not teaching this offering": own_university_instructor,
        "waitlisted": waitlisted,
        "pending": pending,
        "dropped": dropped,
        "enrolled in another offering": other_offering,
    }


# Access ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, offering, items):
    for url in (
        outline_url(offering),
        item_url(offering, items["text"]),
        item_url(offering, items["video"], "portal:item-captions"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?next={url}"
    response = client.post(item_url(offering, items["text"], "portal:item-complete"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert UserContentProgress.objects.count() == 0


def test_everyone_without_a_learning_enrollment_or_staff_role_goes_to_the_course_page(
    client, offering, items
):
    for reason, user in outsiders(offering).items():
        client.force_login(user)
        for url in (
            outline_url(offering),
            item_url(offering, items["text"]),
            item_url(offering, items["video"], "portal:item-captions"),
        ):
            response = client.get(url)
            assert response.status_code == 302, reason
            assert_sent_to_course_page(response, offering)
        response = client.post(item_url(offering, items["text"], "portal:item-complete"))
        assert_sent_to_course_page(response, offering)
        response = client.post(
            item_url(offering, items["video"], "portal:item-progress"), {"percent": "95"}
        )
        assert_sent_to_course_page(response, offering)
    assert UserContentProgress.objects.count() == 0
    assert UserModuleProgress.objects.count() == 0


def test_missing_offering_and_draft_course_of_strangers_are_404_alike(client, offering):
    client.force_login(UserFactory())
    missing = reverse("portal:outline", kwargs={"offering_id": offering.pk + 1000})
    assert client.get(missing).status_code == 404
    offering.course.is_published = False
    offering.course.save()
    assert client.get(outline_url(offering)).status_code == 404


@pytest.mark.parametrize("role", ["instructor", "university_admin", "department_admin", "platform"])
def test_own_staff_see_the_player_including_hidden_content(client, offering, items, role):
    if role == "instructor":
        user = UserFactory()
        CourseOfferingInstructor.objects.create(course_offering=offering, user=user)
    elif role == "university_admin":
        user = RoleFactory(university=offering.university, role=Role.UNIVERSITY_ADMIN).user
    elif role == "department_admin":
        user = RoleFactory(
            university=offering.university,
            role=Role.DEPARTMENT_ADMIN,
            department=offering.course.department,
        ).user
    else:
        user = RoleFactory(university=UniversityFactory(), role=Role.PLATFORM_ADMIN).user
    client.force_login(user)
    page = html(client.get(outline_url(offering)))
    assert "Secret reading" in page
    assert "Hidden quiz" in page
    assert "Old draft" in page
    assert "Unpublished" in page and "Inactive" in page
    response = client.get(item_url(offering, items["hidden_quiz"]))
    assert response.status_code == 200
    assert "Students cannot see this item" in html(response)
    assert client.get(item_url(offering, items["text"])).status_code == 200
    assert UserContentProgress.objects.count() == 0
    assert UserModuleProgress.objects.count() == 0


def test_staff_actions_record_nothing(client, offering, items, instructor):
    client.force_login(instructor)
    response = client.post(item_url(offering, items["text"], "portal:item-complete"))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Progress is not recorded for course staff."
    ]
    response = client.post(
        item_url(offering, items["video"], "portal:item-progress"), {"percent": "95"}
    )
    assert response.json() == {"recorded": False}
    assert UserContentProgress.objects.count() == 0
    assert UserModuleProgress.objects.count() == 0


def test_completed_enrollment_still_opens_the_player(client, offering, items):
    user = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.COMPLETED).user
    client.force_login(user)
    assert client.get(outline_url(offering)).status_code == 200
    assert client.get(item_url(offering, items["text"])).status_code == 200


def test_hidden_and_foreign_items_are_404_for_students(client, offering, items, student):
    client.force_login(student)
    foreign = trees.item(trees.root(CourseFactory()), "Elsewhere")
    for item in (items["hidden_text"], items["hidden_quiz"], items["inactive"], foreign):
        for name in ("portal:item", "portal:item-captions"):
            assert client.get(item_url(offering, item, name)).status_code == 404, item.title
        assert client.post(item_url(offering, item, "portal:item-complete")).status_code == 404
        progress = item_url(offering, item, "portal:item-progress")
        assert client.post(progress, {"percent": "95"}).status_code == 404
    missing = reverse("portal:item", kwargs={"offering_id": offering.pk, "item_id": 10**9})
    assert client.get(missing).status_code == 404
    assert UserContentProgress.objects.count() == 0


def test_an_offering_of_the_same_course_shares_its_items(client, offering, items):
    """Items belong to the course: a student of another run of it opens the same item."""
    other_run = OfferingFactory(course=offering.course)
    student = EnrollmentFactory(course_offering=other_run).user
    client.force_login(student)
    assert client.get(item_url(other_run, items["text"])).status_code == 200
    assert UserContentProgress.objects.get().course_offering_id == other_run.pk
