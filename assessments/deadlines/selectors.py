"""A learner's deadlines: every dated thing of the offerings they are actively enrolled in.

Quizzes close (`closes_at`) and open attempts run out (`deadline_at`), assignments fall due
(`due_at`, maybe accepting late work; a later due date given to the learner replaces the
item's, assessments.accommodations), offerings start and end and their enrollment window
closes. Items count only when the learner sees them, by the player's own rule
(content.selectors.sql_learner_sees); whether each is done comes from the learner's
submissions and finished attempts. One statement whatever the number of courses and items:
the dashboard, the calendar pages and the feed all read through `learner_deadlines`.
"""

import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from assessments.deadlines.models import CalendarFeed
from catalog.models import EnrollmentStatus
from content.models import ContentType
from content.selectors import sql_hidden_modules, sql_learner_sees
from lms import links

COMING_UP_DAYS = 14


class DeadlineKind(models.TextChoices):
    ASSIGNMENT_DUE = "assignment_due", _("Assignment due")
    QUIZ_CLOSES = "quiz_closes", _("Quiz closes")
    ATTEMPT_ENDS = "attempt_ends", _("Quiz attempt ends")
    COURSE_STARTS = "course_starts", _("Course starts")
    COURSE_ENDS = "course_ends", _("Course ends")
    ENROLLMENT_CLOSES = "enrollment_closes", _("Enrollment closes")


# Kinds with something for the learner to do; the others are dates to know.
TASK_KINDS = frozenset(
    {DeadlineKind.ASSIGNMENT_DUE, DeadlineKind.QUIZ_CLOSES, DeadlineKind.ATTEMPT_ENDS}
)


@dataclass(frozen=True)
class Deadline:
    kind: str
    offering_id: int
    course_code: str
    course_title: str
    title: str
    at: datetime
    path: str
    # None for a date to know (a course starting), else whether the learner has done it.
    done: bool | None
    late_allowed: bool
    # What makes this deadline itself: an item, an attempt or (for offering dates) nothing.
    source_id: int | None

    @property
    def kind_label(self) -> str:
        return str(DeadlineKind(self.kind).label)

    @property
    def uid(self) -> str:
        """Stable across feed downloads, so calendars update an event rather than add one."""
        return f"{self.kind}-{self.offering_id}-{self.source_id or 0}@lms-deadlines"


_DEADLINES_SQL = f"""
WITH enrolled AS MATERIALIZED (
    SELECT o.id AS offering_id, o.course_id, c.code, c.title AS course_title,
           o.starts_at, o.ends_at, o.enrollment_end
    FROM course_enrollments e
    JOIN course_offerings o ON o.id = e.course_offering_id
    JOIN courses c ON c.id = o.course_id
    WHERE e.user_id = %(user_id)s AND e.status = %(active)s
      AND (%(every_offering)s OR o.id = ANY(%(offering_ids)s))
),
hidden AS MATERIALIZED (
    {sql_hidden_modules("course_id IN (SELECT course_id FROM enrolled)")}
),
dated AS (
    SELECT CASE ci.content_type WHEN %(assignment)s THEN %(assignment_due)s
                ELSE %(quiz_closes)s END AS kind,
           en.offering_id, ci.id AS item_id, ci.id AS source_id, ci.title,
           coalesce(ci.data_json->>'due_at', ci.data_json->>'closes_at') AS at_text,
           acc.due_at AS at,
           coalesce(ci.data_json->'allow_late' = 'true'::jsonb, false) AS late_allowed,
           CASE ci.content_type
               WHEN %(assignment)s THEN EXISTS (
                   SELECT 1 FROM lab_submissions s
                   WHERE s.user_id = %(user_id)s AND s.course_offering_id = en.offering_id
                     AND s.content_item_id = ci.id)
               ELSE EXISTS (
                   SELECT 1 FROM quiz_attempts a
                   WHERE a.user_id = %(user_id)s AND a.course_offering_id = en.offering_id
                     AND a.content_item_id = ci.id AND a.submitted_at IS NOT NULL)
           END AS done
    FROM enrolled en
    JOIN content_items ci ON ci.course_id = en.course_id
    JOIN modules cm ON cm.id = ci.module_id
    LEFT JOIN accommodations acc
        ON acc.course_offering_id = en.offering_id AND acc.user_id = %(user_id)s
       AND acc.content_item_id = ci.id AND ci.content_type = %(assignment)s
    WHERE ci.archived_at IS NULL AND cm.archived_at IS NULL
      AND ((ci.content_type = %(assignment)s AND ci.data_json->>'due_at' IS NOT NULL)
           OR (ci.content_type = %(quiz)s AND ci.data_json->>'closes_at' IS NOT NULL))
      AND {sql_learner_sees("ci", "cm")}
    UNION ALL
    SELECT %(attempt_ends)s, en.offering_id, ci.id, a.id, ci.title, NULL, a.deadline_at,
           false, false
    FROM enrolled en
    JOIN quiz_attempts a ON a.course_offering_id = en.offering_id
    JOIN content_items ci ON ci.id = a.content_item_id
    JOIN modules cm ON cm.id = ci.module_id
    WHERE a.user_id = %(user_id)s AND a.submitted_at IS NULL AND a.deadline_at IS NOT NULL
      AND ci.archived_at IS NULL AND {sql_learner_sees("ci", "cm")}
    UNION ALL
    SELECT d.kind, en.offering_id, NULL, NULL, NULL, NULL, d.at, false, NULL
    FROM enrolled en
    CROSS JOIN LATERAL (VALUES (%(course_starts)s, en.starts_at), (%(course_ends)s, en.ends_at),
                               (%(enrollment_closes)s, en.enrollment_end)) AS d (kind, at)
    WHERE d.at IS NOT NULL
)
SELECT dated.kind, dated.offering_id, dated.item_id, dated.source_id, dated.title,
       dated.at_text, dated.at, dated.late_allowed, dated.done, en.code, en.course_title
FROM dated JOIN enrolled en ON en.offering_id = dated.offering_id
"""


