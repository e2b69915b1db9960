"""The browsable catalog: filters, their options, search (catalog.search) and one page of
results with highlighted titles and summaries.

A course is listed when it is published and has an offering the visitor may see
(catalog.selectors.visibility).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language_info

from catalog import search, subject_tree
from catalog.models import (
    Course,
    CourseOffering,
    CourseSubject,
    Subject,
)
from catalog.selectors.visibility import offering_visibility_q
from tenancy.access import Visitor
from tenancy.models import University

PAGE_SIZE = 12


class CatalogSort:
    """Orders of the results. Relevance is the search's own ranking (by title when there are
    no search words); the rating lives with the reviews, above this app, so whoever lists the
    courses by rating passes the ordering in (`RatingOrder`)."""

    RELEVANCE = "relevance"
    START = "start"
    RATING = "rating"


# Orders a queryset of courses by their rating, best first (community.reviews supplies it).
RatingOrder = Callable[[QuerySet[Course]], QuerySet[Course]]


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
    sort: str = CatalogSort.RELEVANCE

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
        .only("id", "name", *subject_tree.TREE_FIELDS, "domain__id", "domain__name")
        .order_by(*subject_tree.TREE_ORDER)
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


def _window_open_q(now: datetime) -> Q:
    return (Q(enrollment_start__isnull=True) | Q(enrollment_start__lte=now)) & (
        Q(enrollment_end__isnull=True) | Q(enrollment_end__gte=now)
    )


def _not_over_q(now: datetime) -> Q:
    return Q(ends_at__isnull=True) | Q(ends_at__gte=now)


def course_catalog(
    *,
    user: Visitor,
    filters: CatalogFilters,
    now: datetime | None = None,
    similar: bool = False,
    rating_order: RatingOrder | None = None,
) -> QuerySet[Course]:
    """The published courses with an offering `user` may see, filtered, searched and ordered:
    by `filters.sort`, relevance meaning the search's ranking (see catalog.search) or the title
    when not searching; the next start comes first when sorting by start date (courses with
    none last), the best rated when sorting by rating with a `rating_order`. With `similar`,
    the search words are matched by trigram similarity instead of full-text search.

    Rows carry `open_now`, `next_start` and, when searching,
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
            subject_tree.subtree_q(filters.subject, "subject__")
        )
        courses = courses.filter(
            subject_tree.subtree_q(filters.subject, "primary_subject__") | Exists(tagged)
        )
    if filters.open_now:
        courses = courses.filter(Exists(visible.filter(_window_open_q(now))))

    upcoming = visible.filter(_not_over_q(now)).order_by(F("starts_at").asc(nulls_last=True))
    courses = courses.select_related("university__country", "department").annotate(
        open_now=Exists(visible.filter(_window_open_q(now))),
        next_start=Subquery(upcoming.values("starts_at")[:1]),
    )
    courses = _searched(courses, filters.q, similar=similar)
    if filters.sort == CatalogSort.START:
        return courses.order_by(F("next_start").asc(nulls_last=True), "title", "pk")
    if filters.sort == CatalogSort.RATING and rating_order is not None:
        return rating_order(courses)
    return courses


def _searched(courses: QuerySet[Course], q: str, *, similar: bool) -> QuerySet[Course]:
    terms = search.CourseSearch(q)
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
    open_now: bool
    next_start: datetime | None


@dataclass(frozen=True)
class CatalogPage:
    page: Page
    results: list[CatalogResult]
    query: str
    fuzzy: bool  # found by similarity only: the words themselves matched nothing


def catalog_page(
    *,
    user: Visitor,
    filters: CatalogFilters,
    page_number: str | int | None,
    now: datetime | None = None,
    rating_order: RatingOrder | None = None,
) -> CatalogPage:
    """One page of the catalog with highlighted titles and summaries, in three queries (count,
    rows, subject tags), and one more (a second count) when the search words match nothing and
    the similar courses are shown instead. Page numbers past the end give the last page."""
    terms = search.CourseSearch(filters.q)
    subjects = Subject.objects.only("id", "name").order_by("name")
    subjects = subjects.annotate(matched=terms.field_matches("name") if terms else Value(False))

    def paginate(similar: bool) -> Paginator:
        courses = course_catalog(
            user=user, filters=filters, now=now, similar=similar, rating_order=rating_order
        )
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
                open_now=course.open_now,
                next_start=course.next_start,
            )
        )
    page.object_list = rows
    return CatalogPage(page=page, results=results, query=terms.text, fuzzy=fuzzy)
