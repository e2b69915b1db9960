"""The staff and roles pages of the offering admin, and what bad or foreign input to them leaves
unchanged."""

import pytest
from django.core import mail
from django.urls import reverse
from guardian.shortcuts import get_perms

from catalog.models import CourseOfferingInstructor, Invitation
from catalog.tests.factories import CourseFactory, OfferingFactory, staff_member
from catalog.tests.roster_admin.support import _message, member, url
from tenancy.models import Role, RoleChange, UserUniversityRole
from tenancy.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_env")]


# Staff and roles ----------------------------------------------------------------------------


def test_staff_page_adds_and_removes_with_object_permissions(admin_client, offering):
    teacher = staff_member(offering.course.department, Role.INSTRUCTOR, full_name="Tess Teacher")
    page = admin_client.get(url("staff", offering.pk)).content.decode()
    assert "Tess Teacher" in page
    admin_client.post(url("staff", offering.pk), {"add": "1", "user": teacher.pk})
    assert set(get_perms(teacher, offering)) == {"view_courseoffering", "change_courseoffering"}
    assert set(get_perms(teacher, offering.course)) == {"view_course", "change_course"}
    admin_client.post(url("staff", offering.pk), {"remove": teacher.pk})
    assert get_perms(teacher, offering) == []
    assert get_perms(teacher, offering.course) == []


def test_staff_page_refuses_people_without_a_teaching_role(admin_client, offering):
    student = UserFactory()
    response = admin_client.post(url("staff", offering.pk), {"add": "1", "user": student.pk})
    assert response.status_code == 200
    assert "Choose a person from the list." in response.content.decode()
    assert not CourseOfferingInstructor.objects.exists()


def test_roles_page_for_university_admins_only(client, offering):
    university = offering.university
    chief = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    person = member(offering, email="person@x.edu")
    page = url("roles", university.pk)
    for user in (
        staff_member(offering.course.department, Role.DEPARTMENT_ADMIN),
        staff_member(CourseFactory().department, Role.UNIVERSITY_ADMIN),
    ):
        client.force_login(user)
        assert client.get(page).status_code == 404
        grant = {"grant": "1", "email": "person@x.edu", "role": Role.INSTRUCTOR}
        assert client.post(page, grant).status_code == 404
    assert list(UserUniversityRole.objects.filter(user=person).values_list("role")) == [
        (Role.STUDENT,)
    ]

    client.force_login(chief)
    assert client.get(page).status_code == 200
    client.post(page, {"grant": "1", "email": "Person@X.edu", "role": Role.INSTRUCTOR})
    assert UserUniversityRole.objects.filter(
        user=person, university=university, role=Role.INSTRUCTOR
    ).exists()
    client.post(url("staff", offering.pk), {"add": "1", "user": person.pk})
    assert get_perms(person, offering)
    client.post(page, {"revoke": f"{person.pk}:{Role.INSTRUCTOR}"})
    assert list(UserUniversityRole.objects.filter(user=person).values_list("role")) == [
        (Role.STUDENT,)
    ]
    assert get_perms(person, offering) == []
    changes = RoleChange.objects.filter(user=person).order_by("pk")
    assert [(c.action, c.role, c.actor_id) for c in changes] == [
        ("grant", Role.INSTRUCTOR, chief.pk),
        ("revoke", Role.INSTRUCTOR, chief.pk),
    ]


def test_grant_invites_people_without_a_role_here_with_one_answer(
    client, offering, django_capture_on_commit_callbacks
):
    """Another university's admin, an account with no role and an unknown address get the
    same answer: an invitation; no role is granted until they accept."""
    chief = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    foreign = staff_member(CourseFactory().department, Role.UNIVERSITY_ADMIN, email="b@y.edu")
    UserFactory(email="loner@y.edu")
    client.force_login(chief)
    page = url("roles", offering.university_id)
    answers = []
    for email in ("b@y.edu", "loner@y.edu", "nobody@y.edu"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                page, {"grant": "1", "email": email, "role": Role.STUDENT}, follow=True
            )
        answers.append(_message(response).replace(email, "<email>"))
    assert (
        answers
        == ["An invitation was emailed to <email>; they become student once they accept it."] * 3
    )
    assert list(UserUniversityRole.objects.filter(user=foreign).values_list("role")) == [
        (Role.UNIVERSITY_ADMIN,)
    ]
    assert not RoleChange.objects.filter(user=foreign).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["b@y.edu", "loner@y.edu", "nobody@y.edu"]
    listing = client.get(page).content.decode()
    assert "Pending invitations" in listing
    assert foreign.full_name not in listing


