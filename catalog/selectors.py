"""Reads of the catalog: who may see and teach what, the browsable catalog with its search, the
course page, and the learner's enrollments.

Visibility: a course is listed when it is published and has an offering the visitor may see.
An offering with visibility "public" is seen by everyone; any other visibility ("private")
only by people holding a role at the offering's university, and by platform admins. Staff of
a course (its instructors and the admins over it) also see its drafts and all its offerings.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, TypedDict, cast

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language_info, gettext, gettext_lazy

from catalog import search
from catalog.models import (
    Course,
    CourseEnrollment,
    CourseOffering,
    CourseOfferingInstructor,
    CoursePrerequisite,
    CourseSubject,
    EnrollmentStatus,
    OfferingVisibility,
    PrerequisiteType,
    Subject,
)
from tenancy.access import Visitor, administers, member_university_ids, sees_everything
from tenancy.models import University, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

PUBLIC = OfferingVisibility.PUBLIC
LEARNING_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)
# Statuses that hold a place in the offering; a dropped row may be enrolled again.
HELD_STATUSES = (
    EnrollmentStatus.ACTIVE,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.PENDING,
    EnrollmentStatus.WAITLISTED,
)
PAGE_SIZE = 12


def final_completion_q() -> Q:
    """Completed enrollments (a filter on CourseEnrollment) whose completion is final: the
    offering's grades were finalised, its end date passed, or it is self-paced (no end date,
    completed once every graded item is graded). Only these satisfy a prerequisite."""
    return Q(status=EnrollmentStatus.COMPLETED) & (
        Q(course_offering__grades_finalized_at__isnull=False)
        | Q(course_offering__ends_at__isnull=True)
        | Q(course_offering__ends_at__lte=timezone.now())
    )


# Access ---------------------------------------------------------------------------------------


def offering_visibility_q(user: Visitor, prefix: str = "") -> Q:
    """The offerings `user` may see in the catalog, as a filter on CourseOffering (or, with
    `prefix` such as "offerings__", on a relation to it)."""
    if sees_everything(user):
        return Q()
    q = Q(**{f"{prefix}visibility": PUBLIC})
    universities = member_university_ids(user)
    if universities:
        q |= Q(**{f"{prefix}university_id__in": sorted(universities)})
    return q


def can_access_offering(*, user: Visitor, offering: CourseOffering) -> bool:
    """Whether `user` may open the offering's learning material: as a learner (an active or
    completed enrollment) or as its staff (an instructor of it, or an admin over it). One query,
    plus the user's roles once per request."""
    if not user.is_authenticated:
        return False
    row = (
        CourseOffering.objects.filter(pk=offering.pk)
        .annotate(
            learner=Exists(
                CourseEnrollment.objects.filter(
                    course_offering=OuterRef("pk"), user_id=user.pk, status__in=LEARNING_STATUSES
                )
            ),
            instructor=Exists(
                CourseOfferingInstructor.objects.filter(
                    course_offering=OuterRef("pk"), user_id=user.pk
                )
            ),
        )
        .values_list("learner", "instructor", "university_id", "course__department_id")
        .first()
    )
    if row is None:
        return False
    learner, instructor, university_id, department_id = row
    return (
        learner
        or instructor
        or administers(user=user, university_id=university_id, department_id=department_id)
    )


def is_offering_staff(*, user: Visitor, offering: CourseOffering) -> bool:
    """An instructor (or TA) of the offering, or an admin over it."""
    if not user.is_authenticated:
        return False
    university_id, department_id = (
        CourseOffering.objects.filter(pk=offering.pk)
        .values_list("university_id", "course__department_id")
        .get()
    )
    if administers(user=user, university_id=university_id, department_id=department_id):
        return True
    return CourseOfferingInstructor.objects.filter(
        course_offering_id=offering.pk, user_id=user.pk
    ).exists()


# The learner's enrollments --------------------------------------------------------------------


