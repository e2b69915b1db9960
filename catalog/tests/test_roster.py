"""Roster services and selectors: decisions on many enrollments, the CSV bulk enrollment with its
all-or-nothing rule, the export, the teaching staff with their object permissions, and the
roles within a university."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_perms

from catalog.models import (
    CourseEnrollment,
    CourseOfferingInstructor,
    EnrollmentStatus,
    Invitation,
)
from catalog.selectors.roster import (
    EXPORT_HEADER,
    offering_for_roster,
    roster_export_rows,
    roster_page,
    roster_summary,
    staff_candidates,
)
from catalog.services import accounts, roles, roster, roster_csv
from catalog.services.enrollment import enrollment_create
from catalog.services.roster import StaffRefused
from catalog.services.roster_csv import RosterCsvError, RosterCsvInvalid, RowAction
from catalog.tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    OfferingFactory,
    PrerequisiteFactory,
    member_of,
    staff_member,
)
from tenancy.models import Role, User, UserUniversityRole
from tenancy.tests.factories import DepartmentFactory, RoleFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_env")]


ACTIVE = EnrollmentStatus.ACTIVE
WAITLISTED = EnrollmentStatus.WAITLISTED
PENDING = EnrollmentStatus.PENDING
DROPPED = EnrollmentStatus.DROPPED
COMPLETED = EnrollmentStatus.COMPLETED


@pytest.fixture
def offering():
    return OfferingFactory(capacity=2)


@pytest.fixture
def admin(offering):
    return staff_member(offering.course.department)


def enroll(offering, status, *, minutes_ago=0, **user):
    return EnrollmentFactory(
        course_offering=offering,
        status=status,
        user=UserFactory(**user),
        enrolled_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def statuses(offering) -> dict[str, str]:
    return dict(
        CourseEnrollment.objects.filter(course_offering=offering).values_list(
            "user__email", "status"
        )
    )


def snapshot() -> list[tuple]:
    return list(
        CourseEnrollment.objects.order_by("pk").values_list(
            "pk", "user_id", "course_offering_id", "status", "enrolled_at", "completed_at"
        )
    )


def outsiders(offering):
    """Staff who must not touch the offering: a department admin of another department of the
    same university, a university admin and a department admin of another university, an
    instructor of the offering itself, and a student."""
    other_department = DepartmentFactory(university=offering.university)
    foreign_course = CourseFactory()
    instructor = UserFactory()
    RoleFactory(user=instructor, university=offering.university, role=Role.INSTRUCTOR)
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    student = UserFactory()
    RoleFactory(user=student, university=offering.university, role=Role.STUDENT)
    return [
        staff_member(other_department),
        staff_member(foreign_course.department, Role.UNIVERSITY_ADMIN),
        staff_member(foreign_course.department),
        instructor,
        student,
    ]


# Scoped lookup ------------------------------------------------------------------------------


def test_offering_for_roster_admins_only(offering, admin):
    assert offering_for_roster(user=admin, offering_id=offering.pk) == offering
    university_admin = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    assert offering_for_roster(user=university_admin, offering_id=offering.pk) == offering
    for user in outsiders(offering):
        with pytest.raises(Http404):
            offering_for_roster(user=user, offering_id=offering.pk)
    with pytest.raises(Http404):
        offering_for_roster(user=admin, offering_id=offering.pk + 1000)


@pytest.mark.parametrize(
    "action",
    ["roster_approve", "roster_reject", "roster_promote", "roster_drop", "roster_complete"],
)
def test_every_action_is_refused_to_outsiders(offering, action):
    rows = [enroll(offering, status) for status in (PENDING, ACTIVE, WAITLISTED)]
    before = snapshot()
    for user in outsiders(offering):
        with pytest.raises(PermissionDenied):
            getattr(roster, action)(
                actor=user, offering=offering, enrollment_ids=[r.pk for r in rows]
            )
    assert snapshot() == before


# Summary, entries, export ---------------------------------------------------------------------


def test_summary_counts_and_seats(offering):
    enroll(offering, ACTIVE)
    enroll(offering, PENDING)
    enroll(offering, PENDING)
    enroll(offering, DROPPED)
    enroll(offering, COMPLETED)
    EnrollmentFactory(status=ACTIVE)  # another offering
    summary = roster_summary(offering=offering)
    assert summary.counts == {
        "active": 1,
        "completed": 1,
        "dropped": 1,
        "pending": 2,
        "waitlisted": 0,
    }
    assert (summary.total, summary.capacity, summary.seats_left) == (5, 2, 1)
    offering.capacity = None
    assert roster_summary(offering=offering).seats_left is None


def test_entries_order_positions_filters_and_search(offering):
    late = enroll(offering, WAITLISTED, minutes_ago=1, full_name="Late Lee")
    early = enroll(offering, WAITLISTED, minutes_ago=5, full_name="Early Eve")
    active = enroll(offering, ACTIVE, minutes_ago=9, full_name="Seated Sam")
    pending = enroll(offering, PENDING, minutes_ago=2, full_name="Asking Ann")
    rows = roster_page(offering=offering).object_list
    assert [r.pk for r in rows] == [pending.pk, active.pk, early.pk, late.pk]
    assert [r.waitlist_position for r in rows] == [None, None, 1, 2]
    only = roster_page(offering=offering, status=WAITLISTED, search="lee").object_list
    assert [(r.pk, r.waitlist_position) for r in only] == [(late.pk, 2)]
    by_email = roster_page(offering=offering, search=active.user.email.upper()).object_list
    assert [r.pk for r in by_email] == [active.pk]


def test_roster_page_query_count_is_constant(offering, django_assert_num_queries):
    """A count, the page with its users, and the waitlist's order: three queries at any size."""
    for size in (3, 9):
        for status in (ACTIVE, WAITLISTED, PENDING):
            for _ in range(size // 3):
                enroll(offering, status)
        with django_assert_num_queries(3):
            rows = roster_page(offering=offering).object_list
            assert [r.user.email for r in rows]
        assert len(rows) == CourseEnrollment.objects.filter(course_offering=offering).count()


def test_export_rows(offering):
    offering.university.time_zone = "Europe/Berlin"
    at = timezone.datetime(2026, 3, 1, 8, 30, tzinfo=timezone.UTC)
    done = EnrollmentFactory(
        course_offering=offering,
        status=COMPLETED,
        enrolled_at=at,
        completed_at=at + timedelta(days=30),
        user=UserFactory(email="zoe@example.edu", full_name='Zoë, "Z" Q'),
    )
    EnrollmentFactory(
        course_offering=offering,
        status=WAITLISTED,
        enrolled_at=at,
        user=UserFactory(email="amy@example.edu", full_name="Amy"),
    )
    assert list(roster_export_rows(offering=offering)) == [
        EXPORT_HEADER,
        ("amy@example.edu", "Amy", "waitlisted", "1", "2026-03-01T09:30:00+01:00", ""),
        (
            "zoe@example.edu",
            done.user.full_name,
            "completed",
            "",
            "2026-03-01T09:30:00+01:00",
            "2026-03-31T10:30:00+02:00",
        ),
    ]


# Decisions ----------------------------------------------------------------------------------


def test_approve_gives_seats_in_request_order_then_waitlists(offering, admin):
    enroll(offering, ACTIVE, email="seated@x.edu")
    second = enroll(offering, PENDING, minutes_ago=1, email="second@x.edu")
    first = enroll(offering, PENDING, minutes_ago=2, email="first@x.edu")
    enroll(offering, PENDING, email="untouched@x.edu")
    change = roster.roster_approve(
        actor=admin, offering=offering, enrollment_ids=[second.pk, first.pk]
    )
    assert [r.pk for r in change.changed] == [first.pk, second.pk]
    assert statuses(offering) == {
        "seated@x.edu": ACTIVE,
        "first@x.edu": ACTIVE,
        "second@x.edu": WAITLISTED,
        "untouched@x.edu": PENDING,
    }


def test_approve_skips_rows_that_are_not_pending_and_ignores_other_offerings(offering, admin):
    active = enroll(offering, ACTIVE)
    foreign = EnrollmentFactory(status=PENDING)
    change = roster.roster_approve(
        actor=admin, offering=offering, enrollment_ids=[active.pk, foreign.pk]
    )
    assert change.changed == []
    assert [(r.pk, reason) for r, reason in change.skipped] == [(active.pk, "not pending approval")]
    foreign.refresh_from_db()
    assert foreign.status == PENDING


def test_reject(offering, admin):
    enroll(offering, ACTIVE, email="a@x.edu")
    enroll(offering, ACTIVE, email="b@x.edu")  # full: a rejected request frees no seat
    pending = enroll(offering, PENDING, email="p@x.edu")
    waiting = enroll(offering, WAITLISTED, email="w@x.edu")
    change = roster.roster_reject(
        actor=admin, offering=offering, enrollment_ids=[pending.pk, waiting.pk]
    )
    assert [r.pk for r in change.changed] == [pending.pk]
    assert statuses(offering) == {
        "a@x.edu": ACTIVE,
        "b@x.edu": ACTIVE,
        "p@x.edu": DROPPED,
        "w@x.edu": WAITLISTED,
    }


def test_promote_respects_capacity_in_waitlist_order(offering, admin):
    enroll(offering, ACTIVE, email="seated@x.edu")
    third = enroll(offering, WAITLISTED, minutes_ago=1, email="third@x.edu")
    second = enroll(offering, WAITLISTED, minutes_ago=2, email="second@x.edu")
    enroll(offering, WAITLISTED, minutes_ago=3, email="first@x.edu")
    change = roster.roster_promote(
        actor=admin, offering=offering, enrollment_ids=[third.pk, second.pk]
    )
    # The admin chose these two; the one seat goes to the earlier of them.
    assert [r.pk for r in change.changed] == [second.pk]
    assert [(r.pk, reason) for r, reason in change.skipped] == [(third.pk, "no seat left")]
    assert statuses(offering) == {
        "seated@x.edu": ACTIVE,
        "second@x.edu": ACTIVE,
        "third@x.edu": WAITLISTED,
        "first@x.edu": WAITLISTED,
    }


def test_promote_over_capacity_when_asked(offering, admin):
    enroll(offering, ACTIVE)
    enroll(offering, ACTIVE)
    rows = [enroll(offering, WAITLISTED, minutes_ago=m) for m in (1, 2)]
    change = roster.roster_promote(
        actor=admin, offering=offering, enrollment_ids=[r.pk for r in rows], over_capacity=True
    )
    assert len(change.changed) == 2
    summary = roster_summary(offering=offering)
    assert (summary.counts["active"], summary.seats_left, summary.over_capacity) == (4, 0, 2)
    # Over capacity, a drop frees no seat for the waitlist.
    late = enroll(offering, WAITLISTED)
    change = roster.roster_drop(actor=admin, offering=offering, enrollment_ids=[rows[0].pk])
    assert change.promoted == []
    late.refresh_from_db()
    assert late.status == WAITLISTED


def test_drop_promotes_the_waitlist_in_order(offering, admin):
    one = enroll(offering, ACTIVE, email="one@x.edu")
    two = enroll(offering, ACTIVE, email="two@x.edu")
    enroll(offering, WAITLISTED, minutes_ago=1, email="late@x.edu")
    enroll(offering, WAITLISTED, minutes_ago=3, email="early@x.edu")
    enroll(offering, WAITLISTED, minutes_ago=2, email="middle@x.edu")
    done = enroll(offering, COMPLETED, email="done@x.edu")
    change = roster.roster_drop(
        actor=admin, offering=offering, enrollment_ids=[one.pk, two.pk, done.pk]
    )
    assert sorted(r.pk for r in change.changed) == sorted([one.pk, two.pk])
    assert [r.user.email for r in change.promoted] == ["early@x.edu", "middle@x.edu"]
    assert [(r.pk, reason) for r, reason in change.skipped] == [(done.pk, "completed")]
    assert statuses(offering) == {
        "one@x.edu": DROPPED,
        "two@x.edu": DROPPED,
        "early@x.edu": ACTIVE,
        "middle@x.edu": ACTIVE,
        "late@x.edu": WAITLISTED,
        "done@x.edu": COMPLETED,
    }


def test_complete_marks_active_and_frees_the_seat(offering, admin):
    now = timezone.now()
    one = enroll(offering, ACTIVE, email="one@x.edu")
    enroll(offering, ACTIVE, email="two@x.edu")
    enroll(offering, WAITLISTED, email="next@x.edu")
    pending = enroll(offering, PENDING, email="p@x.edu")
    change = roster.roster_complete(
        actor=admin, offering=offering, enrollment_ids=[one.pk, pending.pk], now=now
    )
    one.refresh_from_db()
    assert (one.status, one.completed_at) == (COMPLETED, now)
    assert [r.user.email for r in change.promoted] == ["next@x.edu"]
    assert statuses(offering)["p@x.edu"] == PENDING


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


# Teaching staff -----------------------------------------------------------------------------


def teacher_at(university, role=Role.INSTRUCTOR):
    user = UserFactory()
    RoleFactory(user=user, university=university, role=role)
    return user


def test_staff_add_and_remove_grant_and_revoke_object_permissions(offering, admin):
    teacher = teacher_at(offering.university)
    assert list(staff_candidates(offering=offering)) == [teacher]
    roster.offering_staff_add(actor=admin, offering=offering, user=teacher)
    assert set(get_perms(teacher, offering)) == {"view_courseoffering", "change_courseoffering"}
    assert set(get_perms(teacher, offering.course)) == {"view_course", "change_course"}
    assert list(staff_candidates(offering=offering)) == []
    roster.offering_staff_remove(actor=admin, offering=offering, user=teacher)
    assert get_perms(teacher, offering) == []
    assert get_perms(teacher, offering.course) == []
    assert not CourseOfferingInstructor.objects.filter(user=teacher).exists()


def test_staff_add_needs_a_teaching_role_at_the_university(offering, admin):
    stranger = teacher_at(CourseFactory().university)
    with pytest.raises(StaffRefused) as caught:
        roster.offering_staff_add(actor=admin, offering=offering, user=stranger)
    assert "holds no instructor or teaching assistant role" in caught.value.messages[0]
    assert not CourseOfferingInstructor.objects.exists()
    assert get_perms(stranger, offering) == []


def test_staff_changes_refused_to_outsiders(offering):
    teacher = teacher_at(offering.university, Role.TA)
    for user in outsiders(offering):
        with pytest.raises(PermissionDenied):
            roster.offering_staff_add(actor=user, offering=offering, user=teacher)
    assert get_perms(teacher, offering) == []


# Roles within a university ------------------------------------------------------------------


def test_role_grant_and_revoke_by_university_admin(offering):
    university = offering.university
    chief = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    person = UserFactory()
    roles.university_role_grant(
        actor=chief, university=university, user=person, role=Role.INSTRUCTOR
    )
    roster.offering_staff_add(actor=chief, offering=offering, user=person)
    other_run = OfferingFactory(course=offering.course)
    roster.offering_staff_add(actor=chief, offering=other_run, user=person)
    roles.university_role_grant(actor=chief, university=university, user=person, role=Role.TA)
    roles.university_role_revoke(
        actor=chief, university=university, user=person, role=Role.INSTRUCTOR
    )
    assert set(get_perms(person, offering)) == {"view_courseoffering", "change_courseoffering"}
    roles.university_role_revoke(actor=chief, university=university, user=person, role=Role.TA)
    assert get_perms(person, offering) == []
    assert get_perms(person, other_run) == []
    assert get_perms(person, offering.course) == []
    assert not CourseOfferingInstructor.objects.filter(user=person).exists()
    assert not UserUniversityRole.objects.filter(user=person).exists()


def test_department_admin_role_keeps_its_department(offering):
    chief = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    person = UserFactory()
    row = roles.university_role_grant(
        actor=chief,
        university=offering.university,
        user=person,
        role=Role.DEPARTMENT_ADMIN,
        department=offering.course.department,
    )
    assert row.department == offering.course.department


def test_roles_refused_to_department_admins_and_other_universities(offering, admin):
    person = UserFactory()
    foreign_chief = staff_member(CourseFactory().department, Role.UNIVERSITY_ADMIN)
    for actor in (admin, foreign_chief):
        with pytest.raises(PermissionDenied):
            roles.university_role_grant(
                actor=actor, university=offering.university, user=person, role=Role.INSTRUCTOR
            )
    chief = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    with pytest.raises(PermissionDenied):
        roles.university_role_grant(
            actor=chief, university=offering.university, user=person, role=Role.PLATFORM_ADMIN
        )
    with pytest.raises(StaffRefused):
        roles.university_role_revoke(
            actor=chief, university=offering.university, user=chief, role=Role.UNIVERSITY_ADMIN
        )
    assert not UserUniversityRole.objects.filter(user=person).exists()
    assert UserUniversityRole.objects.filter(user=chief).count() == 1


def test_waitlist_promotion_order_matches_enrollment_order(offering, admin):
    """Students who joined a full offering get the freed seats in the order they came."""
    enroll(offering, ACTIVE, email="a@x.edu")
    seated = enroll(offering, ACTIVE, email="b@x.edu")
    names = ["w1@x.edu", "w2@x.edu", "w3@x.edu"]
    for email in names:
        outcome = enrollment_create(offering=offering, user=UserFactory(email=email))
        assert outcome.enrollment.status == WAITLISTED
    promoted = []
    for _ in names:
        change = roster.roster_drop(actor=admin, offering=offering, enrollment_ids=[seated.pk])
        promoted += [r.user.email for r in change.promoted]
        seated = change.promoted[0]
    assert promoted == names
