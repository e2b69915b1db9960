"""Reads of course reviews: rating summaries (one rounding for every page), who may review or
moderate, and the reviews page and panel.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, NamedTuple, TypedDict, cast

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Round
from django.http import Http404
from django.utils.translation import gettext

from catalog.models import (
    Course,
    CourseEnrollment,
    CourseOfferingInstructor,
)
from community.discussions.selectors import READING_STATUSES
from community.models import (
    CourseReview,
    ReviewerName,
)
from tenancy.access import (
    administers,
)
from tenancy.models import User

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

REVIEWS_PER_PAGE = 20


class RatingSummary(NamedTuple):
    average: Decimal | None
    # Shadows tuple.count on purpose: the templates and callers read `summary.count`.
    count: int  # type: ignore[assignment]


@dataclass(frozen=True)
class CourseRatingSummary:
    average: Decimal | None
    count: int
    # (stars, count, percent of all ratings), 5 stars first.
    distribution: list[tuple[int, int, int]]


def rating_average(value: Decimal | float | None) -> Decimal | None:
    """The one way a mean rating is shown everywhere (catalog cards, the course page, the
    reviews page): one decimal, halves rounded up, as in "4.7 out of 5"."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _visible_reviews() -> QuerySet[CourseReview]:
    return CourseReview.objects.filter(is_hidden=False)


def course_rating_summaries(*, course_ids: list[int]) -> dict[int, RatingSummary]:
    """Average rating (see `rating_average`) and number of ratings across all offerings of
    each course, hidden reviews left out, in one query. Courses without ratings get (None, 0)."""
    summaries = {course_id: RatingSummary(None, 0) for course_id in course_ids}
    rows = (
        _visible_reviews()
        .filter(course_offering__course_id__in=course_ids)
        .values("course_offering__course_id")
        .annotate(average=Avg("rating"), count=Count("pk"))
        .order_by()
    )
    for row in rows:
        summaries[row["course_offering__course_id"]] = RatingSummary(
            rating_average(row["average"]), row["count"]
        )
    return summaries


def courses_by_rating(courses: QuerySet[Course]) -> QuerySet[Course]:
    """`courses` best rated first: by the average as `course_rating_summaries` shows it (one
    decimal, halves up), then by the number of ratings; unrated courses last, then by title.
    Subqueries of the same rows the summaries read, so the catalog can sort by rating (it is
    the catalog's `RatingOrder`) without a query of its own."""
    reviews = (
        _visible_reviews()
        .filter(course_offering__course_id=OuterRef("pk"))
        .order_by()
        .values("course_offering__course_id")
    )
    average = reviews.annotate(v=Round(Avg("rating"), 1)).values("v")
    count = reviews.annotate(v=Count("pk")).values("v")
    return courses.annotate(
        rating_average=Subquery(average), rating_count=Subquery(count)
    ).order_by(
        F("rating_average").desc(nulls_last=True),
        F("rating_count").desc(nulls_last=True),
        "title",
        "pk",
    )


def course_rating_summary(*, course_id: int) -> CourseRatingSummary:
    """The rating summary of one course with the number of ratings per star, in one query."""
    stars = range(5, 0, -1)
    row = (
        _visible_reviews()
        .filter(course_offering__course_id=course_id)
        .aggregate(
            average=Avg("rating"),
            count=Count("pk"),
            **{f"stars_{n}": Count("pk", filter=Q(rating=n)) for n in stars},
        )
    )
    count = row["count"]
    distribution = [
        (n, row[f"stars_{n}"], round(100 * row[f"stars_{n}"] / count) if count else 0)
        for n in stars
    ]
    return CourseRatingSummary(rating_average(row["average"]), count, distribution)


def reviewer_name(review: CourseReview) -> str:
    """The reviewer's name as they chose to show it."""
    if review.display_name == ReviewerName.ANONYMOUS:
        return gettext("Anonymous student")
    full_name = review.user.full_name.strip()
    if review.display_name == ReviewerName.FIRST_NAME_INITIAL:
        first, *rest = full_name.split() or [""]
        return f"{first} {rest[-1][0]}." if rest else first
    return full_name


@dataclass(frozen=True)
class ReviewsAccess:
    """What `user` may do with the reviews of `course`.

    `eligible` holds the user's active or completed enrollments in the course's offerings (each
    may carry one review); `staff_offering_ids` the offerings whose reviews they moderate.
    """

    course: Course
    user: User | AnonymousUser
    eligible: list[CourseEnrollment]
    own_reviews: dict[int, CourseReview]
    staff_offering_ids: frozenset[int]

    @property
    def may_review(self) -> bool:
        return bool(self.eligible)