def waitlist_position() -> Case:
    """Annotation for CourseEnrollment rows: 1-based place on the offering's waitlist (by
    enrolled_at, then id), None unless waitlisted."""
    ahead = (
        CourseEnrollment.objects.filter(
            course_offering=OuterRef("course_offering"), status=EnrollmentStatus.WAITLISTED
        )
        .filter(
            Q(enrolled_at__lt=OuterRef("enrolled_at"))
            | Q(enrolled_at=OuterRef("enrolled_at"), pk__lte=OuterRef("pk"))
        )
        .order_by()
        .values("course_offering")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Case(
        When(status=EnrollmentStatus.WAITLISTED, then=Subquery(ahead)),
        default=None,
        output_field=IntegerField(),
    )


def learner_enrollments(*, user: Visitor) -> list[CourseEnrollment]:
    """All of the user's enrollments (dropped ones included), newest first, with the offering,
    its course, and both their universities loaded and `waitlist_position` set; one query."""
    if not user.is_authenticated:
        return []
    return list(
        CourseEnrollment.objects.filter(user_id=user.pk)
        .select_related("course_offering__university", "course_offering__course__university")
        .annotate(waitlist_position=waitlist_position())
        .order_by("-enrolled_at", "-pk")
    )


def teaching_offerings(*, user: Visitor, now: datetime | None = None) -> list[CourseOffering]:
    """The offerings the user teaches (as instructor or TA) that have not ended, the running
    ones first, with their course and university loaded; one query."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    return list(
        CourseOffering.objects.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now),
            pk__in=CourseOfferingInstructor.objects.filter(user_id=user.pk).values(
                "course_offering_id"
            ),
        )
        .select_related("course", "university")
        .order_by(F("starts_at").asc(nulls_last=True), "course__code", "pk")
    )


# The catalog ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogFilters:
    q: str = ""
    university_id: int | None = None
    country_id: int | None = None
    domain_id: int | None = None
    subject: Subject | None = None  # the root of the subtree to browse
    level: str = ""
    language: str = ""
    open_now: bool = False

    @property
    def narrowed(self) -> bool:
        """Some filter besides the search words is set."""
        return any(
            (
                self.university_id,
                self.country_id,
                self.domain_id,
                self.subject,
                self.level,
                self.language,
                self.open_now,
            )
        )


@dataclass(frozen=True)
class CatalogOptions:
    """What the filter form offers, in three queries."""

    universities: list[University]
    countries: list[tuple[int, str]]
    subjects: list[Subject]
    domains: list[tuple[int, str]]
    languages: list[tuple[str, str]]


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def catalog_options() -> CatalogOptions:
    universities = list(
        University.objects.filter(is_active=True)
        .select_related("country")
        .only("id", "name", "short_code", "country__id", "country__name")
        .order_by("name")
    )
    countries = sorted(
        {(u.country_id, u.country.name) for u in universities}, key=lambda pair: pair[1]
    )
    subjects = list(
        Subject.objects.select_related("domain")
        .only("id", "name", "depth", "tree_id", "lft", "rght", "domain__id", "domain__name")
        .order_by("tree_id", "lft")
    )
    domains = sorted(
        {(s.domain.pk, s.domain.name) for s in subjects if s.domain is not None},
        key=lambda pair: pair[1],
    )
    codes = (
        Course.objects.filter(is_published=True)
        .order_by("language_code")
        .values_list("language_code", flat=True)
        .distinct()
    )
    languages = sorted(((code, language_name(code)) for code in codes), key=lambda p: p[1])
    return CatalogOptions(universities, countries, subjects, domains, languages)


def _subtree_q(subject: Subject, prefix: str) -> Q:
    return Q(
        **{
            f"{prefix}tree_id": subject.tree_id,
            f"{prefix}lft__gte": subject.lft,
            f"{prefix}lft__lte": subject.rght,
        }
    )


def _window_open_q(now: datetime) -> Q:
    return (Q(enrollment_start__isnull=True) | Q(enrollment_start__lte=now)) & (
        Q(enrollment_end__isnull=True) | Q(enrollment_end__gte=now)
    )


def _not_over_q(now: datetime) -> Q:
    return Q(ends_at__isnull=True) | Q(ends_at__gte=now)


def _rating_annotations() -> dict:
    """Average (of visible reviews) and their number, across the course's offerings."""
    reviews = CourseOffering.objects.filter(course=OuterRef("pk"), reviews__is_hidden=False).values(
        "course"
    )
    return {
        "rating_average": Subquery(
            reviews.annotate(v=Avg("reviews__rating")).values("v"), output_field=FloatField()
        ),
        "rating_count": Coalesce(Subquery(reviews.annotate(n=Count("reviews")).values("n")), 0),
    }


def course_catalog(
    *,
    user: Visitor,
    filters: CatalogFilters,
    now: datetime | None = None,
    similar: bool = False,
) -> QuerySet[Course]:
    """The published courses with an offering `user` may see, filtered, searched and ordered:
    by relevance when searching (see catalog.search), by title otherwise. With `similar`, the
    search words are matched by trigram similarity instead of full-text search.

    Rows carry `open_now`, `next_start`, `rating_average`, `rating_count` and, when searching,
    the headline columns `title_hl` and `summary_hl`.
    """
    now = now or timezone.now()
    visible = CourseOffering.objects.filter(offering_visibility_q(user), course=OuterRef("pk"))
    courses = Course.objects.filter(is_published=True).filter(Exists(visible))
    if filters.university_id:
        courses = courses.filter(university_id=filters.university_id)
    if filters.country_id:
        courses = courses.filter(university__country_id=filters.country_id)
    if filters.level:
        courses = courses.filter(level=filters.level)
    if filters.language:
        courses = courses.filter(language_code=filters.language)
    if filters.domain_id:
        tagged = CourseSubject.objects.filter(
            course=OuterRef("pk"), subject__domain_id=filters.domain_id
        )
        courses = courses.filter(Q(primary_subject__domain_id=filters.domain_id) | Exists(tagged))
    if filters.subject is not None:
        tagged = CourseSubject.objects.filter(course=OuterRef("pk")).filter(
            _subtree_q(filters.subject, "subject__")
        )
        courses = courses.filter(_subtree_q(filters.subject, "primary_subject__") | Exists(tagged))
    if filters.open_now:
        courses = courses.filter(Exists(visible.filter(_window_open_q(now))))

    upcoming = visible.filter(_not_over_q(now)).order_by(F("starts_at").asc(nulls_last=True))
    courses = courses.select_related("university__country", "department").annotate(
        open_now=Exists(visible.filter(_window_open_q(now))),
        next_start=Subquery(upcoming.values("starts_at")[:1]),
        **_rating_annotations(),
    )
    terms = search.CourseSearch(filters.q)
    if not terms:
        return courses.order_by("title", "pk")
    headlines = {
        "title_hl": terms.headline("title", highlight_all=True),
        "summary_hl": terms.headline("description", max_words=35, min_words=15, max_fragments=2),
    }
    if similar:
        return (
            courses.filter(terms.similar())
            .annotate(
                similarity=terms.similarity(),
                title_similarity=terms.title_similarity(),
                **headlines,
            )
            .order_by("-similarity", "-title_similarity", "title", "pk")
        )
    return (
        courses.filter(terms.matches())
        .annotate(rank=terms.rank(), **headlines)
        .order_by("-rank", "title", "pk")
    )


@dataclass(frozen=True)
class SubjectTag:
    name: str
    matched: bool


@dataclass(frozen=True)
class CatalogResult:
    course: Course
    title_html: SafeString
    summary_html: SafeString
    subjects: list[SubjectTag]
    rating_average: Decimal | None
    rating_count: int
    open_now: bool
    next_start: datetime | None


@dataclass(frozen=True)
class CatalogPage:
    page: Page
    results: list[CatalogResult]
    query: str
    fuzzy: bool  # found by similarity only: the words themselves matched nothing


def _average(value: float | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def catalog_page(
    *,
    user: Visitor,
    filters: CatalogFilters,
    page_number: str | int | None,
    now: datetime | None = None,
) -> CatalogPage:
    """One page of the catalog with highlighted titles and summaries, in three queries (count,
    rows, subject tags), and one more (a second count) when the search words match nothing and
    the similar courses are shown instead. Page numbers past the end give the last page."""
    terms = search.CourseSearch(filters.q)
    subjects = Subject.objects.only("id", "name").order_by("name")
    subjects = subjects.annotate(matched=terms.field_matches("name") if terms else Value(False))

    def paginate(similar: bool) -> Paginator:
        courses = course_catalog(user=user, filters=filters, now=now, similar=similar)
        return Paginator(
            courses.prefetch_related(Prefetch("subjects", queryset=subjects)), PAGE_SIZE
        )

    paginator = paginate(similar=False)
    fuzzy = bool(terms) and paginator.count == 0 and terms.may_be_similar()
    if fuzzy:
        paginator = paginate(similar=True)
    page = paginator.get_page(page_number)
    rows = list(page.object_list)
    fuzzy = fuzzy and bool(rows)
    words = terms.words()
    results = []
    for course in rows:
        if not terms:
            title_html = search.highlighted(course.title)
            summary_html = search.highlighted(Truncator(course.description or "").words(40))
        elif not fuzzy:
            title_html = search.highlighted(course.title_hl)
            summary_html = search.highlighted(
                search.as_excerpt(course.summary_hl, course.description)
            )
        else:
            title_html = search.mark_similar(course.title, words)
            summary_html = search.highlighted(
                search.as_excerpt(course.summary_hl, course.description)
            )
        results.append(
            CatalogResult(
                course=course,
                title_html=title_html,
                summary_html=summary_html,
                subjects=[SubjectTag(s.name, bool(s.matched)) for s in course.subjects.all()],
                rating_average=_average(course.rating_average),
                rating_count=course.rating_count,
                open_now=course.open_now,
                next_start=course.next_start,
            )
        )
    page.object_list = rows
    return CatalogPage(page=page, results=results, query=terms.text, fuzzy=fuzzy)


# The course page ------------------------------------------------------------------------------


class VisitorCourseFacts(TypedDict):
    """What course_for_visitor adds to the course."""

    rating_average: float | Decimal | None  # the database's float, rounded to a Decimal
    rating_count: int
    is_instructor: bool
    is_staff: bool


def course_for_visitor(
    *, user: Visitor, course_id: int
) -> "WithAnnotations[Course, VisitorCourseFacts]":
    """The course with its university, country, department and primary subject, its rating
    (`rating_average`, `rating_count`) and `is_staff` (whether `user` teaches or administers
    it), in one query. A draft is found only by its staff: everyone else gets the same 404 as
    for a course that does not exist."""
    courses = Course.objects.select_related(
        "university__country", "department", "primary_subject"
    ).annotate(**_rating_annotations())
    if user.is_authenticated:
        courses = courses.annotate(
            is_instructor=Exists(
                CourseOfferingInstructor.objects.filter(
                    course_offering__course=OuterRef("pk"), user_id=user.pk
                )
            )
        )
    else:
        courses = courses.annotate(is_instructor=Value(False))
    course = cast(
        "WithAnnotations[Course, VisitorCourseFacts] | None", courses.filter(pk=course_id).first()
    )
    if course is None:
        raise Http404("No such course.")
    course.is_staff = course.is_instructor or administers(
        user=user, university_id=course.university_id, department_id=course.department_id
    )
    if not course.is_published and not course.is_staff:
        raise Http404("No such course.")
    course.rating_average = _average(course.rating_average)
    return course


class Instructor(NamedTuple):
    pk: int
    full_name: str


def _staff_column(column: str) -> Subquery:
    """The offering's instructors' `column` as an array, in the order of their names."""
    return Subquery(
        CourseOfferingInstructor.objects.filter(course_offering=OuterRef("pk"))
        .order_by()
        .values("course_offering")
        .annotate(v=ArrayAgg(column, order_by=("user__full_name", "user_id")))
        .values("v")
    )


class EnrollAction(StrEnum):
    ENROLL = "enroll"
    WAITLIST = "waitlist"  # full: enrolling puts the student on the waitlist
    REQUEST = "request"  # needs a department admin's approval


class WindowState(StrEnum):
    OPEN = "open"
    NOT_YET = "not_yet"
    CLOSED = "closed"


@dataclass
class OfferingCard:
    """An offering as the course page shows it to one visitor."""

    offering: CourseOffering
    instructors: list["Instructor"]
    seats_taken: int
    waitlist_length: int
    window: WindowState
    enrollment: CourseEnrollment | None = None  # the visitor's, not dropped
    # The visitor is active in this other offering of the course, and so may not enroll here.
    enrolled_elsewhere: CourseOffering | None = None

    @property
    def seats_left(self) -> int | None:
        capacity = self.offering.capacity
        return None if capacity is None else max(capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    @property
    def action(self) -> EnrollAction | None:
        """What the enroll button does, or None when there is no button."""
        if self.enrollment is not None or self.enrolled_elsewhere is not None:
            return None
        if self.window != WindowState.OPEN:
            return None
        if self.offering.requires_approval:
            return EnrollAction.REQUEST
        return EnrollAction.WAITLIST if self.is_full else EnrollAction.ENROLL

    @property
    def can_drop(self) -> bool:
        return self.enrollment is not None and self.enrollment.status != (
            EnrollmentStatus.COMPLETED
        )


PREREQUISITE_LABELS: "dict[str, StrOrPromise]" = {
    PrerequisiteType.STRICT: gettext_lazy("Required before enrolling"),
    PrerequisiteType.RECOMMENDED: gettext_lazy("Recommended before"),
    PrerequisiteType.CO_REQUISITE: gettext_lazy("Co-requisite: before or at the same time"),
}


@dataclass(frozen=True)
class PrerequisiteState:
    course: Course
    kind: str
    completed: bool
    in_progress: bool  # an active enrollment in one of its offerings

    @property
    def met(self) -> bool:
        if self.kind == PrerequisiteType.CO_REQUISITE:
            return self.completed or self.in_progress
        return self.completed

    @property
    def blocks(self) -> bool:
        """Unmet and not merely recommended."""
        return not self.met and self.kind != PrerequisiteType.RECOMMENDED

    @property
    def label(self) -> "StrOrPromise":
        return PREREQUISITE_LABELS[self.kind]

    @property
    def status_label(self) -> str:
        if self.completed:
            return gettext("Completed")
        if self.met:
            return gettext("Taking it now")
        if self.kind == PrerequisiteType.RECOMMENDED:
            return gettext("Not completed")
        return gettext("Not met")


@dataclass
class CoursePage:
    course: Course
    subjects: list[Subject]
    offerings: list[OfferingCard]
    instructors: list["Instructor"]
    prerequisites: list[PrerequisiteState]
    signed_in: bool
    completed: bool = False  # the visitor completed some offering of this course


def _window_state(offering: CourseOffering, now: datetime) -> WindowState:
    if offering.enrollment_start is not None and now < offering.enrollment_start:
        return WindowState.NOT_YET
    if offering.enrollment_end is not None and now > offering.enrollment_end:
        return WindowState.CLOSED
    return WindowState.OPEN


def course_page(*, user: Visitor, course_id: int, now: datetime | None = None) -> CoursePage:
    """Everything the course page shows except the outline and reviews (other apps compose
    those): a constant number of queries whatever the numbers of offerings, instructors,
    subjects and prerequisites (4 for anonymous visitors, 5 when signed in, plus the user's
    roles once)."""
    now = now or timezone.now()
    course = course_for_visitor(user=user, course_id=course_id)
    subjects = list(
        Subject.objects.filter(
            Q(pk=course.primary_subject_id)
            | Q(pk__in=CourseSubject.objects.filter(course=course).values("subject_id"))
        ).order_by("name")
    )

    mine: dict[int, CourseEnrollment] = {}
    if user.is_authenticated:
        mine = {
            e.course_offering_id: e
            for e in CourseEnrollment.objects.filter(
                user_id=user.pk, course_offering__course=course
            ).annotate(waitlist_position=waitlist_position())
        }
    shown = Q(pk__in=[pk for pk, e in mine.items() if e.status != EnrollmentStatus.DROPPED])
    if not course.is_staff:
        shown |= offering_visibility_q(user) & _not_over_q(now)
    else:
        shown |= _not_over_q(now)
    offerings = list(
        CourseOffering.objects.filter(course=course)
        .filter(shown)
        .annotate(
            seats_taken=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE)),
            waitlist_length=Count(
                "enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED)
            ),
        )
        .annotate(staff_ids=_staff_column("user_id"), staff_names=_staff_column("user__full_name"))
        .order_by(F("starts_at").asc(nulls_last=True), "pk")
    )
    cards = []
    instructors: dict[int, Instructor] = {}
    active_in = next(
        (o for o in offerings if o.pk in mine and mine[o.pk].status == EnrollmentStatus.ACTIVE),
        None,
    )
    for offering in offerings:
        enrollment = mine.get(offering.pk)
        if enrollment is not None and enrollment.status == EnrollmentStatus.DROPPED:
            enrollment = None
        people = [
            Instructor(pk, name)
            for pk, name in zip(offering.staff_ids or (), offering.staff_names or (), strict=True)
        ]
        for person in people:
            instructors.setdefault(person.pk, person)
        cards.append(
            OfferingCard(
                offering=offering,
                instructors=people,
                seats_taken=offering.seats_taken,
                waitlist_length=offering.waitlist_length,
                window=_window_state(offering, now),
                enrollment=enrollment,
                enrolled_elsewhere=active_in if active_in not in (None, offering) else None,
            )
        )

    prerequisites = _prerequisite_states(user=user, course=course)
    return CoursePage(
        course=course,
        subjects=subjects,
        offerings=cards,
        instructors=sorted(instructors.values(), key=lambda u: (u.full_name, u.pk)),
        prerequisites=prerequisites,
        signed_in=user.is_authenticated,
        completed=any(e.status == EnrollmentStatus.COMPLETED for e in mine.values()),
    )


def _prerequisite_states(*, user: Visitor, course: Course) -> list[PrerequisiteState]:
    links = CoursePrerequisite.objects.filter(course=course).select_related(
        "prerequisite_course__university"
    )
    if user.is_authenticated:
        taken = CourseEnrollment.objects.filter(
            user_id=user.pk, course_offering__course=OuterRef("prerequisite_course")
        )
        links = links.annotate(
            completed=Exists(taken.filter(final_completion_q())),
            in_progress=Exists(taken.filter(status=EnrollmentStatus.ACTIVE)),
        )
    else:
        links = links.annotate(completed=Value(False), in_progress=Value(False))
    order = {kind: i for i, kind in enumerate(PrerequisiteType.values)}
    states = [
        PrerequisiteState(
            course=link.prerequisite_course,
            kind=link.prerequisite_type,
            completed=link.completed,
            in_progress=link.in_progress,
        )
        for link in links
    ]
    return sorted(states, key=lambda s: (order[s.kind], s.course.title, s.course.pk))


def offering_for_enrollment(*, user: Visitor, offering_id: int) -> CourseOffering:
    """The offering `user` may enroll in or leave, with its course; 404 when it does not exist,
    its course is a draft, or it is hidden from the user (private to another university) and
    the user has no enrollment in it."""
    seen = offering_visibility_q(user)
    if user.is_authenticated:
        seen |= Q(
            Exists(CourseEnrollment.objects.filter(course_offering=OuterRef("pk"), user_id=user.pk))
        )
    offering = (
        CourseOffering.objects.select_related("course")
        .filter(seen, pk=offering_id, course__is_published=True)
        .first()
    )
    if offering is None:
        raise Http404("No such offering.")
    return offering


def enrollment_for_user(*, user: User, offering: CourseOffering) -> CourseEnrollment | None:
    return (
        CourseEnrollment.objects.filter(user_id=user.pk, course_offering=offering)
        .annotate(waitlist_position=waitlist_position())
        .first()
    )
