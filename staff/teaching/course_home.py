"""Reads behind the tabs of a course home: the outline, the submissions to grade, the
discussions and a summary of the offering's learners. Each runs a fixed number of queries
whatever the number of learners (the people and grades tabs use catalog's roster and
assessments' gradebook selectors as they are)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.grades.models import CourseGrade
from assessments.labs.models import LabSubmission
from assessments.progress.models import UserContentProgress
from catalog.models import CourseEnrollment, CourseOffering, EnrollmentStatus
from community.models import DiscussionThread, PostReport
from content.models import ContentItem
from staff.teaching.selectors import ungraded_submissions
from syllabus.models import Module
from syllabus.tree import outline_order
from tenancy.access import holds_role_at_q

SUBMISSIONS_SHOWN = 100
THREADS_SHOWN = 50
ACTIVE_DAYS = 7


def outline_modules(*, offering: CourseOffering) -> list[Module]:
    """The course's modules in outline order, each with `item_count` (its live items); one
    query."""
    items = (
        ContentItem.objects.non_polymorphic()
        .filter(module=OuterRef("pk"), archived_at__isnull=True)
        .order_by()
        .values("module")
        .annotate(n=Count("*"))
        .values("n")
    )
    return list(
        Module.objects.filter(course_id=offering.course_id, archived_at__isnull=True)
        .annotate(item_count=_subquery_count(items))
        .order_by(*outline_order())
    )


def _subquery_count(rows: QuerySet) -> Coalesce:
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def submissions_to_grade(*, offering: CourseOffering) -> list[LabSubmission]:
    """The offering's lab and assignment submissions, those without a score first (oldest
    first: who waited longest), then the graded ones, newest first; one query."""
    waiting = ungraded_submissions(offering.pk).values("pk")
    rows = (
        LabSubmission.objects.filter(
            holds_role_at_q(user_ref="user", university_ref="course_offering__university"),
            course_offering=offering,
        )
        .select_related("user", "content_item")
        .annotate(
            waiting=Case(When(pk__in=waiting, then=Value(True)), default=Value(False)),
            waiting_since=Case(When(pk__in=waiting, then=F("submitted_at"))),
        )
        .order_by(
            F("waiting").desc(), F("waiting_since").asc(nulls_last=True), "-submitted_at", "-pk"
        )
    )
    return list(rows[:SUBMISSIONS_SHOWN])


def offering_threads(*, offering: CourseOffering) -> list[DiscussionThread]:
    """The offering's threads, pinned then most recently active, each with `reply_count` and
    `open_reports`; one query."""
    reports = (
        PostReport.objects.filter(post__thread=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("post__thread")
        .annotate(n=Count("*"))
        .values("n")
    )
    return list(
        DiscussionThread.objects.filter(course_offering=offering)
        .select_related("created_by_user")
        .annotate(
            reply_count=Count(
                "posts", filter=Q(posts__parent_post__isnull=False, posts__is_deleted=False)
            ),
            open_reports=_subquery_count(reports),
        )
        .order_by("-is_pinned", "-last_activity_at", "-pk")[:THREADS_SHOWN]
    )


@dataclass(frozen=True)
class OfferingAnalytics:
    enrolled: int  # active or completed
    active_recently: int  # of them, those who worked on an item in the last ACTIVE_DAYS days
    completed: int
    average_grade: Decimal | None  # of the recorded course grades

    @property
    def completion_percent(self) -> int | None:
        return round(self.completed * 100 / self.enrolled) if self.enrolled else None


def offering_analytics(
    *, offering: CourseOffering, now: datetime | None = None
) -> OfferingAnalytics:
    """The summary of the analytics tab, in two statements."""
    since = (now or timezone.now()) - timedelta(days=ACTIVE_DAYS)
    learning = (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)
    recent = UserContentProgress.objects.filter(
        course_offering_id=OuterRef("course_offering_id"),
        user_id=OuterRef("user_id"),
        last_interacted_at__gte=since,
    )
    row = (
        CourseEnrollment.objects.filter(course_offering=offering, status__in=learning)
        .annotate(recent=Exists(recent))
        .aggregate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(status=EnrollmentStatus.COMPLETED)),
            active_recently=Count("pk", filter=Q(recent=True)),
        )
    )
    average_grade = CourseGrade.objects.filter(
        course_offering_id=offering.pk, final_score__isnull=False
    ).aggregate(a=Avg("final_score"))["a"]
    return OfferingAnalytics(
        enrolled=row["enrolled"],
        active_recently=row["active_recently"],
        completed=row["completed"],
        average_grade=(
            Decimal(average_grade).quantize(Decimal("0.01")) if average_grade is not None else None
        ),
    )