@pytest.mark.parametrize("value", ["abc", "", "0", "-1", "9999999", "1.5"])
def test_staff_remove_with_a_bad_id_changes_nothing(admin_client, offering, value):
    teacher = staff_member(offering.course.department, Role.INSTRUCTOR)
    CourseOfferingInstructor.objects.create(course_offering=offering, user=teacher)
    response = admin_client.post(url("staff", offering.pk), {"remove": value}, follow=True)
    assert response.status_code == 200
    assert _message(response) == "Choose a person from the list."
    assert list(CourseOfferingInstructor.objects.values_list("user_id", flat=True)) == [teacher.pk]


def test_staff_remove_of_another_offerings_teacher_changes_nothing(admin_client, offering):
    foreign_offering = OfferingFactory()
    foreign_teacher = staff_member(foreign_offering.course.department, Role.INSTRUCTOR)
    CourseOfferingInstructor.objects.create(course_offering=foreign_offering, user=foreign_teacher)
    response = admin_client.post(
        url("staff", offering.pk), {"remove": foreign_teacher.pk}, follow=True
    )
    assert _message(response) == "Choose a person from the list."
    assert CourseOfferingInstructor.objects.filter(user=foreign_teacher).count() == 1
    foreign_page = admin_client.post(
        url("staff", foreign_offering.pk), {"remove": foreign_teacher.pk}
    )
    assert foreign_page.status_code == 404
    assert CourseOfferingInstructor.objects.filter(user=foreign_teacher).count() == 1


def test_staff_add_of_another_universitys_person_changes_nothing(admin_client, offering):
    foreign = staff_member(CourseFactory().department, Role.INSTRUCTOR)
    for value in (foreign.pk, "abc"):
        response = admin_client.post(url("staff", offering.pk), {"add": "1", "user": value})
        assert response.status_code == 200
        assert "Choose a person from the list." in response.content.decode()
    assert not CourseOfferingInstructor.objects.exists()


@pytest.mark.parametrize(
    "value", ["abc", "", ":", "1", "abc:student", "1:nonsense", "9999999:student"]
)
def test_role_revoke_with_a_bad_value_changes_nothing(client, offering, value):
    chief = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    client.force_login(chief)
    before = list(UserUniversityRole.objects.order_by("pk").values_list("pk", flat=True))
    response = client.post(url("roles", offering.university_id), {"revoke": value}, follow=True)
    assert response.status_code == 200
    assert _message(response) == "Choose a role from the list."
    assert list(UserUniversityRole.objects.order_by("pk").values_list("pk", flat=True)) == before


def test_role_revoke_of_another_universitys_role_changes_nothing(client, offering):
    chief = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    foreign_department = CourseFactory().department
    foreign = staff_member(foreign_department, Role.UNIVERSITY_ADMIN)
    client.force_login(chief)
    mine = client.post(
        url("roles", offering.university_id),
        {"revoke": f"{foreign.pk}:{Role.UNIVERSITY_ADMIN}"},
        follow=True,
    )
    assert _message(mine) == "Choose a role from the list."
    theirs = client.post(
        url("roles", foreign_department.university_id),
        {"revoke": f"{foreign.pk}:{Role.UNIVERSITY_ADMIN}"},
    )
    assert theirs.status_code == 404
    assert UserUniversityRole.objects.filter(user=foreign).count() == 1
    assert not RoleChange.objects.exists()


def test_role_grant_with_a_foreign_department_changes_nothing(client, offering):
    chief = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    person = member(offering)
    foreign_department = CourseFactory().department
    client.force_login(chief)
    response = client.post(
        url("roles", offering.university_id),
        {
            "grant": "1",
            "email": person.email,
            "role": Role.DEPARTMENT_ADMIN,
            "department": foreign_department.pk,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert list(UserUniversityRole.objects.filter(user=person).values_list("role")) == [
        (Role.STUDENT,)
    ]
    assert not Invitation.objects.exists()


def test_university_change_form_links_to_its_roles_page(client, offering):
    client.force_login(staff_member(offering.course.department, Role.UNIVERSITY_ADMIN))
    page = client.get(reverse("admin:tenancy_university_change", args=[offering.university_id]))
    assert page.status_code == 200
    assert url("roles", offering.university_id) in page.content.decode()
