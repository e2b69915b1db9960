"""Admin writes that must stay inside the user's tenant, and logging in to the admin."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Course, CourseOffering
from catalog.tests.tenants import Tenants
from tenancy.models import Role, User, UserUniversityRole

pytestmark = pytest.mark.django_db


def client_for(tenants: Tenants, role: str) -> Client:
    client = Client()
    client.force_login(tenants.user(role))
    return client


def course_data(tenants: Tenants, place, **extra) -> dict:
    return {
        "university": place.university_id,
        "department": place.pk,
        "code": "NEW101",
        "title": "New course",
        "level": "undergraduate",
        "language_code": "en",
        "coursesubject_set-TOTAL_FORMS": "0",
        "coursesubject_set-INITIAL_FORMS": "0",
        "prerequisite_links-TOTAL_FORMS": "0",
        "prerequisite_links-INITIAL_FORMS": "0",
        **extra,
    }


def test_admin_login_with_email_and_password(tenants):
    client = Client()
    response = client.post(
        reverse("admin:login"),
        {"username": "university_admin@example.edu", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    refused = Client().post(
        reverse("admin:login"), {"username": "university_admin@example.edu", "password": "no"}
    )
    assert refused.status_code == 200
    assert "_auth_user_id" not in refused.wsgi_request.session


def test_department_admin_adds_a_course_only_in_their_department(tenants):
    client = client_for(tenants, "department_admin")
    url = reverse("admin:catalog_course_add")

    # Without a department the course would leave the admin's scope: refused on save.
    response = client.post(url, course_data(tenants, tenants.department_a1, department=""))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "You can only save courses that belong to your departments."
    ]
    response = client.post(url, course_data(tenants, tenants.department_a2))
    assert "Select a valid choice" in str(response.context["adminform"].form.errors)
    response = client.post(url, course_data(tenants, tenants.department_b1))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Select a valid choice" in str(errors["university"])
    assert "Select a valid choice" in str(errors["department"])
    assert not Course.objects.filter(code="NEW101").exists()

    response = client.post(url, course_data(tenants, tenants.department_a1))
    assert response.status_code == 302
    assert Course.objects.get(code="NEW101").department == tenants.department_a1


def test_a_department_of_another_university_is_refused_with_a_message(tenants):
    client = client_for(tenants, "platform_admin")
    data = course_data(tenants, tenants.department_b1, university=tenants.university_a.pk)
    response = client.post(reverse("admin:catalog_course_add"), data)
    assert response.context["adminform"].form.errors["department"] == [
        "The department belongs to another university."
    ]
    assert not Course.objects.filter(code="NEW101").exists()


def test_autocomplete_offers_only_the_users_tenant(tenants):
    client = client_for(tenants, "department_admin")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "catalog",
            "model_name": "courseoffering",
            "field_name": "course",
            "term": "1",
        },
    )
    assert response.status_code == 200
    ids = {int(row["id"]) for row in json.loads(response.content)["results"]}
    assert ids == {tenants.course_a1.pk}


def test_instructor_edits_their_offering_through_guardian_but_not_its_course(tenants):
    client = client_for(tenants, "instructor")
    mine = reverse("admin:catalog_courseoffering_change", args=[tenants.offering_a1.pk])
    page = client.get(mine)
    assert page.status_code == 200
    assert list(page.context["adminform"].form.fields) == [
        "term_name",
        "starts_at",
        "ends_at",
        "enrollment_start",
        "enrollment_end",
        "visibility",
        "capacity",
        "requires_approval",
    ]
    other_run = reverse("admin:catalog_courseoffering_change", args=[tenants.offering_a1_next.pk])
    assert client.get(other_run).status_code == 404
    ta = client_for(tenants, "ta")  # on the staff without guardian permissions: read-only
    assert ta.get(mine).context["adminform"].form.fields == {}
    assert ta.post(mine, {"term_name": "Renamed"}).status_code == 403
    assert CourseOffering.objects.get(pk=tenants.offering_a1.pk).term_name == "Fall"


def user_add_data(university, role: str, email: str = "new@example.edu") -> dict:
    return {
        "email": email,
        "full_name": "New Person",
        "usable_password": "true",
        "password1": "a-long-new-password-1",
        "password2": "a-long-new-password-1",
        "university_roles-TOTAL_FORMS": "1" if role else "0",
        "university_roles-INITIAL_FORMS": "0",
        "university_roles-0-university": university.pk,
        "university_roles-0-role": role,
        "university_roles-0-department": "",
    }


def test_university_admins_add_people_by_invitation_not_by_account(tenants):
    """Creating an account would answer differently for an address an account already uses;
    a university admin's add page is refused alike for every address and creates nothing."""
    client = client_for(tenants, "university_admin")
    url = reverse("admin:tenancy_user_add")
    assert client.get(url).status_code == 403
    existing = tenants.users["university_admin_b"].email
    for email in ("new@example.edu", existing):
        data = user_add_data(tenants.university_a, Role.INSTRUCTOR, email=email)
        assert client.post(url, data).status_code == 403
    assert not User.objects.filter(email="new@example.edu").exists()
    assert not UserUniversityRole.objects.filter(
        user__email=existing, university=tenants.university_a
    ).exists()
    listing = client.get(reverse("admin:tenancy_user_changelist")).content.decode()
    assert url not in listing


