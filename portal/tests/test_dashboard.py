"""My learning: sections by enrollment status, progress and where Resume goes."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.progress.services import content_complete, content_open
from assessments.tests import trees
from catalog.models import CourseOfferingInstructor, EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from portal.views.learning import SECTIONS
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/my/"


def course_with_items(title: str, n: int = 4):
    offering = OfferingFactory(course=CourseFactory(title=title))
    root = trees.root(offering.course)
    unit = trees.module(root, "Unit")
    return offering, [trees.item(unit, f"{title} item {i}") for i in range(1, n + 1)]


def item_url(offering, item):
    return reverse("portal:item", kwargs={"offering_id": offering.pk, "item_id": item.pk})


def card(page: str, title: str) -> str:
    match = re.search(
        rf'<li class="course-card"[^>]*>\s*<h3>{re.escape(title)}</h3>.*?</li>\n', page, re.S
    )
    assert match, title
    return match.group(0)


def section(page: str, status: str) -> str:
    match = re.search(
        rf'<section class="dashboard-section" aria-labelledby="section-{status}">.*?</section>',
        page,
        re.S,
    )
    return match.group(0) if match else ""


def test_route():
    assert reverse("portal:dashboard") == DASHBOARD


def test_anonymous_is_sent_to_login(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={DASHBOARD}"


def test_sections_progress_and_resume(client):
    student = UserFactory()
    active, active_items = course_with_items("Statics")
    fresh, fresh_items = course_with_items("Dynamics")
    done, done_items = course_with_items("Calculus", n=2)
    waiting, _ = course_with_items("Optics")
    pending, _ = course_with_items("Acoustics")
    dropped, _ = course_with_items("Dropped course")
    for offering, status in (
        (active, EnrollmentStatus.ACTIVE),
        (fresh, EnrollmentStatus.ACTIVE),
        (done, EnrollmentStatus.COMPLETED),
        (waiting, EnrollmentStatus.WAITLISTED),
        (pending, EnrollmentStatus.PENDING),
        (dropped, EnrollmentStatus.DROPPED),
    ):
        EnrollmentFactory(user=student, course_offering=offering, status=status)
    EnrollmentFactory(course_offering=waiting, status=EnrollmentStatus.WAITLISTED)
    content_complete(user=student, offering=active, item_id=active_items[0].pk)
    content_open(user=student, offering=active, item_id=active_items[2].pk)
    for item in done_items:
        content_complete(user=student, offering=done, item_id=item.pk)

    client.force_login(student)
    page = client.get(DASHBOARD).content.decode()

    assert "Dropped course" not in page
    current = section(page, "active")
    assert 'Current courses <span class="muted">(2)</span>' in current
    statics = card(current, "Statics")
    assert ">25%</span>" in statics
    assert "1 of 4 items completed" in statics
    assert f'href="{item_url(active, active_items[2])}">Resume' in statics  # touched last
    dynamics = card(current, "Dynamics")
    assert ">0%</span>" in dynamics
    assert f'href="{item_url(fresh, fresh_items[0])}">Resume' in dynamics  # first item
    completed = card(section(page, "completed"), "Calculus")
    assert ">100%</span>" in completed
    assert "2 of 2 items completed" in completed
    assert f'href="{item_url(done, done_items[1])}">Resume' in completed
    optics = card(section(page, "waitlisted"), "Optics")
    assert "Position 1 on the waitlist" in optics
    assert "Resume" not in optics
    acoustics = card(section(page, "pending"), "Acoustics")
    assert "Awaiting approval" in acoustics
    assert "Resume" not in acoustics
    order = [
        page.index(f'id="section-{s}"') for s in ("active", "waitlisted", "pending", "completed")
    ]
    assert order == sorted(order)


def test_waitlist_position_counts_those_ahead(client):
    offering, _ = course_with_items("Optics")
    EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.WAITLISTED)
    EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.WAITLISTED)
    third = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.WAITLISTED)
    client.force_login(third.user)
    assert "Position 3 on the waitlist" in client.get(DASHBOARD).content.decode()


def test_without_enrollments(client):
    client.force_login(UserFactory())
    page = client.get(DASHBOARD).content.decode()
    assert "You are not enrolled in any course yet." in page
    assert 'class="course-card"' not in page


@pytest.mark.parametrize("who", ["own staff", "other tenant's staff"])
def test_staff_see_their_own_enrollments_only(client, who):
    offering, items = course_with_items("Statics")
    student = EnrollmentFactory(course_offering=offering).user
    content_complete(user=student, offering=offering, item_id=items[0].pk)
    if who == "own staff":
        user = UserFactory()
        CourseOfferingInstructor.objects.create(course_offering=offering, user=user)
    else:
        user = RoleFactory(role=Role.UNIVERSITY_ADMIN).user
    client.force_login(user)
    page = client.get(DASHBOARD).content.decode()
    for status in SECTIONS:
        assert section(page, status) == ""
    assert "Statics item" not in page and 'role="progressbar"' not in page
    assert "You are not enrolled in any course yet." in page
    teaching = section(page, "staff")
    assert ("Statics" in teaching) == (who == "own staff")


def test_teachers_see_the_offerings_they_teach_and_the_staff_pages(client):
    teacher = RoleFactory(role=Role.INSTRUCTOR).user
    running, _ = course_with_items("Statics")
    ended = OfferingFactory(
        course=CourseFactory(title="Dynamics"),
        starts_at=timezone.now() - timedelta(days=200),
        ends_at=timezone.now() - timedelta(days=90),
    )
    upcoming = OfferingFactory(
        course=CourseFactory(title="Vibrations"),
        starts_at=timezone.now() + timedelta(days=30),
        ends_at=timezone.now() + timedelta(days=120),
    )
    someone_elses, _ = course_with_items("Optics")
    for offering in (running, ended, upcoming):
        CourseOfferingInstructor.objects.create(course_offering=offering, user=teacher)
    CourseOfferingInstructor.objects.create(course_offering=someone_elses, user=UserFactory())
    client.force_login(teacher)
    teaching = section(client.get(DASHBOARD).content.decode(), "staff")
    assert re.findall(r"<h3>(.*?)</h3>", teaching) == ["Statics", "Vibrations"]
    assert f'href="{reverse("admin:index")}"' in teaching
    statics = card(teaching, "Statics")
    for name in ("portal:outline", "portal:discussions"):
        assert f'href="{reverse(name, kwargs={"offering_id": running.pk})}"' in statics


def test_learners_see_no_staff_section(client):
    offering, _ = course_with_items("Statics")
    client.force_login(EnrollmentFactory(course_offering=offering).user)
    page = client.get(DASHBOARD).content.decode()
    assert section(page, "staff") == ""
    assert reverse("admin:index") not in page


def test_dashboard_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    student = UserFactory()
    client.force_login(student)
    # session, user, enrollments with courses and waitlist positions, progress and resume of
    # all of them, the deadlines of every course (Coming up and Overdue), the offerings the
    # user teaches, the user's roles (navigation), the newest announcements of the current
    # courses.
    for count in (1, 4):
        for i in range(count):
            offering, items = course_with_items(f"Course {count}-{i}")
            EnrollmentFactory(user=student, course_offering=offering)
            content_complete(user=student, offering=offering, item_id=items[i].pk)
        with django_assert_num_queries(8):
            response = client.get(DASHBOARD)
        cards = response.content.decode().count('class="course-card"')
        assert cards == (1 if count == 1 else 5)
