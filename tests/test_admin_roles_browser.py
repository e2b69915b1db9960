"""Every demo login in the admin, in Chromium, on the demo data: the index and the course,
offering, enrollment and module lists, each holding exactly the rows of the person's tenant
(counted on the page against the data, independently of the scoping code); the student is
kept out. Screenshots in test-artifacts/screenshots/admin-<role>-<page>.png."""

import re
import time

import pytest
from django.db.models import Q
from django.urls import reverse

from catalog.models import Course, CourseEnrollment, CourseOffering
from content.selectors import outline_cache_clear
from demo.data import LOGINS, PASSWORD
from demo.seed import seed_demo
from syllabus.models import Module
from tenancy.models import Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = {
    "courses": "admin:catalog_course_changelist",
    "offerings": "admin:catalog_courseoffering_changelist",
    "enrollments": "admin:catalog_courseenrollment_changelist",
    "modules": "admin:syllabus_module_changelist",
}


def expected_rows(user: User) -> dict[str, set[int]]:
    """The rows each list should hold for `user`, from their role row and staff links: admins
    see their university's or department's courses, teachers the offerings they teach (and
    those offerings' courses)."""
    (university_id, role, department_id), *_ = user.role_rows
    offerings = CourseOffering.objects.all()
    if role == Role.UNIVERSITY_ADMIN:
        offerings = offerings.filter(course__university_id=university_id)
    elif role == Role.DEPARTMENT_ADMIN:
        offerings = offerings.filter(course__department_id=department_id)
    elif role in (Role.INSTRUCTOR, Role.TA):
        offerings = offerings.filter(instructors=user)
    courses = Course.objects.all()
    if role != Role.PLATFORM_ADMIN:
        teaching = role in (Role.INSTRUCTOR, Role.TA)
        courses = courses.filter(
            pk__in=offerings.values("course_id")
            if teaching
            else Course.objects.filter(
                Q(university_id=university_id)
                if role == Role.UNIVERSITY_ADMIN
                else Q(department_id=department_id)
            ).values("pk")
        )

    def ids(rows) -> set[int]:
        return set(rows.values_list("pk", flat=True))

    return {
        "courses": ids(courses),
        "offerings": ids(offerings),
        "enrollments": ids(CourseEnrollment.objects.filter(course_offering__in=offerings)),
        "modules": ids(Module.objects.filter(course__in=courses)),
    }


def log_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto(reverse("admin:login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def shown_count(page) -> int:
    """The changelist's own count of its rows: "57 courses", after page links when there are
    several pages ("1 2 3 256 course enrollments")."""
    text = page.locator(".paginator").inner_text()
    return int(re.search(r"(\d+)\s+[^\W\d]", text.replace(",", "")).group(1))


def shown_ids(page) -> set[int]:
    """The ids of the rows on the page, from each row's link to its change page."""
    hrefs = page.locator("#result_list tbody tr").evaluate_all(
        "rows => rows.map(r => r.querySelector('a[href*=\"/change/\"]').getAttribute('href'))"
    )
    return {int(re.search(r"/(\d+)/change/", href).group(1)) for href in hrefs}


@pytest.fixture
def demo():
    outline_cache_clear()
    started = time.perf_counter()
    assert seed_demo()
    print(f"seed_demo: {time.perf_counter() - started:.1f} s")


def test_each_demo_role_sees_only_its_tenant_in_the_admin(page, screenshot, demo):
    staff = [login for login in LOGINS if login.role != Role.STUDENT]
    for login in staff:
        key = login.email.split("@")[0]
        user = User.objects.get(email=login.email)
        expected = expected_rows(user)
        log_in(page, login.email)
        page.wait_for_url("**/admin/")
        assert page.locator("#site-name").is_visible()
        apps = page.locator("#content-main .module caption").all_inner_texts()
        assert apps, f"{key} sees an empty admin index"
        screenshot(f"admin-{key}-index")
        for name, url_name in LISTS.items():
            response = page.goto(reverse(url_name))
            assert response.status == 200, (key, name)
            screenshot(f"admin-{key}-{name}")
            assert shown_count(page) == len(expected[name]), (key, name)
            assert shown_ids(page) <= expected[name], (key, name)
            assert shown_ids(page), (key, name)

    student = next(login for login in LOGINS if login.role == Role.STUDENT)
    log_in(page, student.email)
    assert page.url.endswith(reverse("admin:login"))
    assert "staff account" in page.locator(".errornote").inner_text()
    screenshot("admin-student-refused")
    page.goto(reverse("admin:catalog_course_changelist"))
    assert "/admin/login/" in page.url