def reviews_access(*, user: User | AnonymousUser, course_id: int) -> ReviewsAccess:
    """The course's reviews as `user` may see them; 404 for a missing course and for a draft the
    user has nothing to do with."""
    course = Course.objects.select_related("university").filter(pk=course_id).first()
    if course is None:
        raise Http404("No such course.")
    eligible: list[CourseEnrollment] = []
    own: dict[int, CourseReview] = {}
    staff_ids: frozenset[int] = frozenset()
    if user.is_authenticated:
        if administers(
            user=user, university_id=course.university_id, department_id=course.department_id
        ):
            staff_ids = frozenset(course.offerings.values_list("pk", flat=True))
        else:
            staff_ids = frozenset(
                CourseOfferingInstructor.objects.filter(
                    user_id=user.pk, course_offering__course_id=course.pk
                ).values_list("course_offering_id", flat=True)
            )
        eligible = list(
            CourseEnrollment.objects.filter(
                user_id=user.pk, course_offering__course_id=course.pk, status__in=READING_STATUSES
            )
            .select_related("course_offering")
            .order_by("-course_offering__starts_at", "pk")
        )
        if eligible:
            own = {
                review.course_offering_id: review
                for review in CourseReview.objects.filter(
                    user_id=user.pk, course_offering__course_id=course.pk
                )
            }
    if not course.is_published and not staff_ids and not eligible:
        raise Http404("No such course.")
    return ReviewsAccess(
        course=course, user=user, eligible=eligible, own_reviews=own, staff_offering_ids=staff_ids
    )


def course_reviews(*, access: ReviewsAccess) -> QuerySet[CourseReview]:
    """The course's reviews newest first: the visible ones, plus the hidden ones the user wrote
    or moderates."""
    shown = Q(is_hidden=False)
    if access.user.is_authenticated:
        shown |= Q(user_id=access.user.pk) | Q(course_offering_id__in=access.staff_offering_ids)
    return (
        CourseReview.objects.filter(shown, course_offering__course_id=access.course.pk)
        .select_related("user", "course_offering", "reply", "reply__user")
        .order_by("-created_at", "-pk")
    )


class _ShownName(TypedDict):
    """What the review lists set on each review: the name it is shown under."""

    shown_name: str


def latest_reviews(
    *, course_id: int, limit: int = 3
) -> "list[WithAnnotations[CourseReview, _ShownName]]":
    """The newest visible reviews of a course with some text, for its page, in one query."""
    reviews = cast(
        "list[WithAnnotations[CourseReview, _ShownName]]",
        list(
            _visible_reviews()
            .filter(course_offering__course_id=course_id)
            .exclude(Q(review_text__isnull=True) | Q(review_text=""))
            .select_related("user")
            .order_by("-created_at", "-pk")[:limit]
        ),
    )
    for review in reviews:
        review.shown_name = reviewer_name(review)
    return reviews


def reviews_page(*, access: ReviewsAccess, page_number: str | None) -> Page:
    page = Paginator(course_reviews(access=access), REVIEWS_PER_PAGE).get_page(page_number)
    reviews = cast("Iterable[WithAnnotations[CourseReview, _ShownName]]", page.object_list)
    for review in reviews:
        review.shown_name = reviewer_name(review)
    return page


@dataclass(frozen=True)
class ReviewSlot:
    """One review the user may write or rewrite: for each eligible enrollment, its review."""

    enrollment: CourseEnrollment
    review: CourseReview | None


@dataclass(frozen=True)
class ReviewsPanel:
    """Everything the reviews include shows: the summary, a page of reviews, and the forms."""

    access: ReviewsAccess
    summary: CourseRatingSummary
    page: Page
    slots: list[ReviewSlot]

    @property
    def course(self) -> Course:
        return self.access.course


def reviews_panel(
    *, user: User | AnonymousUser, course_id: int, page_number: str | None = None
) -> ReviewsPanel:
    """The reviews of a course for its page, in a constant number of queries (404 as
    `reviews_access`)."""
    access = reviews_access(user=user, course_id=course_id)
    return ReviewsPanel(
        access=access,
        summary=course_rating_summary(course_id=access.course.pk),
        page=reviews_page(access=access, page_number=page_number),
        slots=[
            ReviewSlot(enrollment, access.own_reviews.get(enrollment.course_offering_id))
            for enrollment in access.eligible
        ],
    )


def review_for_moderation(*, access: ReviewsAccess, review_id: int) -> CourseReview:
    """A review of the course that `access.user` may see; 404 otherwise."""
    review = course_reviews(access=access).filter(pk=review_id).first()
    if review is None:
        raise Http404("No such review.")
    return review
