"""The course page of the catalog: what each visitor sees, dates in their zone, drafts and private
offerings, reviews, and its query count."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import CourseOfferingInstructor, EnrollmentStatus, PrerequisiteType
from catalog.tests.factories import (
    CourseFactory,
    CourseSubjectFactory,
    EnrollmentFactory,
    OfferingFactory,
    PrerequisiteFactory,
    SubjectFactory,
)
from community.tests.factories import ReviewFactory
from content.tests.factories import CourseImageFactory
from portal.tests.catalog_views.support import CATALOG
from syllabus.models import Module
from syllabus.services import module_create, module_set_published
from syllabus.tests.factories import RootModuleFactory
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def course_url(course) -> str:
    return reverse("portal:course-detail", kwargs={"course_id": course.pk})


# The course page -------------------------------------------------------------------------------


@pytest.fixture
def course_world():
    """A course with subjects, three offerings (one full, one closed), instructors,
    prerequisites of each kind, a published outline with a hidden unit, and reviews."""
    now = timezone.now()
    course = CourseFactory(
        title="Thermodynamics I",
        code="ME201",
        description="Energy, heat and work.",
        credit_hours="4.00",
        level="undergraduate",
        language_code="en",
    )
    primary = SubjectFactory(name="Thermal physics")
    course.primary_subject = primary
    course.save()
    CourseSubjectFactory(course=course, subject=SubjectFactory(name="Heat engines"))
    current = OfferingFactory(course=course, term_name="Fall 2026", capacity=30)
    full = OfferingFactory(
        course=course,
        term_name="Winter 2026",
        capacity=1,
        starts_at=now + timedelta(days=100),
        ends_at=now + timedelta(days=200),
    )
    closed = OfferingFactory(
        course=course,
        term_name="Summer 2026",
        enrollment_start=now - timedelta(days=60),
        enrollment_end=now - timedelta(days=2),
    )
    for offering, name in (
        (current, "Ada Lovelace"),
        (full, "Alan Turing"),
        (closed, "Ada Lovelace"),
    ):
        teacher = UserFactory(
            full_name=name, email=f"{name.split()[1].lower()}-{offering.pk}@x.edu"
        )
        CourseOfferingInstructor.objects.create(course_offering=offering, user=teacher)
    EnrollmentFactory(course_offering=full)
    calculus = PrerequisiteFactory(
        course=course, prerequisite_course__title="Calculus I", prerequisite_course__code="MA101"
    ).prerequisite_course
    physics = PrerequisiteFactory(
        course=course,
        prerequisite_type=PrerequisiteType.RECOMMENDED,
        prerequisite_course__title="Physics I",
        prerequisite_course__code="PH101",
    ).prerequisite_course
    PrerequisiteFactory(
        course=course,
        prerequisite_type=PrerequisiteType.CO_REQUISITE,
        prerequisite_course__title="Thermal lab",
        prerequisite_course__code="ME215",
    )
    root = RootModuleFactory(course=course)
    unit = module_create(
        course=course,
        parent=root,
        module_type="unit",
        title="Unit 1: The first law",
        is_published=True,
    )
    module_create(
        course=course,
        parent=unit,
        module_type="chapter",
        title="Energy balances",
        is_published=True,
    )
    module_create(
        course=course,
        parent=root,
        module_type="unit",
        title="Unit 2: Secret drafts",
        is_published=False,
    )
    for offering, rating in ((current, 5), (closed, 4), (closed, 4)):
        offering.reviews.create(
            user=EnrollmentFactory(course_offering=offering).user, rating=rating
        )
    return {
        "course": course,
        "current": current,
        "full": full,
        "closed": closed,
        "calculus": calculus,
        "physics": physics,
    }


def test_course_page_for_anonymous_visitors(client, course_world):
    course = course_world["course"]
    response = client.get(course_url(course))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Thermodynamics I</h1>" in page
    assert "Energy, heat and work." in page
    assert course.university.name in page
    assert course.department.name in page
    for text in ("Thermal physics", "Heat engines", "Undergraduate", "English", "4 credits"):
        assert text in page, text
    assert "Ada Lovelace" in page and "Alan Turing" in page
    assert page.index("Fall 2026") < page.index("Winter 2026")
    assert "29 of 30 left" in page  # one reviewer enrolled in the current offering
    assert "0 of 1 left" in page
    assert "Summer 2026" in page
    assert "Enrollment closed" in page
    assert "Required before enrolling" in page
    assert "Recommended before" in page
    assert "Co-requisite: before or at the same time" in page
    assert "MA101 Calculus I" in page
    assert "Unit 1: The first law" in page
    assert "Energy balances" in page
    assert "Secret drafts" not in page
    assert "<strong>4.3</strong>" in page
    assert "(3 reviews)" in page
    assert "Log in to enroll" in page
    assert f"/accounts/login/?next=/courses/{course.pk}/" in page
    assert 'action="/offerings/' not in page  # no enroll form for anonymous visitors
    assert "Log in to see whether you meet them." in page


def test_course_page_for_a_student_who_is_not_enrolled(client, course_world):
    student = UserFactory()
    EnrollmentFactory(
        user=student,
        course_offering=OfferingFactory(course=course_world["calculus"], ends_at=None),
        status=EnrollmentStatus.COMPLETED,  # self-paced: final once completed
    )
    running = OfferingFactory(course=course_world["physics"])  # grades still provisional
    EnrollmentFactory(user=student, course_offering=running, status=EnrollmentStatus.COMPLETED)
    client.force_login(student)
    page = client.get(course_url(course_world["course"])).content.decode()
    current, full = course_world["current"], course_world["full"]
    assert f'<form method="post" action="/offerings/{current.pk}/enroll/">' in page
    assert f'<form method="post" action="/offerings/{full.pk}/enroll/">' in page
    assert "Join the waitlist" in page
    assert "Enrollment closed" in page
    assert re.search(r"MA101 Calculus I</a></span>\s*<span class=\"badge ok\">Completed", page)
    assert re.search(r"PH101 Physics I</a></span>\s*<span class=\"badge warn\">Not completed", page)
    assert re.search(r"ME215 Thermal lab</a></span>\s*<span class=\"badge error\">Not met", page)


def test_course_page_for_enrolled_waitlisted_and_pending_students(client, course_world):
    course, current, full = course_world["course"], course_world["current"], course_world["full"]
    enrolled = EnrollmentFactory(course_offering=current).user
    client.force_login(enrolled)
    page = client.get(course_url(course)).content.decode()
    assert '<span class="badge ok">Enrolled</span>' in page
    assert f'href="/learn/{current.pk}/">Go to the course' in page
    assert f'href="/offerings/{current.pk}/drop/">Drop this course' in page
    assert "You are enrolled in Fall 2026 of this course." in page  # on the other offering
    assert "Join the waitlist" not in page

    EnrollmentFactory(course_offering=full, status=EnrollmentStatus.WAITLISTED)
    waiting = EnrollmentFactory(course_offering=full, status=EnrollmentStatus.WAITLISTED).user
    client.force_login(waiting)
    page = client.get(course_url(course)).content.decode()
    assert "Waitlisted #2" in page
    assert "Leave the waitlist" in page
    assert "Go to the course" not in page

    pending = EnrollmentFactory(course_offering=current, status=EnrollmentStatus.PENDING).user
    client.force_login(pending)
    page = client.get(course_url(course)).content.decode()
    assert "Pending approval" in page
    assert "Withdraw the request" in page


def test_dates_are_in_the_visitors_zone_or_else_the_universitys(client):
    # 23:30 UTC on 1 March: 2 March in Tokyo and in Berlin (the factory university's zone),
    # still 1 March in New York.
    start = datetime(2030, 3, 1, 23, 30, tzinfo=UTC)
    offering = OfferingFactory(
        starts_at=start,
        ends_at=start + timedelta(days=90),
        enrollment_start=start - timedelta(days=30),
        enrollment_end=start,
    )
    assert offering.university.time_zone == "Europe/Berlin"
    url = course_url(offering.course)

    page = client.get(url).content.decode()
    assert "Dates and times in Europe/Berlin." in page
    assert "\u2013 March 2, 2030, 12:30 a.m." in page
    assert "Runs from March 2, 2030" in client.get(CATALOG).content.decode()

    client.force_login(UserFactory(time_zone="Asia/Tokyo"))
    page = client.get(url).content.decode()
    assert "Dates and times in Asia/Tokyo." in page
    assert "\u2013 March 2, 2030, 8:30 a.m." in page

    client.force_login(UserFactory(time_zone="America/New_York"))
    page = client.get(url).content.decode()
    assert "Dates and times in America/New_York." in page
    assert "\u2013 March 1, 2030, 6:30 p.m." in page
    assert "March 1, 2030 \u2013 May 30, 2030" in page
    assert "Runs from March 1, 2030" in client.get(CATALOG).content.decode()


def test_enrollment_not_open_yet(client):
    now = timezone.now()
    later = OfferingFactory(
        enrollment_start=now + timedelta(days=3), enrollment_end=now + timedelta(days=9)
    )
    client.force_login(UserFactory())
    page = client.get(course_url(later.course)).content.decode()
    assert "Enrollment opens" in page
    assert "/enroll/" not in page


def test_drafts_are_not_found_except_by_their_staff(client):
    offering = OfferingFactory(course=CourseFactory(title="Secret draft", is_published=False))
    course = offering.course
    url = course_url(course)
    assert client.get(url).status_code == 404
    for user in (
        UserFactory(),
        EnrollmentFactory(course_offering=offering).user,
        RoleFactory(role=Role.UNIVERSITY_ADMIN).user,  # another university's staff
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
    instructor = UserFactory()
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    for user in (
        instructor,
        RoleFactory(university=course.university, role=Role.UNIVERSITY_ADMIN).user,
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "Draft: only the staff of this course see this page" in response.content.decode()
    assert client.get("/courses/987654321/").status_code == 404


def test_other_tenants_private_offerings_are_not_shown(client):
    course = CourseFactory(title="Mixed")
    OfferingFactory(course=course, term_name="Open run")
    OfferingFactory(course=course, term_name="Members run", visibility="private")
    client.force_login(RoleFactory(role=Role.UNIVERSITY_ADMIN).user)
    page = client.get(course_url(course)).content.decode()
    assert "Open run" in page
    assert "Members run" not in page
    client.force_login(RoleFactory(university=course.university, role=Role.STUDENT).user)
    assert "Members run" in client.get(course_url(course)).content.decode()


def test_course_page_queries_do_not_grow(client, django_assert_num_queries, course_world):
    course = course_world["course"]
    for offering in (course_world["current"], course_world["full"], course_world["closed"]):
        for _ in range(2):
            CourseOfferingInstructor.objects.create(course_offering=offering, user=UserFactory())
    CourseSubjectFactory(course=course)
    CourseImageFactory(course=course)
    for offering in (course_world["current"], course_world["closed"]):
        ReviewFactory(course_offering=offering, review_text="Worth it.")
    # Course, subjects, offerings with their instructors, prerequisites, the outline's
    # version, the picture, the rating summary, the latest reviews; the outline's rows once
    # per version.
    with django_assert_num_queries(9):
        assert client.get(course_url(course)).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(course_url(course)).status_code == 200
    client.force_login(EnrollmentFactory(course_offering=course_world["current"]).user)
    # Plus the session, the user, the user's roles, the user's enrollments and the newest
    # announcements of the offering they learn in.
    with django_assert_num_queries(13):
        assert client.get(course_url(course)).status_code == 200


def test_course_page_syllabus_is_read_once_and_never_stale(client, course_world):
    course = course_world["course"]
    assert "Unit 1: The first law" in client.get(course_url(course)).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get(course_url(course))
    assert not [q for q in queries if "FROM modules" in q["sql"] and "ORDER BY" in q["sql"]]
    unit = Module.objects.get(course=course, title="Unit 1: The first law")
    module_set_published(module=unit, is_published=False)
    page = client.get(course_url(course)).content.decode()
    assert "Unit 1: The first law" not in page
    assert "Energy balances" not in page
    module_set_published(module=unit, is_published=True)
    Module.objects.filter(pk=unit.pk).update(title="Unit 1: Renamed")
    page = client.get(course_url(course)).content.decode()
    assert "Unit 1: Renamed" in page
    assert "Energy balances" in page
    assert "Secret drafts" not in page


def test_course_page_quotes_the_newest_visible_reviews(client, course_world):
    course, offering = course_world["course"], course_world["current"]
    ReviewFactory(course_offering=offering, rating=2, review_text="Too fast <b>for me</b>.")
    ReviewFactory(course_offering=offering, rating=5, review_text="Abusive", is_hidden=True)
    ReviewFactory(course_offering=offering, rating=4, review_text=None)
    for n in range(3):
        ReviewFactory(course_offering=offering, rating=5, review_text=f"Great lectures {n}.")
    page = client.get(course_url(course)).content.decode()
    assert [f"Great lectures {n}." in page for n in range(3)] == [True, True, True]
    assert "Too fast" not in page  # only the three newest are quoted
    assert "Abusive" not in page
    ReviewFactory._meta.model.objects.filter(review_text__startswith="Great").delete()
    page = client.get(course_url(course)).content.decode()
    assert "Too fast &lt;b&gt;for me&lt;/b&gt;." in page
    assert "2/5" in page


def test_catalog_course_page_and_reviews_page_show_the_same_average(client):
    """129 stars from 29 reviews are 4.448...: one rounding gives 4.4 on every page (rounding
    to two places first, as the reviews page once did, made it 4.5 there and 4.4 in the
    catalog)."""
    course = CourseFactory(title="Statics")
    offering = OfferingFactory(course=course)
    for rating in [5] * 13 + [4] * 16:
        ReviewFactory(course_offering=offering, rating=rating)
    pages = {
        "catalog": client.get(CATALOG),
        "course": client.get(course_url(course)),
        "reviews": client.get(reverse("portal:course-reviews", kwargs={"course_id": course.pk})),
    }
    shown = {
        name: re.findall(r"<strong>(\d\.\d)</strong>", response.content.decode())
        for name, response in pages.items()
    }
    assert shown == {"catalog": ["4.4"], "course": ["4.4", "4.4"], "reviews": ["4.4"]}
