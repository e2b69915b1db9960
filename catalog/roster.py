"""Writes behind an offering's roster in the admin: decisions on many enrollments at once, the
CSV bulk enrollment, the offering's teaching staff and the roles within a university.

Every write checks the actor first and runs in one transaction that starts by locking the
offering row, the same lock the student-facing services in catalog.services take, so a roster
action and a student enrolling at the same moment run one after the other.

Capacity. Seats are held by active enrollments. Admin enrollment (the CSV) ignores the
enrollment window and the approval step (the admin is the one who approves) but not the
seats: once they run out, rows go to the waitlist. Promoting from the waitlist also respects
the seats, in queue order among the selected students, unless the admin explicitly asks to
go over capacity; then every selected student gets a seat and the offering stays over
capacity until enough students leave (no one is promoted while it is). Dropping and
completing free seats, which go to the waitlist at once, as catalog.services does.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast, Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from guardian.models import UserObjectPermission

from catalog.models import Course, CourseEnrollment, CourseOffering, CourseOfferingInstructor
from catalog.models import EnrollmentStatus as Status
from catalog.roster_selectors import TEACHING_ROLES
from catalog.services import (
    EnrollmentRefused,
    _check_prerequisites,
    _fill_seats,
    _free_seats,
    _lock_offering,
    enrollment_approve,
    enrollment_drop,
    enrollment_reject,
    offering_instructor_add,
    offering_instructor_remove,
)
from lms import outbox
from tenancy.access import administers, can_administer_university, forget_tenant_scope
from tenancy.models import Department, Role, University, User, UserUniversityRole
from tenancy.services import role_grant, role_revoke

# Roster decisions ------------------------------------------------------------------------


@dataclass
class RosterChange:
    """What a roster action did: the rows it changed, the ones it left alone with the reason,
    and the waitlisted students who got a freed seat."""

    changed: list[CourseEnrollment] = field(default_factory=list)
    skipped: list[tuple[CourseEnrollment, str]] = field(default_factory=list)
    promoted: list[CourseEnrollment] = field(default_factory=list)
    # Among `changed`: approved requests that found no free seat and joined the waitlist.
    waitlisted: list[CourseEnrollment] = field(default_factory=list)


def _check_manager(actor: User, offering: CourseOffering) -> None:
    if not administers(
        user=actor,
        university_id=offering.university_id,
        department_id=offering.course.department_id,
    ):
        raise PermissionDenied(_("Only an admin of the course's department may do this."))


def _locked_rows(offering: CourseOffering, enrollment_ids: Iterable[int]) -> list[CourseEnrollment]:
    """The selected enrollments of this offering (ids of other offerings are ignored), locked,
    in queue order."""
    return list(
        CourseEnrollment.objects.select_for_update()
        .filter(course_offering=offering, pk__in=list(enrollment_ids))
        .select_related("user")
        .order_by("enrolled_at", "pk")
    )


def _begin(actor: User, offering: CourseOffering) -> CourseOffering:
    locked = _lock_offering(offering.pk)
    _check_manager(actor, locked)
    return locked


def _not_in(status: str) -> str:
    return _("not %(status)s") % {"status": Status(status).label.lower()}


@transaction.atomic
def roster_approve(
    *, actor: User, offering: CourseOffering, enrollment_ids: Iterable[int]
) -> RosterChange:
    """Approve the selected pending requests, in the order they were made: a seat while there
    is one, the waitlist after that."""
    offering = _begin(actor, offering)
    change = RosterChange()
    for row in _locked_rows(offering, enrollment_ids):
        if row.status != Status.PENDING:
            change.skipped.append((row, _not_in(Status.PENDING)))
            continue
        approved = enrollment_approve(enrollment=row, actor=actor).enrollment
        change.changed.append(approved)
        if approved.status == Status.WAITLISTED:
            change.waitlisted.append(approved)
    return change


@transaction.atomic
def roster_reject(
    *, actor: User, offering: CourseOffering, enrollment_ids: Iterable[int]
) -> RosterChange:
    offering = _begin(actor, offering)
    change = RosterChange()
    for row in _locked_rows(offering, enrollment_ids):
        if row.status != Status.PENDING:
            change.skipped.append((row, _not_in(Status.PENDING)))
            continue
        change.changed.append(enrollment_reject(enrollment=row, actor=actor))
    return change


@transaction.atomic
def roster_promote(
    *,
    actor: User,
    offering: CourseOffering,
    enrollment_ids: Iterable[int],
    over_capacity: bool = False,
) -> RosterChange:
    """Give the selected waitlisted students a seat, earliest on the waitlist first, while seats
    last; with `over_capacity` all of them, past the capacity."""
    offering = _begin(actor, offering)
    change = RosterChange()
    free = None if over_capacity else _free_seats(offering)
    for row in _locked_rows(offering, enrollment_ids):
        if row.status != Status.WAITLISTED:
            change.skipped.append((row, _not_in(Status.WAITLISTED)))
        elif free == 0:
            change.skipped.append((row, _("no seat left")))
        else:
            row.status = Status.ACTIVE
            row.save(update_fields=["status"])
            change.changed.append(row)
            free = None if free is None else free - 1
    return change


@transaction.atomic
def roster_drop(
    *, actor: User, offering: CourseOffering, enrollment_ids: Iterable[int]
) -> RosterChange:
    """Drop the selected students (active, waitlisted or pending); freed seats go to the
    waitlist in its order."""
    offering = _begin(actor, offering)
    change = RosterChange()
    for row in _locked_rows(offering, enrollment_ids):
        if row.status in (Status.DROPPED, Status.COMPLETED):
            change.skipped.append((row, Status(row.status).label.lower()))
            continue
        outcome = enrollment_drop(enrollment=row)
        change.changed.append(outcome.enrollment)
        change.promoted.extend(outcome.promoted)
    dropped = {row.pk for row in change.changed}
    change.promoted = [row for row in change.promoted if row.pk not in dropped]
    return change


@transaction.atomic
def roster_complete(
    *,
    actor: User,
    offering: CourseOffering,
    enrollment_ids: Iterable[int],
    now: datetime | None = None,
) -> RosterChange:
    """Mark the selected active students as having completed the offering. A completed
    enrollment holds no seat, so the freed seats go to the waitlist."""
    offering = _begin(actor, offering)
    now = now or timezone.now()
    change = RosterChange()
    for row in _locked_rows(offering, enrollment_ids):
        if row.status != Status.ACTIVE:
            change.skipped.append((row, _not_in(Status.ACTIVE)))
            continue
        row.status = Status.COMPLETED
        row.completed_at = now
        row.save(update_fields=["status", "completed_at"])
        change.changed.append(row)
    if change.changed:
        change.promoted = _fill_seats(offering)
    return change


@transaction.atomic
def roster_fill_seats(*, actor: User, offering: CourseOffering) -> list[CourseEnrollment]:
    """Give every free seat to the waitlist, first come first served."""
    return _fill_seats(_begin(actor, offering))


# CSV bulk enrollment ------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 1024 * 1024
MAX_ROWS = 2000
EMAIL_HEADERS = {"email", "e-mail", "email address", "e-mail address", "mail"}
NAME_HEADERS = {"name", "full name", "full_name", "fullname", "student", "student name"}


class RowAction(StrEnum):
    ENROLL = "enroll"
    WAITLIST = "waitlist"
    ALREADY = "already"
    INVITE = "invite"
    DUPLICATE = "duplicate"
    ERROR = "error"


@dataclass(frozen=True)
class CsvRow:
    line: int  # line of the file, 1-based, for messages
    email: str
    name: str


@dataclass(frozen=True)
class PlannedRow:
    row: CsvRow
    action: RowAction
    message: str = ""
    waitlist_position: int | None = None
    user: User | None = None
    enrollment: CourseEnrollment | None = None  # an existing (dropped) row to reuse


@dataclass(frozen=True)
class RosterPlan:
    rows: list[PlannedRow]

    @property
    def errors(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == RowAction.ERROR]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def count(self, action: RowAction) -> int:
        return sum(1 for row in self.rows if row.action == action)


class RosterCsvError(ValidationError):
    """The file as a whole cannot be read (encoding, size, no rows); nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="roster_csv")