def test_platform_admins_create_accounts(tenants):
    client = client_for(tenants, "platform_admin")
    url = reverse("admin:tenancy_user_add")
    response = client.post(url, user_add_data(tenants.university_a, Role.INSTRUCTOR))
    assert response.status_code == 302
    created = User.objects.get(email="new@example.edu")
    assert list(created.university_roles.values_list("university_id", "role")) == [
        (tenants.university_a.pk, Role.INSTRUCTOR)
    ]
    taken = client.post(url, user_add_data(tenants.university_a, Role.TA))
    assert "An account with this email already exists." in taken.content.decode()


def editable(page) -> set[str]:
    fields = page.context["adminform"].form.fields
    return {name for name, field in fields.items() if not field.disabled}


def test_university_admins_cannot_touch_accounts_across_universities(tenants):
    client = client_for(tenants, "university_admin")
    own = tenants.enrollments["a2"].user
    page = client.get(reverse("admin:tenancy_user_change", args=[own.pk]))
    assert editable(page) == {"full_name", "locale", "time_zone"}

    student = tenants.enrollments["a1"].user
    UserUniversityRole.objects.create(
        user=student, university=tenants.university_b, role=Role.STUDENT
    )
    change = reverse("admin:tenancy_user_change", args=[student.pk])
    page = client.get(change)
    assert editable(page) == set()  # a role at Beta too: the profile is read-only here
    assert "password" not in str(page.context["adminform"].fieldsets)
    roles = page.context["inline_admin_formsets"][0].formset.queryset
    assert [r.university_id for r in roles] == [tenants.university_a.pk]
    before = User.objects.filter(pk=student.pk).values_list("full_name", "locale").get()
    client.post(
        change,
        {
            "full_name": "Renamed",
            "locale": "fr",
            "time_zone": "UTC",
            "university_roles-TOTAL_FORMS": "0",
            "university_roles-INITIAL_FORMS": "0",
        },
    )
    assert User.objects.filter(pk=student.pk).values_list("full_name", "locale").get() == before
    password = reverse("admin:auth_user_password_change", args=[student.pk])
    assert client.get(password).status_code == 403
    admin_page = reverse("admin:tenancy_user_change", args=[tenants.users["platform_admin"].pk])
    assert client.get(admin_page).status_code == 404


def test_people_of_another_university_are_a_404_even_when_enrolled_here(tenants):
    """An enrollment someone else made does not show a person to the university's staff; only
    a role there does."""
    foreign = tenants.users["university_admin_b"]
    tenants.enrollments["b1"].course_offering = tenants.offering_a1
    tenants.enrollments["b1"].save()
    for role in ("university_admin", "department_admin"):
        client = client_for(tenants, role)
        for person in (foreign, tenants.enrollments["b1"].user):
            change = reverse("admin:tenancy_user_change", args=[person.pk])
            assert client.get(change).status_code == 404
            assert client.post(change, {"full_name": "Changed"}).status_code == 404
        listing = client.get(reverse("admin:tenancy_user_changelist")).content.decode()
        assert "student-b1@example.edu" not in listing
        assert "Student b1" not in listing
    assert User.objects.get(pk=foreign.pk).full_name == "University Admin B"


@pytest.mark.parametrize(
    ("role", "shown"),
    [("platform_admin", True), ("university_admin", False), ("department_admin", False)],
)
def test_the_university_column_and_filter_show_only_to_those_who_see_several(tenants, role, shown):
    client = client_for(tenants, role)
    for url in (
        reverse("admin:catalog_course_changelist"),
        reverse("admin:catalog_courseenrollment_changelist"),
    ):
        page = client.get(url).content.decode()
        assert ("column-university" in page) is (shown and "courseenrollment" not in url)
        assert ("university__id__exact" in page) is shown, url
