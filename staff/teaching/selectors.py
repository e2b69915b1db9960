"""Reads behind "My teaching": the offerings a member of staff teaches or administers, each
with what waits for them, in a fixed number of queries however many offerings there are.

Which offerings is the one tenant rule (tenancy.scoping over tenancy.access): instructors and
TAs see the offerings they are on, department admins their department's, university admins
their university's, platform admins every one.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from assessments.labs.models import LabSubmission
from catalog.models import CourseEnrollment, CourseOffering, EnrollmentStatus
from community.models import PostReport
from content.models import ContentItem, ContentType
from tenancy.access import Visitor, holds_role_at_q
from tenancy.scoping import scoped

OFFERING_PATHS = {
    "university": "university",
    "department": "course__department",
    "course": "course",
    "offering": "pk",
}
DEADLINE_DAYS = 14
CARDS_PER_PAGE = 30
# Items whose payload carries a deadline, and the payload key that holds it.
DEADLINE_KEYS = {ContentType.ASSIGNMENT: "due_at", ContentType.QUIZ: "closes_at"}


def taught_offerings(*, user: Visitor) -> QuerySet[CourseOffering]:
    """The offerings `user` teaches or administers, with course and university loaded."""
    return scoped(
        CourseOffering.objects.select_related("course__department", "university"),
        user,
        OFFERING_PATHS,
    )


def offering_for_teaching(*, user: Visitor, offering_id: int) -> CourseOffering:
    """One of them; the same 404 for a missing offering and for another tenant's."""
    offering = taught_offerings(user=user).filter(pk=offering_id).first()
    if offering is None:
        raise Http404("No such offering.")
    return offering


def _count(rows: QuerySet, offering: str = "course_offering") -> Coalesce:
    """A correlated count of `rows` (already filtered on OuterRef("pk") at the path
    `offering`), 0 when none."""
    counted = rows.order_by().values(offering).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def ungraded_submissions(offering_ref: int | OuterRef) -> QuerySet[LabSubmission]:
    """Lab and assignment submissions without a score, of learners the staff may see by
    name (as in the gradebook and the roster)."""
    return LabSubmission.objects.filter(
        holds_role_at_q(user_ref="user", university_ref="course_offering__university"),
        course_offering=offering_ref,
        score_obtained__isnull=True,
    )


def _enrolled(status: str) -> Coalesce:
    return _count(CourseEnrollment.objects.filter(course_offering=OuterRef("pk"), status=status))


def with_teaching_counts(offerings: QuerySet[CourseOffering]) -> QuerySet[CourseOffering]:
    """Each offering with its enrollment counts, pending approvals, waitlist, submissions
    waiting for a grade and open discussion reports, as subqueries of one statement."""
    return offerings.annotate(
        active_count=_enrolled(EnrollmentStatus.ACTIVE),
        completed_count=_enrolled(EnrollmentStatus.COMPLETED),
        pending_count=_enrolled(EnrollmentStatus.PENDING),
        waitlist_count=_enrolled(EnrollmentStatus.WAITLISTED),
        ungraded_count=_count(ungraded_submissions(OuterRef("pk"))),
        open_report_count=_count(
            PostReport.objects.filter(
                post__thread__course_offering=OuterRef("pk"), resolved_at__isnull=True
            ),
            "post__thread__course_offering",
        ),
    )


@dataclass(frozen=True)
class Deadline:
    item_id: int
    title: str
    content_type: str
    at: datetime


@dataclass
class TeachingCard:
    offering: CourseOffering
    deadlines: list[Deadline] = field(default_factory=list)

    @property
    def enrolled(self) -> int:
        counts = self.offering.__dict__  # annotated by with_teaching_counts
        return counts["active_count"] + counts["completed_count"]


@dataclass(frozen=True)
class TeachingHome:
    page: Page
    cards: list[TeachingCard]
    past: bool  # showing the offerings that have ended
    other_count: int  # how many are in the other list (past when showing current, and back)


def _running_q(now: datetime) -> Q:
    return Q(ends_at__isnull=True) | Q(ends_at__gte=now)


def upcoming_deadlines(
    *, course_ids: list[int], now: datetime, days: int = DEADLINE_DAYS
) -> dict[int, list[Deadline]]:
    """Course id -> the quiz closings and assignment due dates of its active items within
    `days` from `now`, soonest first; one query."""
    rows = (
        ContentItem.objects.non_polymorphic()
        .filter(
            course_id__in=course_ids,
            content_type__in=list(DEADLINE_KEYS),
            is_active=True,
            archived_at__isnull=True,
        )
        .annotate(due=KT("data_json__due_at"), closes=KT("data_json__closes_at"))
        .filter(Q(due__isnull=False) | Q(closes__isnull=False))
        .values_list("pk", "course_id", "title", "content_type", "due", "closes")
    )
    horizon = now + timedelta(days=days)
    found: dict[int, list[Deadline]] = {}
    for pk, course_id, title, content_type, due, closes in rows:
        text = due if content_type == ContentType.ASSIGNMENT else closes
        at = parse_datetime(text) if text else None
        if at is None or timezone.is_naive(at) or not now <= at <= horizon:
            continue
        found.setdefault(course_id, []).append(Deadline(pk, title, content_type, at))
    for deadlines in found.values():
        deadlines.sort(key=lambda d: (d.at, d.item_id))
    return found


def teaching_home(
    *, user: Visitor, past: bool = False, page: str | int | None = 1, now: datetime | None = None
) -> TeachingHome:
    """The cards of "My teaching": running and upcoming offerings (those starting soonest
    first), or with `past` the ended ones (latest first). Four queries whatever the number of
    offerings: the count of the page, its cards, the other list's count, and the deadlines."""
    now = now or timezone.now()
    offerings = taught_offerings(user=user)
    running = _running_q(now)
    if past:
        shown = offerings.exclude(running).order_by(F("ends_at").desc(), "course__code", "pk")
        other = offerings.filter(running)
    else:
        shown = offerings.filter(running).order_by(
            F("starts_at").asc(nulls_last=True), "course__code", "pk"
        )
        other = offerings.exclude(running)
    paged = Paginator(with_teaching_counts(shown), CARDS_PER_PAGE).get_page(page)
    cards = [TeachingCard(offering) for offering in paged.object_list]
    if cards and not past:
        deadlines = upcoming_deadlines(
            course_ids=sorted({card.offering.course_id for card in cards}), now=now
        )
        for card in cards:
            card.deadlines = deadlines.get(card.offering.course_id, [])
    return TeachingHome(paged, cards, past, other.count())
