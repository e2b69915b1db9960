"""CSV enrollment in the offering admin: the preview, the enrollment it confirms, and what a bad,
foreign or changed file gets."""

import pytest
from django.core import mail

from catalog.models import CourseEnrollment, Invitation
from catalog.tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    OfferingFactory,
    member_of,
    staff_member,
)
from catalog.tests.roster_admin.support import (
    ACTIVE,
    WAITLISTED,
    enroll,
    member,
    snapshot,
    statuses,
    upload,
    url,
)
from tenancy.models import Role, User, UserUniversityRole

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_env")]


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