def _moment(text: str | None, at: datetime | None) -> datetime | None:
    """A payload's ISO time (validated on save, but parsed leniently here: an unreadable one
    leaves the item out rather than failing a page), or the column's value."""
    if at is not None:
        return at
    try:
        parsed = parse_datetime(text or "")
    except ValueError:
        return None
    if parsed is None:
        return None
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


class _Paths:
    """Where each deadline links, reversing one URL per offering rather than per item."""

    def __init__(self) -> None:
        self._items: dict[int, Callable[[int], str]] = {}

    def __call__(self, offering_id: int, item_id: int | None) -> str:
        if item_id is None:
            return links.page_path("course-outline", offering_id=offering_id)
        if offering_id not in self._items:
            self._items[offering_id] = links.page_paths(
                "content-item", "item_id", offering_id=offering_id
            )
        return self._items[offering_id](item_id)


def learner_deadlines(
    *,
    user_id: int,
    offering_ids: Iterable[int] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[Deadline]:
    """The deadlines of `user_id`'s active enrollments (only among `offering_ids` when given)
    at or after `start` and before `end`, earliest first; one query."""
    chosen = None if offering_ids is None else sorted(set(offering_ids))
    params: dict[str, int | str | bool | list[int]] = {
        "user_id": user_id,
        "active": EnrollmentStatus.ACTIVE.value,
        "every_offering": chosen is None,
        "offering_ids": chosen or [],
        "assignment": ContentType.ASSIGNMENT.value,
        "quiz": ContentType.QUIZ.value,
        **{kind.value: kind.value for kind in DeadlineKind},
    }
    with connection.cursor() as cursor:
        cursor.execute(_DEADLINES_SQL, params)
        rows = cursor.fetchall()
    deadlines = []
    path = _Paths()
    for kind, offering_id, item_id, source_id, title, at_text, at, late, done, code, course in rows:
        moment = _moment(at_text, at)
        if moment is None or (start and moment < start) or (end and moment >= end):
            continue
        deadlines.append(
            Deadline(
                kind=kind,
                offering_id=offering_id,
                course_code=code,
                course_title=course,
                title=title or course,
                at=moment,
                path=path(offering_id, item_id),
                done=done if kind in TASK_KINDS else None,
                late_allowed=late,
                source_id=source_id,
            )
        )
    deadlines.sort(key=lambda d: (d.at, d.course_code, d.kind, d.source_id or 0))
    return deadlines


@dataclass(frozen=True)
class DeadlineBoard:
    """What My learning shows: the next two weeks, and past tasks not done."""

    coming_up: list[Deadline]
    overdue: list[Deadline]


def deadline_board(*, user_id: int, now: datetime | None = None) -> DeadlineBoard:
    """Coming up (now to `COMING_UP_DAYS` ahead, done or not) and Overdue (tasks whose time
    has passed without being done, latest first); one query."""
    now = now or timezone.now()
    horizon = now + timedelta(days=COMING_UP_DAYS)
    every = learner_deadlines(user_id=user_id, end=horizon)
    return DeadlineBoard(
        coming_up=[d for d in every if d.at >= now],
        overdue=sorted(
            (d for d in every if d.at < now and d.done is False),
            key=lambda d: d.at,
            reverse=True,
        ),
    )


def calendar_feed_of(*, user_id: int) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user_id=user_id).first()


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The feed whose address carries `token`, or None. The secret is compared in constant
    time, so response times do not reveal how much of a guess was right."""
    user_part, _dot, secret = token.partition(".")
    if not user_part.isdigit() or not secret or len(user_part) > 18:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(user_id=int(user_part)).first()
    if feed is None or not feed.user.is_active:
        return None
    if not hmac.compare_digest(feed.secret.encode(), secret.encode()):
        return None
    return feed
