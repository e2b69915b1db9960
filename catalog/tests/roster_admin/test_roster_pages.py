"""The roster pages of the offering admin: the roster with its filters, decisions with their
confirmation pages, the export; each refused to staff of another department or university."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from catalog.models import CourseOfferingInstructor, EnrollmentStatus, Invitation
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory, staff_member
from catalog.tests.roster_admin.support import (
    ACTIVE,
    WAITLISTED,
    _message,
    enroll,
    snapshot,
    statuses,
    upload,
    url,
)
from tenancy.models import Role, User
from tenancy.tests.factories import DepartmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_env")]
PENDING = EnrollmentStatus.PENDING
DROPPED = EnrollmentStatus.DROPPED
COMPLETED = EnrollmentStatus.COMPLETED


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
