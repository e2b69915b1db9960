"""The roster's CSV bulk enrollment: parse an upload, plan what each row does (enroll, waitlist,
already there, invite, duplicate, error), show the plan, then carry it out all or nothing.

Admin enrollment ignores the enrollment window and the approval step (the admin is the one who
approves) but not the seats: once they run out, rows go to the waitlist.
"""

import csv
import io
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import CourseEnrollment, CourseOffering
from catalog.models import EnrollmentStatus as Status
from catalog.services.enrollment import (
    EnrollmentRefused,
    _check_prerequisites,
    _fill_seats,
    _free_seats,
)
from catalog.services.roster import _begin
from tenancy.models import Role, User, UserUniversityRole

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
    from catalog.services.invitations import invitations_create

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
