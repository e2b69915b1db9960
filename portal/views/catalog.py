"""The catalog (browse, filter, search) and the course page."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from catalog.forms import CatalogFilterForm
from catalog.selectors.browse import catalog_options, catalog_page, language_name
from catalog.selectors.course_page import course_for_visitor, course_page
from catalog.selectors.enrollments import LEARNING_STATUSES
from community.announcements.selectors import announcements_for_offerings
from community.reviews.selectors import (
    course_rating_summaries,
    courses_by_rating,
    latest_reviews,
)
from content.selectors import CourseImageRow, asset_file_name, course_images, outline_version
from lms.media import stored_file_response
from lms.replicas import replica_page
from syllabus.models import ModuleType
from syllabus.selectors import OutlineRow, outline_rows

# The course page lists the syllabus three levels deep (units, chapters, lessons), or two when
# three would make more than OUTLINE_MAX_ENTRIES lines; deeper modules are counted, not listed,
# so a course of thousands of modules still gives a page one can read (and render quickly).
OUTLINE_LEVELS = 3
OUTLINE_MAX_ENTRIES = 150
# Up to this many listed entries the units start unfolded.
OUTLINE_OPEN_UP_TO = 60
# How long a syllabus preview stays in the cache unread; a write to the course never shows a
# stale one, as the key holds the outline's version.
PREVIEW_CACHE_SECONDS = 24 * 60 * 60


@dataclass
class OutlineEntry:
    title: str
    module_type: str
    children: list["OutlineEntry"] = field(default_factory=list)
    more: int = 0  # published modules below it that are not listed


def course_outline(rows: list[OutlineRow]) -> tuple[list[OutlineEntry], int]:
    """The outline rows (pre-order) as nested entries below the course root, and how many
    entries that makes. A course without a root has its top modules as units."""
    top: list[OutlineEntry] = []
    entries: dict[int, OutlineEntry] = {}
    counted_by: dict[int, OutlineEntry | None] = {}
    deepest: list[OutlineEntry] = []
    for row in rows:
        if row["module_type"] == ModuleType.COURSE_ROOT:
            continue
        parent_id = row["parent_id"]
        if row["depth"] <= OUTLINE_LEVELS:
            entry = entries[row["id"]] = OutlineEntry(row["title"], row["module_type"])
            parent = entries.get(parent_id)
            (parent.children if parent else top).append(entry)
            if row["depth"] == OUTLINE_LEVELS:
                deepest.append(entry)
            continue
        owner = counted_by[row["id"]] = entries.get(parent_id) or counted_by.get(parent_id)
        if owner is not None:
            owner.more += 1
    listed = len(entries)
    if listed > OUTLINE_MAX_ENTRIES and deepest:
        for parent in _parents(top, OUTLINE_LEVELS - 1):
            parent.more += sum(1 + child.more for child in parent.children)
            parent.children = []
        listed -= len(deepest)
    return top, listed


def syllabus_preview(*, university_id: int, course_id: int) -> tuple[list[OutlineEntry], int]:
    """`course_outline` of the published modules, the same for every visitor: kept in the
    cache (Redis in production, shared by the web nodes) under the outline's version, which
    every write to the course's modules and items changes, so a course of thousands of modules
    is read and folded once per change instead of on every visit."""
    version = "-".join(str(part) for part in outline_version(course_id=course_id))
    key = f"syllabus-preview:{university_id}:{course_id}:{version}"
    preview = cache.get(key)
    if preview is None:
        preview = course_outline(outline_rows(course_id=course_id, published_only=True))
        cache.set(key, preview, PREVIEW_CACHE_SECONDS)
    return preview


def pictures(course_ids: list[int]) -> dict[int, CourseImageRow]:
    """The courses' pictures (content's library), one query; uploaded files are served by
    `course_image_view`, which lets through whoever may see the course."""
    return {
        pk: row._replace(asset=row.asset._replace(url=reverse("portal:course-image", args=[pk])))
        if asset_file_name(url=row.asset.url, meta=row.asset.meta)
        else row
        for pk, row in course_images(course_ids=course_ids).items()
    }


def _parents(entries: list[OutlineEntry], level: int) -> list[OutlineEntry]:
    """The entries `level` levels down from `entries` (1: `entries` themselves)."""
    for _ in range(level - 1):
        entries = [child for entry in entries for child in entry.children]
    return entries


@require_safe
@replica_page
def catalog_view(request: HttpRequest) -> HttpResponse:
    options = catalog_options()
    form = CatalogFilterForm(request.GET or None, options=options)
    filters = form.filters()
    results = catalog_page(
        user=request.user,
        filters=filters,
        page_number=request.GET.get("page"),
        rating_order=courses_by_rating,
    )
    params = request.GET.copy()
    params.pop("page", None)
    # The catalog knows courses, the reviews know ratings: the page puts them side by side, in
    # one query for the whole page.
    course_ids = [r.course.pk for r in results.results]
    ratings = course_rating_summaries(course_ids=course_ids)
    images = pictures(course_ids)
    context = {
        "form": form,
        "catalog": results,
        "cards": [
            (result, ratings[result.course.pk], images.get(result.course.pk))
            for result in results.results
        ],
        "filters": filters,
        "page_query": params.urlencode(),
        # As on the course page: the visitor's zone when signed in, else each university's.
        "dates_zone": timezone.get_current_timezone_name() if request.user.is_authenticated else "",
    }
    return render(request, "portal/catalog.html", context)


@require_safe
@replica_page
def course_detail_view(request: HttpRequest, course_id: int) -> HttpResponse:
    page = course_page(user=request.user, course_id=course_id)
    outline, listed = syllabus_preview(
        university_id=page.course.university_id, course_id=page.course.pk
    )
    learning = next(
        (
            card.offering
            for card in page.offerings
            if card.enrollment and card.enrollment.status in LEARNING_STATUSES
        ),
        None,
    )
    context = {
        "page": page,
        "course": page.course,
        # Signed-in visitors read every date in their own zone (their profile's, which the
        # middleware made current); anonymous ones in the university's, which beats UTC.
        "dates_zone": timezone.get_current_timezone_name()
        if request.user.is_authenticated
        else page.course.university.time_zone,
        "language": language_name(page.course.language_code),
        "outline": outline,
        "outline_open": listed <= OUTLINE_OPEN_UP_TO,
        "learning": learning,
        "image": pictures([page.course.pk]).get(page.course.pk),
        "rating": course_rating_summaries(course_ids=[page.course.pk])[page.course.pk],
        "latest_reviews": latest_reviews(course_id=page.course.pk),
        "announcements": announcements_for_offerings(
            offering_ids=[learning.pk] if learning else []
        ),
    }
    return render(request, "portal/course_detail.html", context)


@require_safe
@replica_page
def course_image_view(request: HttpRequest, course_id: int) -> HttpResponseBase:
    """A course's uploaded picture, for whoever may see the course page (the same 404 as the
    page otherwise, and for a course without one)."""
    course = course_for_visitor(user=request.user, course_id=course_id)
    row = course_images(course_ids=[course.pk]).get(course.pk)
    name = asset_file_name(url=row.asset.url, meta=row.asset.meta) if row else None
    if row is None or name is None:
        raise Http404("No such image.")
    return stored_file_response(request, name, filename=row.asset.meta.get("filename"))


routes = [
    path("", catalog_view, name="catalog"),
    path("courses/<int:course_id>/", course_detail_view, name="course-detail"),
    path("courses/<int:course_id>/image/", course_image_view, name="course-image"),
]
