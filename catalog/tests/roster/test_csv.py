"""The CSV bulk enrollment with its all-or-nothing rule and the invitations it sends."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from catalog.models import CourseEnrollment, Invitation
from catalog.services import accounts, roster, roster_csv
from catalog.services.roster_csv import RosterCsvError, RosterCsvInvalid, RowAction
from catalog.tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    OfferingFactory,
    PrerequisiteFactory,
    member_of,
    staff_member,
)
from catalog.tests.roster.support import (
    ACTIVE,
    DROPPED,
    WAITLISTED,
    enroll,
    outsiders,
    snapshot,
    statuses,
)
from tenancy.models import Role, User, UserUniversityRole
from tenancy.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_env")]


# CSV ----------------------------------------------------------------------------------------


def parse(text: str, encoding: str = "utf-8") -> list[roster_csv.CsvRow]:
    return roster_csv.roster_csv_parse(text.encode(encoding))


def test_parse_with_header_in_any_order_and_separator():
    rows = parse("Name;E-mail\nAna Díaz;ana@x.edu\n\n;bo@x.edu\n")
    assert rows == [
        roster_csv.CsvRow(line=2, email="ana@x.edu", name="Ana Díaz"),
        roster_csv.CsvRow(line=4, email="bo@x.edu", name=""),
    ]


def test_parse_without_header_bom_and_utf16():
    expected = [
        roster_csv.CsvRow(line=1, email="ana@x.edu", name="Ana Díaz"),
        roster_csv.CsvRow(line=2, email="bo@x.edu", name=""),
    ]
    assert parse("\ufeffana@x.edu,Ana Díaz\r\nbo@x.edu\r\n") == expected
    assert parse("ana@x.edu\tAna Díaz\nbo@x.edu\n", "utf-16") == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "no rows"),
        (b"email,name\n\n,\n", "no rows"),
        ("ana@x.edu,Ana Díaz\n".encode("latin-1"), "Line 1 is not UTF-8"),
        (b"PK\x03\x04\x00\x00binary", "not a CSV text file"),
        (b"a@x.edu\n" * (roster_csv.MAX_ROWS + 1), "more than 2000 rows"),
        (b"x" * (roster_csv.MAX_UPLOAD_BYTES + 1), "larger than 1024 KB"),
    ],
)
def test_parse_refuses_unreadable_files(data, message):
    with pytest.raises(RosterCsvError) as caught:
        roster_csv.roster_csv_parse(data)
    assert message in caught.value.messages[0]


def member(offering, **user):
    return member_of(offering.university, **user)


def test_plan_row_by_row(offering):
    enroll(offering, ACTIVE, email="seated@x.edu")
    member(offering, email="known@x.edu")
    member(offering, email="second@x.edu")
    dropped = enroll(offering, DROPPED, email="back@x.edu")  # a student there, as enrolled
    other_run = OfferingFactory(course=offering.course, term_name="Spring")
    EnrollmentFactory(
        course_offering=other_run, status=ACTIVE, user=member(offering, email="elsewhere@x.edu")
    )
    rows = parse(
        "email,name\n"
        "Known@X.edu,\n"
        "seated@x.edu,\n"
        "not-an-email,\n"
        "known@x.edu,again\n"
        "new@x.edu,New Person\n"
        "back@x.edu,\n"
        "elsewhere@x.edu,\n"
        "second@x.edu,\n"
    )
    plan = roster_csv.roster_csv_plan(offering=offering, rows=rows)
    got = [(p.row.line, p.action, p.message) for p in plan.rows]
    assert got == [
        (2, RowAction.ENROLL, "Enroll."),
        (3, RowAction.ALREADY, "Already in the offering: active."),
        (4, RowAction.ERROR, "“not-an-email” is not a valid email address."),
        (5, RowAction.DUPLICATE, "Same email as line 2; skipped."),
        (6, RowAction.INVITE, INVITE_MESSAGE),
        (7, RowAction.WAITLIST, "Waitlist, place 1."),
        (8, RowAction.ERROR, "Enrolled in Spring of this course; drop that first."),
        (9, RowAction.WAITLIST, "Waitlist, place 2."),
    ]
    assert plan.rows[5].enrollment == dropped
    assert not plan.is_valid


INVITE_MESSAGE = (
    "Invitation: an email goes to this address; they join the offering once they accept it."
)


def test_plan_gives_the_same_answer_for_every_address_without_a_role_here(offering):
    """Another university's student, another university's admin, an account with no role and
    an address no account uses: the same invitation row, nothing that tells them apart."""
    elsewhere = CourseFactory().department
    member(OfferingFactory(course=CourseFactory(department=elsewhere)), email="b-student@y.edu")
    staff_member(elsewhere, Role.UNIVERSITY_ADMIN, email="b-admin@y.edu")
    UserFactory(email="loner@y.edu")
    rows = parse("b-student@y.edu,\nb-admin@y.edu,\nloner@y.edu,\nnobody@y.edu,\n")
    plan = roster_csv.roster_csv_plan(offering=offering, rows=rows)
    assert [(p.action, p.message, p.user) for p in plan.rows] == [
        (RowAction.INVITE, INVITE_MESSAGE, None)
    ] * 4
    assert plan.is_valid


def test_plan_checks_prerequisites(offering):
    PrerequisiteFactory(course=offering.course)
    member(offering, email="fresh@x.edu")
    plan = roster_csv.roster_csv_plan(offering=offering, rows=parse("fresh@x.edu\n"))
    assert plan.rows[0].action == RowAction.ERROR
    assert plan.rows[0].message.startswith("Prerequisites not met: Complete ")


def test_csv_with_a_bad_row_writes_nothing(offering, admin, django_capture_on_commit_callbacks):
    member(offering, email="known@x.edu")
    enroll(offering, DROPPED, email="back@x.edu")
    users_before = User.objects.count()
    before = snapshot()
    rows = parse("known@x.edu\nnew@x.edu,New\nback@x.edu\nbroken@\n")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RosterCsvInvalid) as caught,
    ):
        roster_csv.roster_csv_enroll(actor=admin, offering=offering, rows=rows)
    assert [(p.row.line, p.action) for p in caught.value.plan.errors] == [(4, RowAction.ERROR)]
    assert snapshot() == before
    assert User.objects.count() == users_before
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_csv_enrolls_members_and_invites_everyone_else(
    offering, admin, django_capture_on_commit_callbacks
):
    known = member(offering, email="known@x.edu")
    dropped = enroll(offering, DROPPED, email="back@x.edu")  # a student there, as enrolled
    foreign = staff_member(CourseFactory().department, Role.UNIVERSITY_ADMIN, email="b@y.edu")
    rows = parse("email,name\nknown@x.edu,\nNew@X.edu,Nia New\nback@x.edu,\nB@y.edu,\n")
    users_before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        plan = roster_csv.roster_csv_enroll(actor=admin, offering=offering, rows=rows)
    assert [(p.row.email, p.action) for p in plan.rows] == [
        ("known@x.edu", RowAction.ENROLL),
        ("New@X.edu", RowAction.INVITE),
        ("back@x.edu", RowAction.ENROLL),
        ("B@y.edu", RowAction.INVITE),
    ]
    assert User.objects.count() == users_before  # no account is made for anyone
    assert statuses(offering) == {"known@x.edu": ACTIVE, "back@x.edu": ACTIVE}
    dropped.refresh_from_db()
    assert dropped.status == ACTIVE  # the same row, reused
    assert not UserUniversityRole.objects.filter(user=foreign, role=Role.STUDENT).exists()
    invited = Invitation.objects.order_by("email")
    assert [(i.email, i.role, i.course_offering_id, i.invited_by_id) for i in invited] == [
        ("B@y.edu", Role.STUDENT, offering.pk, admin.pk),
        ("New@X.edu", Role.STUDENT, offering.pk, admin.pk),
    ]
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["B@y.edu", "New@X.edu"]
    assert known.email not in [m.to[0] for m in mail.outbox]
    body = next(m.body for m in mail.outbox if m.to == ["New@X.edu"])
    assert f"/invitations/{invited[1].token}/" in body
    assert offering.course.title in body


def test_invitation_is_not_sent_once_the_account_is_used(offering):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    assert accounts.account_invitation_send(user_id=user.pk, offering_id=offering.pk)
    user.set_password("chosen-secret-123")
    user.save()
    assert not accounts.account_invitation_send(user_id=user.pk, offering_id=offering.pk)
    assert len(mail.outbox) == 1


def test_resend_invitations_only_to_unused_accounts(
    offering, admin, django_capture_on_commit_callbacks
):
    fresh = enroll(offering, ACTIVE, email="fresh@x.edu")
    fresh.user.set_unusable_password()
    fresh.user.save()
    used = enroll(offering, ACTIVE, email="used@x.edu")
    with django_capture_on_commit_callbacks(execute=True):
        change = roster.roster_invitations_resend(
            actor=admin, offering=offering, enrollment_ids=[fresh.pk, used.pk]
        )
    assert [r.pk for r in change.changed] == [fresh.pk]
    assert [m.to for m in mail.outbox] == [["fresh@x.edu"]]


def test_csv_fills_free_seats_from_the_waitlist_first(offering, admin):
    queued = enroll(offering, WAITLISTED, email="queued@x.edu")  # a seat is free
    member(offering, email="a@x.edu")
    member(offering, email="b@x.edu")
    rows = parse("a@x.edu\nb@x.edu\n")
    plan = roster_csv.roster_csv_plan(offering=offering, rows=rows)
    assert [p.action for p in plan.rows] == [RowAction.ENROLL, RowAction.WAITLIST]
    roster_csv.roster_csv_enroll(actor=admin, offering=offering, rows=rows)
    queued.refresh_from_db()
    assert queued.status == ACTIVE
    assert statuses(offering) == {"queued@x.edu": ACTIVE, "a@x.edu": ACTIVE, "b@x.edu": WAITLISTED}


def test_csv_enroll_refused_to_outsiders(offering):
    member(offering, email="a@x.edu")
    for user in outsiders(offering):
        with pytest.raises(PermissionDenied):
            roster_csv.roster_csv_enroll(
                actor=user, offering=offering, rows=parse("a@x.edu\nz@y.edu")
            )
    assert CourseEnrollment.objects.count() == 0
    assert not Invitation.objects.exists()


def test_admin_enrollment_ignores_window_and_approval(admin, offering):
    offering.requires_approval = True
    offering.enrollment_end = timezone.now() - timedelta(days=1)
    offering.save()
    member(offering, email="a@x.edu")
    roster_csv.roster_csv_enroll(actor=admin, offering=offering, rows=parse("a@x.edu\n"))
    assert statuses(offering) == {"a@x.edu": ACTIVE}
