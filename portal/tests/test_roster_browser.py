"""A department admin, in Chromium, signs in to the admin, enrolls a class from a CSV file after
checking the preview (students of the university are enrolled, an address without a role
there is invited), and approves a student's pending request from the roster."""

import pytest

from catalog.models import CourseEnrollment, EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from tenancy.models import Role, User
from tenancy.tests.factories import DepartmentFactory, RoleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
CSV = (
    "email,name\n"
    "lena.fischer@example.edu,Lena Fischer\n"
    "omar.haddad@example.edu,Omar Haddad\n"
    "new.student@example.edu,Noor Student\n"
)
BAD_CSV = CSV + "not an email,Nobody\n"


@pytest.fixture
def setting():
    department = DepartmentFactory(name="Mechanical Engineering", code="ME")
    course = CourseFactory(
        university=department.university,
        department=department,
        title="Thermodynamics I",
        code="ME201",
    )
    offering = OfferingFactory(course=course, term_name="Fall 2026", capacity=4)
    admin = UserFactory(email="dept.admin@example.edu", full_name="Dana Admin")
    RoleFactory(
        user=admin,
        university=department.university,
        role=Role.DEPARTMENT_ADMIN,
        department=department,
    )
    for email, name in (
        ("lena.fischer@example.edu", "Lena Fischer"),
        ("omar.haddad@example.edu", "Omar Haddad"),
    ):
        RoleFactory(
            user=UserFactory(email=email, full_name=name),
            university=department.university,
            role=Role.STUDENT,
        )
    pending = EnrollmentFactory(
        course_offering=offering,
        status=EnrollmentStatus.PENDING,
        user=UserFactory(email="pat.pending@example.edu", full_name="Pat Pending"),
    )
    return offering, pending


def test_department_admin_enrolls_a_csv_and_approves_a_request(
    page, live_server, screenshot, setting
):
    offering, pending = setting
    page.goto("/admin/login/")
    page.get_by_label("Email").fill("dept.admin@example.edu")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    page.goto(f"/admin/catalog/courseoffering/{offering.pk}/roster/")
    assert page.locator("#count-pending").inner_text() == "1"
    assert page.locator("#seats-left").inner_text() == "4"
    screenshot("roster-1-before")

    page.get_by_role("link", name="Enroll from a CSV file").click()
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "fall.csv", "mimeType": "text/csv", "buffer": BAD_CSV.encode()}]
    )
    page.get_by_role("button", name="Preview").click()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 4
    assert "is not a valid email address" in rows.nth(3).inner_text()
    assert page.get_by_role("button", name="Enroll these students").count() == 0
    screenshot("roster-2-preview-with-error")
    assert CourseEnrollment.objects.filter(course_offering=offering).count() == 1

    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "fall.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name="Preview").click()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 3
    assert "Enroll." in rows.nth(0).inner_text()
    assert "Invitation: an email goes to this address" in rows.nth(2).inner_text()
    screenshot("roster-3-preview")
    page.get_by_role("button", name="Enroll these students").click()

    page.wait_for_url(f"**/courseoffering/{offering.pk}/roster/")
    assert "2 enrolled, 0 waitlisted, 0 already in the offering, 1 invited" in (
        page.locator(".messagelist").inner_text()
    )
    assert page.locator("#count-active").inner_text() == "2"
    assert page.locator("#seats-left").inner_text() == "2"
    assert "new.student@example.edu" in page.locator("#invitation_list").inner_text()
    assert not User.objects.filter(email="new.student@example.edu").exists()
    screenshot("roster-4-enrolled")

    page.get_by_role("link", name="Pending approval (1)").click()
    page.get_by_label("Select Pat Pending").check()
    page.get_by_label("Action:").select_option("approve")
    page.get_by_role("button", name="Go").click()
    assert page.get_by_text("1 enrollment will change.").is_visible()
    screenshot("roster-5-confirm-approval")
    page.get_by_role("button", name="Approve").click()

    page.wait_for_url(f"**/courseoffering/{offering.pk}/roster/?status=pending")
    assert "1 approved" in page.locator(".messagelist").inner_text()
    pending.refresh_from_db()
    assert pending.status == EnrollmentStatus.ACTIVE
    assert page.locator("#seats-left").inner_text() == "1"
    page.get_by_role("link", name="Active (3)").click()
    assert "Pat Pending" in page.locator("#result_list").inner_text()
    screenshot("roster-6-approved")
