"""A student finds a course in Chromium by a word of its description, opens it and enrolls;
then the catalog and the course page on a phone-sized screen."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from catalog.models import CourseEnrollment, CourseOfferingInstructor, EnrollmentStatus
from catalog.models import PrerequisiteType as Kind
from catalog.tests.factories import (
    CourseFactory,
    CourseSubjectFactory,
    EnrollmentFactory,
    OfferingFactory,
    PrerequisiteFactory,
    SubjectFactory,
)
from syllabus.services import module_create
from syllabus.tests.factories import RootModuleFactory
from tenancy.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = (
    "How engines, refrigerators and heat pumps turn heat into work. We model closed systems "
    "and control volumes, apply the first and second laws, and finish with regenerative "
    "cycles used in modern power plants."
)


@pytest.fixture
def catalog():
    course = CourseFactory(
        title="Thermodynamics I",
        code="ME201",
        description=DESCRIPTION,
        credit_hours="4.00",
    )
    CourseSubjectFactory(course=course, subject=SubjectFactory(name="Thermal physics"))
    CourseSubjectFactory(course=course, subject=SubjectFactory(name="Power cycles"))
    current = OfferingFactory(course=course, term_name="Fall 2026", capacity=40)
    OfferingFactory(course=course, term_name="Spring 2027", requires_approval=True)
    teacher = UserFactory(full_name="Helen Carter")
    CourseOfferingInstructor.objects.create(course_offering=current, user=teacher)
    PrerequisiteFactory(
        course=course,
        prerequisite_type=Kind.RECOMMENDED,
        prerequisite_course__title="Calculus I",
        prerequisite_course__code="MA101",
    )
    root = RootModuleFactory(course=course)
    for n, title in enumerate(("Energy and the first law", "Entropy and the second law"), 1):
        unit = module_create(
            course=course,
            parent=root,
            module_type="unit",
            title=f"Unit {n}: {title}",
            is_published=True,
        )
        for chapter in ("Concepts", "Worked problems"):
            module_create(
                course=course, parent=unit, module_type="chapter", title=chapter, is_published=True
            )
    for rating in (5, 4):
        current.reviews.create(user=EnrollmentFactory(course_offering=current).user, rating=rating)
    for title in ("Heat Transfer", "Fluid Mechanics", "Statics"):
        OfferingFactory(course=CourseFactory(title=title, description="Another course."))
    return {"course": course, "current": current, "student": UserFactory(full_name="Sam Student")}


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_student_finds_a_course_and_enrolls(page, live_server, screenshot, catalog):
    student, current = catalog["student"], catalog["current"]
    log_in(page, live_server, student)

    page.goto("/")
    page.get_by_label("Search courses").fill("regenerative")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?q=regenerative**")
    cards = page.locator(".course-card")
    assert cards.count() == 1
    assert cards.locator("h3").inner_text() == "Thermodynamics I"
    assert cards.locator(".course-summary mark").all_inner_texts() == ["regenerative"]
    assert page.locator(".result-count").inner_text() == "1 course matches “regenerative”"
    screenshot("catalog")

    cards.get_by_role("link", name="Thermodynamics I").click()
    page.wait_for_url(f"**/courses/{catalog['course'].pk}/")
    assert page.locator("h1").inner_text() == "Thermodynamics I"
    fall = page.locator("article.offering", has_text="Fall 2026")
    assert fall.locator("dd", has_text="left").inner_text() == "38 of 40 left"
    fall.get_by_role("button", name="Enroll").click()

    page.wait_for_url(f"**/courses/{catalog['course'].pk}/")
    assert page.locator(".message-success").inner_text() == (
        "You are enrolled in ME201 Thermodynamics I (Fall 2026)."
    )
    assert page.locator(".message-warning").inner_text() == (
        "We recommend completing MA101 Calculus I before this course."
    )
    fall = page.locator("article.offering", has_text="Fall 2026")
    assert fall.locator(".badge.ok").inner_text() == "Enrolled"
    assert fall.locator("dd", has_text="left").inner_text() == "37 of 40 left"
    assert fall.get_by_role("link", name="Open the course").is_visible()
    spring = page.locator("article.offering", has_text="Spring 2027")
    assert spring.inner_text().endswith("You are enrolled in Fall 2026 of this course.")
    assert page.get_by_role("link", name="Go to the course").get_attribute("href") == reverse(
        "portal:outline", kwargs={"offering_id": current.pk}
    )
    screenshot("course-page")
    enrollment = CourseEnrollment.objects.get(user=student)
    assert (enrollment.course_offering, enrollment.status) == (current, EnrollmentStatus.ACTIVE)


def test_catalog_and_course_page_fit_a_phone(browser, artifacts_dir, live_server, catalog):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, device_scale_factor=2
    )
    page = context.new_page()
    try:
        log_in(page, live_server, catalog["student"])
        for name, url in (
            ("catalog-mobile", "/?q=thermo"),
            ("course-page-mobile", f"/courses/{catalog['course'].pk}/"),
        ):
            page.goto(url)
            page.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        assert page.get_by_role("button", name="Enroll", exact=True).is_visible()
    finally:
        context.close()
