"""The roster pages of the offering admin: the roster with its filters, decisions with their
confirmation pages, CSV enrollment with its preview, the export, the staff and roles pages;
each refused to staff of another department or university."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from guardian.shortcuts import get_perms

from catalog.models import (
    CourseEnrollment,
    CourseOfferingInstructor,
    EnrollmentStatus,
    Invitation,
)
from catalog.tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    OfferingFactory,
    member_of,
    staff_member,
)
from tenancy.models import Role, RoleChange, User, UserUniversityRole
from tenancy.tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_env")]

ACTIVE = EnrollmentStatus.ACTIVE
WAITLISTED = EnrollmentStatus.WAITLISTED
PENDING = EnrollmentStatus.PENDING
DROPPED = EnrollmentStatus.DROPPED
COMPLETED = EnrollmentStatus.COMPLETED


@pytest.fixture
def offering():
    return OfferingFactory(capacity=2, term_name="Fall")


@pytest.fixture
def admin_client(client, offering):
    client.force_login(staff_member(offering.course.department, Role.DEPARTMENT_ADMIN))
    return client


def url(name, *args):
    return reverse(f"admin:catalog_courseoffering_{name}", args=args)


def outsiders(offering):
    other_department = DepartmentFactory(university=offering.university)
    foreign = CourseFactory().department
    instructor = staff_member(offering.course.department, Role.INSTRUCTOR)
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    return {
        "admin of another department": staff_member(other_department, Role.DEPARTMENT_ADMIN),
        "admin of another university": staff_member(foreign, Role.UNIVERSITY_ADMIN),
        "department admin elsewhere": staff_member(foreign, Role.DEPARTMENT_ADMIN),
        "instructor of the offering": instructor,
    }


def enroll(offering, status, **user):
    return EnrollmentFactory(course_offering=offering, status=status, user=UserFactory(**user))


def statuses(offering) -> dict[str, str]:
    return dict(
        CourseEnrollment.objects.filter(course_offering=offering).values_list(
            "user__email", "status"
        )
    )


def snapshot():
    return list(CourseEnrollment.objects.order_by("pk").values_list("pk", "status", "enrolled_at"))


def upload(client, offering, text: str | bytes, name="roster.csv"):
    data = text.encode() if isinstance(text, str) else text
    file = io.BytesIO(data)
    file.name = name
    return client.post(url("roster_enroll", offering.pk), {"file": file})


def member(offering, **user):
    return member_of(offering.university, **user)


# The roster ---------------------------------------------------------------------------------


def test_roster_page_counts_filters_and_search(admin_client, offering):
    enroll(offering, ACTIVE, full_name="Ada Active")
    enroll(offering, PENDING, full_name="Pia Pending")
    enroll(offering, WAITLISTED, full_name="Walt Waiting", email="walt@x.edu")
    response = admin_client.get(url("roster", offering.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<dd id="seats-left">1</dd>' in page
    assert '<dd id="count-pending">1</dd>' in page
    assert '<dd id="count-waitlisted">1</dd>' in page
    assert all(name in page for name in ("Ada Active", "Pia Pending", "Walt Waiting"))
    filtered = admin_client.get(url("roster", offering.pk), {"status": "pending"}).content.decode()
    assert "Pia Pending" in filtered
    assert "Ada Active" not in filtered
    found = admin_client.get(url("roster", offering.pk), {"q": "WALT@"}).content.decode()
    assert "Walt Waiting" in found
    assert "Pia Pending" not in found


def test_roster_pages_are_404_for_outsiders(client, offering):
    pending = enroll(offering, PENDING)
    before = snapshot()
    pages = [
        url(name, offering.pk) for name in ("roster", "roster_enroll", "roster_export", "staff")
    ]
    for who, user in outsiders(offering).items():
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code == 404, (who, page)
        response = client.post(
            url("roster", offering.pk),
            {"decision": "approve", "ids": [pending.pk], "confirm": "yes"},
        )
        assert response.status_code == 404, who
        assert upload(client, offering, "a@x.edu\n").status_code == 404
    assert snapshot() == before
    assert not User.objects.filter(email="a@x.edu").exists()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("decision", "start", "end"),
    [
        ("approve", PENDING, ACTIVE),
        ("reject", PENDING, DROPPED),
        ("promote", WAITLISTED, ACTIVE),
        ("drop", ACTIVE, DROPPED),
        ("complete", ACTIVE, COMPLETED),
    ],
)
def test_each_decision_asks_for_confirmation_then_acts(
    admin_client, client, offering, decision, start, end
):
    row = enroll(offering, start, email="s@x.edu")
    form = {"decision": decision, "ids": [row.pk], "next": url("roster", offering.pk)}
    confirm = admin_client.post(url("roster", offering.pk), form)
    assert confirm.status_code == 200
    assert "Are you sure?" in confirm.content.decode()
    assert "1 enrollment will change." in confirm.content.decode()
    assert statuses(offering) == {"s@x.edu": start}

    done = admin_client.post(url("roster", offering.pk), {**form, "confirm": "yes"})
    assert done.status_code == 302
    assert done["Location"] == url("roster", offering.pk)
    assert statuses(offering) == {"s@x.edu": end}

    row.status = start
    row.save()
    for who, user in outsiders(offering).items():
        client.force_login(user)
        response = client.post(url("roster", offering.pk), {**form, "confirm": "yes"})
        assert response.status_code == 404, who
    assert statuses(offering) == {"s@x.edu": start}


def test_approving_reports_seats_and_the_waitlist_apart(admin_client, offering):
    enroll(offering, ACTIVE)
    first = enroll(offering, PENDING, email="first@x.edu")
    second = enroll(offering, PENDING, email="second@x.edu")
    form = {"decision": "approve", "ids": [first.pk, second.pk], "confirm": "yes"}

    done = admin_client.post(url("roster", offering.pk), form, follow=True)

    assert [str(m) for m in done.context["messages"]] == [
        f"{offering}: 1 approved with a seat; 1 approved onto the waitlist (no seat was free)."
    ]
    assert statuses(offering)["first@x.edu"] == ACTIVE
    assert statuses(offering)["second@x.edu"] == WAITLISTED


def test_approving_only_onto_the_waitlist_says_so(admin_client, offering):
    enroll(offering, ACTIVE)
    enroll(offering, ACTIVE)
    waiting = [enroll(offering, PENDING, email=f"w{n}@x.edu") for n in range(2)]
    form = {"decision": "approve", "ids": [w.pk for w in waiting], "confirm": "yes"}

    done = admin_client.post(url("roster", offering.pk), form, follow=True)

    assert [str(m) for m in done.context["messages"]] == [
        f"{offering}: 2 approved onto the waitlist (no seats were free)."
    ]


@pytest.mark.parametrize(
    ("decision", "one", "two"),
    [
        ("approve", "1 approved with a seat", "2 approved with a seat"),
        ("reject", "1 rejected", "2 rejected"),
        ("resend_invitation", "1 invitation sent", "2 invitations sent"),
        ("complete", "1 marked completed", "2 marked completed"),
    ],
)
def test_decision_messages_agree_with_their_count(decision, one, two):
    from catalog.admin.roster_actions import DECISIONS
    from catalog.services.roster import RosterChange, roster_change_summary

    rows = [EnrollmentFactory.build(), EnrollmentFactory.build()]
    done = DECISIONS[decision].done

    assert roster_change_summary(RosterChange(changed=rows[:1]), done) == f"{one}."
    assert roster_change_summary(RosterChange(changed=rows), done) == f"{two}."


def test_promote_past_capacity_only_when_ticked(admin_client, offering):
    enroll(offering, ACTIVE)
    enroll(offering, ACTIVE)
    waiting = enroll(offering, WAITLISTED, email="w@x.edu")
    form = {"decision": "promote", "ids": [waiting.pk], "confirm": "yes"}
    admin_client.post(url("roster", offering.pk), form)
    assert statuses(offering)["w@x.edu"] == WAITLISTED
    admin_client.post(url("roster", offering.pk), {**form, "over_capacity": "on"})
    assert statuses(offering)["w@x.edu"] == ACTIVE


def test_changelist_actions_confirm_and_stay_in_scope(client, offering):
    mine = enroll(offering, PENDING, email="mine@x.edu")
    elsewhere = OfferingFactory(course=CourseFactory(university=offering.university))
    theirs = enroll(elsewhere, PENDING, email="theirs@x.edu")
    client.force_login(staff_member(offering.course.department, Role.DEPARTMENT_ADMIN))
    changelist = reverse("admin:catalog_courseenrollment_changelist")
    form = {"action": "roster_approve", ACTION_CHECKBOX_NAME: [mine.pk, theirs.pk]}
    confirm = client.post(changelist, form)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "mine@x.edu" in page
    assert "theirs@x.edu" not in page
    client.post(changelist, {**form, "confirm": "yes"})
    assert statuses(offering) == {"mine@x.edu": ACTIVE}
    assert statuses(elsewhere) == {"theirs@x.edu": PENDING}


def test_changelist_action_refused_to_an_instructor(client, offering):
    row = enroll(offering, PENDING, email="p@x.edu")
    instructor = outsiders(offering)["instructor of the offering"]
    client.force_login(instructor)
    changelist = reverse("admin:catalog_courseenrollment_changelist")
    client.post(
        changelist,
        {"action": "roster_approve", ACTION_CHECKBOX_NAME: [row.pk], "confirm": "yes"},
    )
    assert statuses(offering) == {"p@x.edu": PENDING}


# CSV enrollment -----------------------------------------------------------------------------


def test_csv_preview_then_enroll(admin_client, offering, django_capture_on_commit_callbacks):
    member(offering, email="known@x.edu")
    enroll(offering, ACTIVE, email="seated@x.edu")
    member(offering, email="late@x.edu")
    text = "email,name\nknown@x.edu,\nseated@x.edu,\nknown@x.edu,\nlate@x.edu,\nnew@x.edu,Nia\n"
    preview = upload(admin_client, offering, text)
    assert preview.status_code == 200
    page = preview.content.decode()
    for message in (
        "Enroll.",
        "Already in the offering: active.",
        "Same email as line 2; skipped.",
        "Waitlist, place 1.",
        "Invitation: an email goes to this address",
        "1 to invite",
    ):
        assert message in page
    assert statuses(offering) == {"seated@x.edu": ACTIVE}  # nothing written yet
    payload = preview.context["payload"]
    assert payload

    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(url("roster_enroll", offering.pk), {"payload": payload})
    assert done.status_code == 302
    assert statuses(offering) == {
        "seated@x.edu": ACTIVE,
        "known@x.edu": ACTIVE,
        "late@x.edu": WAITLISTED,
    }
    assert [m.to for m in mail.outbox] == [["new@x.edu"]]
    followed = admin_client.get(done["Location"]).content.decode()
    assert "1 enrolled, 1 waitlisted, 1 already in the offering, 1 invited" in followed
    assert "Pending invitations" in followed
    assert "new@x.edu" in followed


def test_csv_with_a_bad_row_shows_errors_and_writes_nothing(admin_client, offering):
    member(offering, email="known@x.edu")
    before, users = snapshot(), User.objects.count()
    response = upload(admin_client, offering, "known@x.edu\nnot an email\nnew@x.edu\n")
    page = response.content.decode()
    assert "“not an email” is not a valid email address." in page
    assert "nothing was saved" in page
    assert response.context["payload"] == ""
    assert snapshot() == before
    assert User.objects.count() == users
    assert not Invitation.objects.exists()


def _preview_rows(response) -> list[tuple]:
    return [(p.action, p.message, p.user) for p in response.context["plan"].rows]


def test_csv_answers_the_same_for_foreign_and_unknown_addresses(admin_client, offering):
    """Another university's student and admin, and an address no account uses, look alike in
    the preview; enrolling them only sends invitations, and no name of theirs shows."""
    elsewhere = CourseFactory().department
    member_of(elsewhere.university, email="b-student@y.edu", full_name="Bertha Beta")
    staff_member(elsewhere, Role.UNIVERSITY_ADMIN, email="b-admin@y.edu", full_name="Boris Beta")
    answers = [
        _preview_rows(upload(admin_client, offering, f"{email}\n"))
        for email in ("b-student@y.edu", "b-admin@y.edu", "nobody@y.edu")
    ]
    assert answers[0] == answers[1] == answers[2]
    response = upload(admin_client, offering, "b-student@y.edu\nb-admin@y.edu\nnobody@y.edu\n")
    admin_client.post(url("roster_enroll", offering.pk), {"payload": response.context["payload"]})
    assert statuses(offering) == {}
    assert (
        not UserUniversityRole.objects.filter(university=offering.university)
        .exclude(role=Role.DEPARTMENT_ADMIN)
        .exists()
    )
    roster_page = admin_client.get(url("roster", offering.pk)).content.decode()
    export = b"".join(admin_client.get(url("roster_export", offering.pk)).streaming_content)
    for page in (roster_page, export.decode()):
        assert "Bertha" not in page
        assert "Boris" not in page
        assert "b-admin@y.edu" in page  # the address as typed, pending
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "b-admin@y.edu",
        "b-student@y.edu",
        "nobody@y.edu",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"email\n\n", "The file has no rows with an email address."),
        ("ana@x.edu,Añá\n".encode("cp1252"), "Line 1 is not UTF-8 text."),
        (b"a@x.edu\n" * 2001, "The file has more than 2000 rows"),
    ],
)
def test_csv_unreadable_files_get_a_clear_message(admin_client, offering, data, message):
    response = upload(admin_client, offering, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CourseEnrollment.objects.count() == 0


def test_csv_tampered_or_foreign_payload_is_refused(admin_client, offering):
    member(offering, email="known@x.edu")
    payload = upload(admin_client, offering, "known@x.edu\n").context["payload"]
    bad = admin_client.post(url("roster_enroll", offering.pk), {"payload": payload + "x"})
    assert bad.status_code == 302
    other = OfferingFactory(course=offering.course, term_name="Spring")
    admin_client.post(url("roster_enroll", other.pk), {"payload": payload})
    assert CourseEnrollment.objects.count() == 0


def test_csv_plan_changed_since_preview(admin_client, offering):
    member(offering, email="known@x.edu")
    payload = upload(admin_client, offering, "known@x.edu\n").context["payload"]
    other_run = OfferingFactory(course=offering.course, term_name="Spring")
    EnrollmentFactory(
        course_offering=other_run, status=ACTIVE, user=User.objects.get(email="known@x.edu")
    )
    response = admin_client.post(url("roster_enroll", offering.pk), {"payload": payload})
    assert response.status_code == 200
    assert "Enrolled in Spring of this course; drop that first." in response.content.decode()
    assert statuses(offering) == {}


# Export -------------------------------------------------------------------------------------


def test_export_streams_the_roster(admin_client, offering):
    offering.university.time_zone = "UTC"
    offering.university.save()
    enroll(offering, ACTIVE, email="b@x.edu", full_name='Bea, "B"')
    enroll(offering, WAITLISTED, email="w@x.edu", full_name="Wim")
    response = admin_client.get(url("roster_export", offering.pk))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="roster-{offering.course.code.lower()}-fall.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert [row[:4] for row in rows] == [
        ["email", "full_name", "status", "waitlist_position"],
        ["b@x.edu", 'Bea, "B"', "active", ""],
        ["w@x.edu", "Wim", "waitlisted", "1"],
    ]


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


def _message(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


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


@pytest.mark.parametrize("decision", ["approve", "reject", "promote", "drop", "complete"])
def test_decisions_on_another_universitys_enrollment_change_nothing(
    admin_client, offering, decision
):
    foreign = EnrollmentFactory(course_offering=OfferingFactory(), status=PENDING)
    before = snapshot()
    response = admin_client.post(
        url("roster", offering.pk),
        {"decision": decision, "ids": [foreign.pk, "abc"], "confirm": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert snapshot() == before
    assert foreign.user.email not in _message(response)