class RosterCsvInvalid(Exception):
    """Some rows cannot be enrolled; nothing was written. Carries the plan with its errors."""

    def __init__(self, plan: RosterPlan) -> None:
        super().__init__(f"{len(plan.errors)} rows cannot be enrolled")
        self.plan = plan


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise RosterCsvError(_("The file is not valid UTF-16 text.")) from error
    if b"\x00" in data:
        raise RosterCsvError(
            _("This is not a CSV text file (a spreadsheet workbook?). Save it as CSV and retry.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RosterCsvError(
            _(
                "Line %(line)d is not UTF-8 text. Save the file as “CSV UTF-8” in your "
                "spreadsheet program and upload it again."
            )
            % {"line": line}
        ) from error


def _delimiter(text: str) -> str:
    """The separator of the first non-blank line: tab, semicolon (spreadsheets in locales with
    a decimal comma) or comma, whichever it has most of."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    best = max(("\t", ";", ","), key=first.count)
    return best if first.count(best) else ","


def _columns(first: list[str]) -> tuple[int, int | None, bool]:
    """(email column, name column, whether `first` is a header row)."""
    cells = [cell.strip().lower() for cell in first]
    if any("@" in cell for cell in cells) or not any(cell in EMAIL_HEADERS for cell in cells):
        return 0, 1, False
    email = next(i for i, cell in enumerate(cells) if cell in EMAIL_HEADERS)
    name = next((i for i, cell in enumerate(cells) if cell in NAME_HEADERS), None)
    return email, name, True


def roster_csv_parse(data: bytes) -> list[CsvRow]:
    """The rows of an uploaded roster: an email column and an optional name column, with or
    without a header row ("email", "name"); comma, semicolon or tab separated; UTF-8 (with or
    without BOM) or UTF-16. Blank lines are skipped. Raises RosterCsvError for a file that
    cannot be read as a whole."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise RosterCsvError(
            _("The file is larger than %(size)d KB; split it into smaller files.")
            % {"size": MAX_UPLOAD_BYTES // 1024}
        )
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[CsvRow] = []
    columns: tuple[int, int | None, bool] | None = None
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns = _columns(cells)
                if columns[2]:
                    continue
            email_at, name_at, _header = columns
            if len(rows) == MAX_ROWS:
                raise RosterCsvError(
                    _("The file has more than %(max)d rows; split it into smaller files.")
                    % {"max": MAX_ROWS}
                )
            name = cells[name_at].strip() if name_at is not None and name_at < len(cells) else ""
            email = cells[email_at].strip() if email_at < len(cells) else ""
            rows.append(CsvRow(line=reader.line_num, email=email, name=name))
    except csv.Error as error:
        raise RosterCsvError(
            _("Line %(line)d cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    if not rows:
        raise RosterCsvError(_("The file has no rows with an email address."))
    return rows


def _row_problem(row: CsvRow) -> str:
    if not row.email:
        return _("No email address.")
    if len(row.email) > 255:
        return _("The email address is longer than 255 characters.")
    try:
        validate_email(row.email)
    except ValidationError:
        return _("“%(email)s” is not a valid email address.") % {"email": row.email}
    if len(row.name) > 255:
        return _("The name is longer than 255 characters.")
    return ""


def roster_csv_plan(*, offering: CourseOffering, rows: list[CsvRow]) -> RosterPlan:
    """What enrolling `rows` would do, row by row, in file order: the seats left go to the first
    rows, the rest join the end of the waitlist. Writes nothing; roster_csv_enroll runs it again
    under the offering's lock.

    Only people who hold a role at the offering's university (or are already in the offering)
    are enrolled directly. Every other address, whether or not an account uses it, gets the
    same answer: an invitation, which they accept themselves; so the plan tells nobody which
    addresses have accounts, and nobody is enrolled at a university without their consent."""
    emails = {row.email.lower() for row in rows if row.email}
    users = {
        user.email.lower(): user
        for user in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    }
    existing = {
        row.user_id: row
        for row in CourseEnrollment.objects.filter(
            course_offering=offering, user__in=list(users.values())
        )
    }
    members = set(
        UserUniversityRole.objects.filter(
            university_id=offering.university_id, user__in=list(users.values())
        ).values_list("user_id", flat=True)
    )
    users = {
        email: user
        for email, user in users.items()
        if user.pk in members
        or (user.pk in existing and existing[user.pk].status != Status.DROPPED)
    }
    elsewhere = dict(
        CourseEnrollment.objects.filter(
            course_offering__course_id=offering.course_id,
            status=Status.ACTIVE,
            user__in=list(users.values()),
        )
        .exclude(course_offering=offering)
        .values_list("user_id", "course_offering__term_name")
    )
    has_prerequisites = offering.course.prerequisite_links.exists()
    free = _free_seats(offering)
    queue = CourseEnrollment.objects.filter(
        course_offering=offering, status=Status.WAITLISTED
    ).count()
    if free:
        served = min(free, queue)  # a free seat goes to the waitlist before anyone new
        free, queue = free - served, queue - served

    seen: dict[str, int] = {}
    planned: list[PlannedRow] = []
    for row in rows:
        problem = _row_problem(row)
        if problem:
            planned.append(PlannedRow(row, RowAction.ERROR, problem))
            continue
        email = row.email.lower()
        if email in seen:
            planned.append(
                PlannedRow(
                    row,
                    RowAction.DUPLICATE,
                    _("Same email as line %(line)d; skipped.") % {"line": seen[email]},
                )
            )
            continue
        seen[email] = row.line
        user = users.get(email)
        if user is None:
            planned.append(
                PlannedRow(
                    row,
                    RowAction.INVITE,
                    _(
                        "Invitation: an email goes to this address; they join the offering once "
                        "they accept it."
                    ),
                )
            )
            continue
        current = existing.get(user.pk)
        if current is not None and current.status != Status.DROPPED:
            planned.append(
                PlannedRow(
                    row,
                    RowAction.ALREADY,
                    _("Already in the offering: %(status)s.")
                    % {"status": Status(current.status).label.lower()},
                    user=user,
                )
            )
            continue
        if user.pk in elsewhere:
            planned.append(
                PlannedRow(
                    row,
                    RowAction.ERROR,
                    _("Enrolled in %(term)s of this course; drop that first.")
                    % {"term": elsewhere[user.pk] or _("another offering")},
                )
            )
            continue
        if has_prerequisites:
            try:
                _check_prerequisites(offering, user)
            except EnrollmentRefused as refusal:
                planned.append(
                    PlannedRow(
                        row,
                        RowAction.ERROR,
                        _("Prerequisites not met: %(reason)s") % {"reason": refusal.message_text},
                    )
                )
                continue
        common: dict[str, Any] = {"user": user, "enrollment": current}
        if free == 0:
            queue += 1
            planned.append(
                PlannedRow(
                    row,
                    RowAction.WAITLIST,
                    _("Waitlist, place %(position)d.") % {"position": queue},
                    waitlist_position=queue,
                    **common,
                )
            )
        else:
            free = None if free is None else free - 1
            planned.append(PlannedRow(row, RowAction.ENROLL, _("Enroll."), **common))
    return RosterPlan(planned)


def roster_plan_carry_out(
    *, offering: CourseOffering, plan: RosterPlan, now: datetime
) -> RosterPlan:
    """Write the enrollments of a valid plan's ENROLL and WAITLIST rows (the caller holds the
    offering's lock); the plan with each row's user and enrollment."""
    acting = [item for item in plan.rows if item.action in (RowAction.ENROLL, RowAction.WAITLIST)]
    fresh, reused, done = [], [], []
    for index, item in enumerate(acting):
        status = Status.ACTIVE if item.action == RowAction.ENROLL else Status.WAITLISTED
        # One microsecond apart: the waitlist keeps the file's order, reused rows included.
        at = now + timedelta(microseconds=index)
        if item.enrollment is not None:
            enrollment = item.enrollment
            enrollment.status, enrollment.enrolled_at, enrollment.completed_at = status, at, None
            reused.append(enrollment)
        else:
            enrollment = CourseEnrollment(
                user=item.user, course_offering=offering, status=status, enrolled_at=at
            )
            fresh.append(enrollment)
        done.append(replace(item, enrollment=enrollment))
    CourseEnrollment.objects.bulk_update(reused, ["status", "enrolled_at", "completed_at"])
    CourseEnrollment.objects.bulk_create(fresh)
    done_by_line = {item.row.line: item for item in done}
    return RosterPlan([done_by_line.get(item.row.line, item) for item in plan.rows])


@transaction.atomic
def roster_csv_enroll(
    *,
    actor: User,
    offering: CourseOffering,
    rows: list[CsvRow],
    now: datetime | None = None,
) -> RosterPlan:
    """Enroll the rows of a roster CSV, all or nothing: plan again under the offering's lock and
    raise RosterCsvInvalid, having written nothing, when any row has an error. Rows to invite
    get an invitation to the offering, emailed once the transaction commits. Returns the plan
    that was carried out."""
    from catalog.invitations import invitations_create

    offering = _begin(actor, offering)
    _fill_seats(offering)
    plan = roster_csv_plan(offering=offering, rows=rows)
    if not plan.is_valid:
        raise RosterCsvInvalid(plan)
    invitations_create(
        actor=actor,
        university=offering.university,
        emails=[item.row.email for item in plan.rows if item.action == RowAction.INVITE],
        role=Role.STUDENT,
        offering=offering,
    )
    return roster_plan_carry_out(offering=offering, plan=plan, now=now or timezone.now())


def _enqueue_invitations(user_ids: list[int], offering_id: int) -> None:
    """In the transaction of the roster change: each new account's invitation is sent once it
    commits, or once the broker is back (the task outbox)."""
    outbox.enqueue_many(
        "catalog.tasks.account_invitation_task",
        [
            ((user_id, offering_id), {}, f"account-invitation:{offering_id}:{user_id}")
            for user_id in user_ids
        ],
    )


def roster_change_summary(change: RosterChange, done: Any) -> str:
    """One line for the admin's message. `done` has a %(count)d placeholder (a plural-aware
    ngettext_lazy keyed on "count") for the changed rows; approvals that only reached the
    waitlist are counted on their own, so "2 approved" never hides a waitlisted student."""
    seated = len(change.changed) - len(change.waitlisted)
    parts = []
    if seated or not change.waitlisted:
        parts.append(done % {"count": seated})
    if change.waitlisted:
        n = len(change.waitlisted)
        parts.append(
            ngettext(
                "%(count)d approved onto the waitlist (no seat was free)",
                "%(count)d approved onto the waitlist (no seats were free)",
                n,
            )
            % {"count": n}
        )
    if change.skipped:
        parts.append(
            ngettext(
                "%(count)d left as it was (%(reasons)s)",
                "%(count)d left as they were (%(reasons)s)",
                len(change.skipped),
            )
            % {
                "count": len(change.skipped),
                "reasons": "; ".join(
                    f"{row.user.email}: {reason}" for row, reason in change.skipped[:10]
                ),
            }
        )
    if change.promoted:
        parts.append(
            _("promoted from the waitlist: %(names)s")
            % {"names": ", ".join(row.user.email for row in change.promoted)}
        )
    return "; ".join(parts) + "."


# Teaching staff ---------------------------------------------------------------------------


class StaffRefused(ValidationError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="staff_refused")


@transaction.atomic
def offering_staff_add(
    *, actor: User, offering: CourseOffering, user: User
) -> CourseOfferingInstructor:
    """Add `user` to the offering's staff, with the object permissions that go with it. They
    must hold an instructor or TA role at the offering's university."""
    offering = _begin(actor, offering)
    if not UserUniversityRole.objects.filter(
        user=user, university_id=offering.university_id, role__in=TEACHING_ROLES
    ).exists():
        raise StaffRefused(
            _(
                "%(user)s holds no instructor or teaching assistant role at %(university)s; a "
                "university admin can grant one."
            )
            % {"user": user.email, "university": offering.university.name}
        )
    return offering_instructor_add(offering=offering, user=user)


@transaction.atomic
def offering_staff_remove(*, actor: User, offering: CourseOffering, user: User) -> None:
    offering = _begin(actor, offering)
    if not CourseOfferingInstructor.objects.filter(course_offering=offering, user=user).exists():
        raise StaffRefused(_("%(user)s does not teach this offering.") % {"user": user.email})
    offering_instructor_remove(offering=offering, user=user)


# Roles within a university ----------------------------------------------------------------


def _check_role_manager(actor: User, university: University, role: str) -> None:
    if not can_administer_university(actor, university.pk):
        raise PermissionDenied(_("Only a university admin may change roles at this university."))
    if role == Role.PLATFORM_ADMIN and not actor.is_platform_admin:
        raise PermissionDenied(_("Only a platform admin may grant or revoke platform admin."))


@transaction.atomic
def university_role_grant(
    *,
    actor: User,
    university: University,
    user: User,
    role: str,
    department: Department | None = None,
) -> UserUniversityRole:
    _check_role_manager(actor, university, role)
    if role != Role.DEPARTMENT_ADMIN:
        department = None
    return role_grant(
        user=user, university=university, role=role, department=department, actor=actor
    )


@transaction.atomic
def university_role_invite(
    *,
    actor: User,
    university: University,
    email: str,
    role: str,
    department: Department | None = None,
):
    """Invite someone who holds no role at `university` to take `role` there."""
    from catalog.invitations import invitation_create

    _check_role_manager(actor, university, role)
    return invitation_create(
        actor=actor, university=university, email=email, role=role, department=department
    )


def university_role_revoke_check(
    *, actor: User, university: University, user: User, role: str
) -> None:
    """Raise when `actor` may not take `role` at `university` away from `user`: only its
    admins may, and a university admin cannot revoke their own admin role, so a university is
    never left without the admin who acts."""
    _check_role_manager(actor, university, role)
    if user.pk == actor.pk and role == Role.UNIVERSITY_ADMIN and not actor.is_platform_admin:
        raise StaffRefused(_("You cannot revoke your own university admin role."))


@transaction.atomic
def university_role_revoke(*, actor: User, university: University, user: User, role: str) -> int:
    """Take a role away. Someone left with no teaching role at the university also leaves the
    staff of its offerings and loses every object permission on its courses and offerings."""
    university_role_revoke_check(actor=actor, university=university, user=user, role=role)
    deleted = role_revoke(user=user, university=university, role=role, actor=actor)
    teaches = UserUniversityRole.objects.filter(
        user=user, university=university, role__in=TEACHING_ROLES
    ).exists()
    if role in TEACHING_ROLES and not teaches:
        for offering in CourseOffering.objects.filter(university=university, instructors=user):
            offering_instructor_remove(offering=offering, user=user)
        _teaching_permissions_remove(user=user, university=university)
        forget_tenant_scope(user)
    return deleted


def _teaching_permissions_remove(*, user: User, university: University) -> None:
    """Object permissions on the university's courses and offerings that no staff link
    explains (granted by hand, say) go with the last teaching role too."""
    for model in (Course, CourseOffering):
        ids = model.objects.filter(university=university).annotate(key=Cast("pk", CharField()))
        UserObjectPermission.objects.filter(
            user=user,
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=ids.values("key"),
        ).delete()


# Invitations --------------------------------------------------------------------------------


def account_invitation_send(*, user_id: int, offering_id: int) -> bool:
    """Email a person whose account was created from a roster a link to choose a password.
    Only while the account was never used (no usable password, never logged in): a task run
    again after they set their password sends nothing. Returns whether an email went out."""
    user = User.objects.filter(pk=user_id, last_login__isnull=True, is_active=True).first()
    offering = (
        CourseOffering.objects.select_related("course", "university").filter(pk=offering_id).first()
    )
    if user is None or offering is None or user.has_usable_password():
        return False
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with translation.override(user.locale):
        subject = _("Your account at %(university)s") % {"university": offering.university.name}
        body = render_to_string(
            "catalog/email/account_invitation.txt",
            {
                "user": user,
                "offering": offering,
                "url": f"{settings.SITE_URL.rstrip('/')}{path}",
            },
        )
    EmailMultiAlternatives(subject=subject, body=body, to=[user.email]).send()
    return True


@transaction.atomic
def roster_invitations_resend(
    *, actor: User, offering: CourseOffering, enrollment_ids: Iterable[int]
) -> RosterChange:
    """Send the set-password email again to selected students whose account was created from a
    roster and never used (an expired link cannot be replaced through "forgot password", which
    only serves accounts with a password)."""
    offering = _begin(actor, offering)
    change = RosterChange()
    for row in _locked_rows(offering, enrollment_ids):
        if row.user.has_usable_password() or row.user.last_login is not None:
            change.skipped.append((row, _("has already signed in or chosen a password")))
        else:
            change.changed.append(row)
    if change.changed:
        _enqueue_invitations([row.user_id for row in change.changed], offering.pk)
    return change
