"""A department admin and a university admin of Alpha try, in Chromium, to reach Beta's people
through CSV enrollment, role grants and user pages, and find nothing: no names, the same answer
for addresses with and without accounts, another university's people a 404, a shared person's
profile read-only, and nothing changed in the database. Then Beta's student accepts the
invitation herself, on a phone, and only then joins the offering."""

import pytest

from catalog.models import CourseEnrollment, EnrollmentStatus, Invitation
from catalog.tests.factories import CourseFactory, OfferingFactory
from tenancy.models import Role, RoleChange, User, UserUniversityRole
from tenancy.tests.factories import DepartmentFactory, RoleFactory, UniversityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
BETA = ("bertha@beta.edu", "boris@beta.edu", "nobody@beta.edu")


def person(email, name, university, role, department=None):
    user = UserFactory(email=email, full_name=name)
    RoleFactory(user=user, university=university, role=role, department=department)
    return user


@pytest.fixture
def world(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    alpha = UniversityFactory(name="Alpha University", short_code="ALPHA")
    beta = UniversityFactory(name="Beta University", short_code="BETA")
    department = DepartmentFactory(university=alpha, name="Mechanical Engineering", code="ME")
    course = CourseFactory(
        university=alpha, department=department, code="ME201", title="Thermodynamics I"
    )
    offering = OfferingFactory(course=course, term_name="Fall 2026", capacity=10)
    people = {
        "dana": person("dana@alpha.edu", "Dana Admin", alpha, Role.DEPARTMENT_ADMIN, department),
        "uma": person("uma@alpha.edu", "Uma Admin", alpha, Role.UNIVERSITY_ADMIN),
        "bertha": person("bertha@beta.edu", "Bertha Beta", beta, Role.STUDENT),
        "boris": person("boris@beta.edu", "Boris Beta", beta, Role.UNIVERSITY_ADMIN),
        "sasha": person("sasha@alpha.edu", "Sasha Shared", alpha, Role.STUDENT),
    }
    RoleFactory(user=people["sasha"], university=beta, role=Role.INSTRUCTOR)
    return offering, people


def beta_state():
    """What must not change for Beta's people, whatever Alpha's staff try."""
    return (
        list(
            User.objects.filter(email__endswith="@beta.edu")
            .order_by("email")
            .values_list("email", "full_name", "locale")
        ),
        list(
            UserUniversityRole.objects.filter(user__email__endswith="@beta.edu")
            .order_by("pk")
            .values_list("user__email", "university__short_code", "role")
        ),
        CourseEnrollment.objects.filter(user__email__endswith="@beta.edu").count(),
        User.objects.filter(email="sasha@alpha.edu").values_list("full_name", "locale").get(),
    )


def admin_login(page, email):
    page.goto("/admin/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def upload(page, offering, text):
    page.goto(f"/admin/catalog/courseoffering/{offering.pk}/roster/enroll/")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "beta.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Preview").click()


def test_alpha_staff_cannot_reach_betas_people(
    browser, page, live_server, screenshot, artifacts_dir, world
):
    offering, people = world

    def shot(other_page, name):
        other_page.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=True)

    before = beta_state()

    # The department admin: one address at a time, the preview says the same thing.
    admin_login(page, "dana@alpha.edu")
    answers = []
    for email in BETA:
        upload(page, offering, f"{email}\n")
        answers.append(page.locator("#result_list tbody tr td").nth(3).inner_text())
    assert len(set(answers)) == 1
    assert answers[0].startswith("Invitation:")
    upload(page, offering, "email\n" + "\n".join(BETA) + "\n")
    screenshot("people-1-csv-preview")
    assert "Bertha" not in page.content()
    page.get_by_role("button", name="Enroll these students").click()
    page.wait_for_url(f"**/courseoffering/{offering.pk}/roster/")
    assert "0 enrolled, 0 waitlisted, 0 already in the offering, 3 invited" in (
        page.locator(".messagelist").inner_text()
    )
    roster_text = page.locator("#content").inner_text()
    for name in ("Bertha", "Boris"):
        assert name not in roster_text
    assert page.locator("#invitation_list tbody tr").count() == 3
    screenshot("people-2-roster-pending")
    export = page.request.get(f"/admin/catalog/courseoffering/{offering.pk}/roster/export/")
    assert export.status == 200
    assert "Bertha" not in export.text()
    assert "bertha@beta.edu" in export.text()
    assert page.goto(f"/admin/tenancy/user/{people['bertha'].pk}/change/").status == 404
    page.goto("/admin/tenancy/user/?q=beta")
    assert "Bertha" not in page.locator("#content").inner_text()

    # The university admin: grants answer alike, Beta's admin is a 404, a shared person is
    # read-only.
    uma = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    chief = uma.new_page()
    admin_login(chief, "uma@alpha.edu")
    roles_url = f"/admin/catalog/courseoffering/roles/{offering.university_id}/"
    messages = []
    for email in ("boris@beta.edu", "nobody@beta.edu"):
        chief.goto(roles_url)
        chief.get_by_label("Email of the person").fill(email)
        chief.get_by_label("Role").select_option(Role.STUDENT)
        chief.get_by_role("button", name="Grant").click()
        messages.append(chief.locator(".messagelist").inner_text().replace(email, "<email>"))
    assert (
        messages
        == ["An invitation was emailed to <email>; they become student once they accept it."] * 2
    )
    assert "Boris" not in chief.locator("#content").inner_text()
    shot(chief, "people-3-roles-invited")
    assert chief.goto(f"/admin/tenancy/user/{people['boris'].pk}/change/").status == 404
    assert chief.goto(f"/admin/tenancy/user/{people['bertha'].pk}/change/").status == 404
    chief.goto(f"/admin/tenancy/user/{people['sasha'].pk}/change/")
    assert chief.locator("input[name=full_name]").count() == 0  # shown, not editable
    assert "Sasha Shared" in chief.locator("#content").inner_text()
    shot(chief, "people-4-shared-read-only")
    chief.goto("/admin/tenancy/rolechange/")
    assert "boris@beta.edu" not in chief.locator("#content").inner_text()
    uma.close()

    assert beta_state() == before
    assert not RoleChange.objects.filter(user__email__endswith="@beta.edu").exists()
    assert Invitation.objects.filter(accepted_at__isnull=True).count() == 5

    # Bertha accepts, on her phone; now she is on the roster.
    invitation = Invitation.objects.get(email="bertha@beta.edu")
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 780})
    bertha = phone.new_page()
    bertha.goto(f"/invitations/{invitation.token}/")
    bertha.get_by_label("Email").fill("bertha@beta.edu")
    bertha.get_by_label("Password").fill(PASSWORD)
    bertha.get_by_role("button", name="Log in").click()
    bertha.wait_for_url(f"**/invitations/{invitation.token}/")
    assert "Thermodynamics I" in bertha.locator("main").inner_text()
    assert bertha.evaluate("document.documentElement.scrollWidth") <= 360
    shot(bertha, "people-5-invitation-phone")
    bertha.get_by_role("button", name="Accept the invitation").click()
    bertha.wait_for_url(f"**/courses/{offering.course_id}/")
    phone.close()
    assert list(
        CourseEnrollment.objects.filter(user=people["bertha"]).values_list(
            "course_offering_id", "status"
        )
    ) == [(offering.pk, EnrollmentStatus.ACTIVE)]
    page.goto(f"/admin/catalog/courseoffering/{offering.pk}/roster/")
    assert "Bertha Beta" in page.locator("#result_list").inner_text()
    screenshot("people-6-roster-after-accepting")
