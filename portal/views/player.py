"""The course player: the outline of an offering, one page per content item, and the endpoints
that record progress.

Every view goes through `learner_view`, which resolves the offering with
`offering_for_learner` (404 for a missing offering and for a draft course the user has nothing
to do with) and sends everyone who may not learn in it to the course page.
"""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessments.progress.selectors import learner_marks, percent, subtree_counts
from assessments.progress.services import content_complete, content_open, content_progress_report
from community.announcements.selectors import announcements_for_offerings
from community.discussions.selectors import item_discussion
from content.rendering import OutlineFolding, asset_ids, render_item, render_outline
from content.selectors import assets_for_university, course_outline, item_page, item_ref
from content.types.base import RenderContext
from content.types.video import transcript_webvtt
from lms.input import parse_id
from lms.replicas import replica_page
from portal.views.media import item_assets
from syllabus.models import ModuleType
from syllabus.selectors import LearningAccess, OutlineRow, offering_for_learner


def course_page_url(course_id: int) -> str:
    try:
        return reverse("portal:course-detail", kwargs={"course_id": course_id})
    except NoReverseMatch:
        return reverse("portal:catalog")


def learner_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, offering_id: int, **kwargs) -> HttpResponseBase:
        access = offering_for_learner(user=request.user, offering_id=offering_id)
        if not access.may_learn:
            messages.info(request, _("Enroll to open this course."))
            return redirect(course_page_url(access.offering.course_id))
        return view(request, access, **kwargs)

    return wrapper


def item_url(offering_id: int, item_id: int) -> str:
    return reverse("portal:item", kwargs={"offering_id": offering_id, "item_id": item_id})


def _item_url_template(offering_id: int) -> str:
    """`item_url` with `{id}` in place of the item id, reversed once for thousands of links."""
    marker = 987654321
    head, tail = item_url(offering_id, marker).rsplit(str(marker), 1)
    return f"{head}{{id}}{tail}"


# Up to this many visible modules the outline is one page with every branch open. Past it the
# page draws the top levels and the way to where the learner is, with every other branch closed
# and loaded when opened: a course of thousands of modules stays a page of a few kilobytes.
OUTLINE_FULL_UP_TO = 300


def _branch_path(rows: list[OutlineRow], module_id: int) -> set[int]:
    """The module and its ancestors: the rows are in pre-order, so walking back from it, each
    row shallower than the last one taken is the next ancestor."""
    index = next((i for i, row in enumerate(rows) if row["id"] == module_id), None)
    if index is None:
        return set()
    path = {module_id}
    depth = rows[index]["depth"]
    for i in range(index - 1, -1, -1):
        if depth == 0:
            break
        if rows[i]["depth"] < depth:
            depth = rows[i]["depth"]
            path.add(rows[i]["id"])
    return path


def _top_levels(rows: list[OutlineRow]) -> set[int]:
    """The course root and its units: always drawn open in a large outline."""
    top = {row["id"] for row in rows if row["depth"] == 0}
    return top | {row["id"] for row in rows if row["parent_id"] in top}


def _sidebar(*, user_id: int, access: LearningAccess, item_id: int, module_id: int) -> SafeString:
    """The outline beside an item page, the item marked as the current page: the cached
    outline and the learner's one progress query, as on the outline page. In a large course
    only the way to the item is open (its module's items, the siblings of each module on the
    way), every other branch closed as on the outline page."""
    offering = access.offering
    outline = course_outline(course_id=offering.course_id, include_hidden=access.sees_hidden)
    rows, items = outline.rows, outline.items_by_module
    counts = None
    completed: set[int] = set()
    if access.records_progress:
        completed = learner_marks(user_id=user_id, offering_id=offering.pk).completed
        counts = subtree_counts(rows=rows, items_by_module=items, completed=completed)
    folding = None
    if len(rows) > OUTLINE_FULL_UP_TO:
        expanded = _branch_path(rows, module_id) | _top_levels(rows)
        folding = _folding(offering.pk, expanded=expanded)
    return render_outline(
        rows=rows,
        items_by_module=items,
        item_url_template=_item_url_template(offering.pk),
        counts=counts,
        completed=completed,
        mark_hidden=access.sees_hidden,
        folding=folding,
        current_id=item_id,
    )


def _folding(offering_id: int, *, expanded: set[int], root_id: int | None = None) -> OutlineFolding:
    outline = reverse("portal:outline", kwargs={"offering_id": offering_id})
    marker = 987654321
    branch = reverse(
        "portal:outline-branch", kwargs={"offering_id": offering_id, "module_id": marker}
    )
    return OutlineFolding(
        expanded=frozenset(expanded),
        fragment_url_template=branch.replace(str(marker), "{id}"),
        page_url_template=f"{outline}?branch={{id}}#m{{id}}",
        root_id=root_id,
    )


def start_seconds(value: str | None) -> int:
    """`?t=` of an item address (a transcript search hit): whole seconds, anything else 0."""
    value = (value or "").strip().removesuffix("s")
    return min(int(value), 86_400) if value.isascii() and value.isdigit() else 0


@require_safe
@replica_page
@learner_view
def outline_view(request: HttpRequest, access: LearningAccess) -> HttpResponse:
    offering = access.offering
    course = offering.course
    outline = course_outline(course_id=course.pk, include_hidden=access.sees_hidden)
    rows, items = outline.rows, outline.items_by_module
    url_template = _item_url_template(offering.pk)
    counts = None
    completed: set[int] = set()
    course_done = course_total = 0
    resume_id = None
    module_of = {item.id: item.module_id for listed in items.values() for item in listed}
    if access.records_progress:
        marks = learner_marks(user_id=request.user.pk, offering_id=offering.pk)
        completed = marks.completed
        counts = subtree_counts(rows=rows, items_by_module=items, completed=completed)
        for row in rows:
            if row["parent_id"] is None:
                course_done += counts.done[row["id"]]
                course_total += counts.total[row["id"]]
        resume_id = next((i for i in marks.recent if i in module_of), None)
    first_id = next((items[row["id"]][0].id for row in rows if row["id"] in items), None)
    folding = None
    if len(rows) > OUTLINE_FULL_UP_TO:
        # The top levels (the course root and its units) and the way to the branch asked
        # for, else to where the learner is: the item to resume, else the first one.
        focus = parse_id(request.GET.get("branch"))
        expanded = _branch_path(rows, focus) if focus else set()
        if not expanded and (resume_id or first_id):
            expanded = _branch_path(rows, module_of[resume_id or first_id])
        folding = _folding(offering.pk, expanded=expanded | _top_levels(rows))
    outline_html = render_outline(
        rows=rows,
        items_by_module=items,
        item_url_template=url_template,
        counts=counts,
        completed=completed,
        mark_hidden=access.sees_hidden,
        folding=folding,
    )
    context = {
        "access": access,
        "offering": offering,
        "course": course,
        "outline_html": outline_html,
        "folded": folding is not None,
        "course_percent": percent(course_done, course_total),
        "course_done": course_done,
        "course_total": course_total,
        "resume_url": item_url(offering.pk, resume_id) if resume_id else None,
        "start_url": item_url(offering.pk, first_id) if first_id else None,
        "announcements": announcements_for_offerings(offering_ids=[offering.pk]),
    }
    return render(request, "portal/player/outline.html", context)


@require_safe
@replica_page
@learner_view
def outline_branch_view(
    request: HttpRequest, access: LearningAccess, module_id: int
) -> HttpResponse:
    """What is in one module of the outline, as a fragment of the outline's markup: what the
    outline page's script puts in place when a closed branch is opened."""
    outline = course_outline(course_id=access.offering.course_id, include_hidden=access.sees_hidden)
    rows, items = outline.rows, outline.items_by_module
    start = next((i for i, row in enumerate(rows) if row["id"] == module_id), None)
    if start is None:
        raise Http404
    end = start + 1
    while end < len(rows) and rows[end]["depth"] > rows[start]["depth"]:
        end += 1
    # The branch on its own: its top module's parent is not part of it.
    branch = [OutlineRow(**{**rows[start], "parent_id": None}), *rows[start + 1 : end]]
    counts = None
    completed: set[int] = set()
    if access.records_progress:
        completed = learner_marks(user_id=request.user.pk, offering_id=access.offering.pk).completed
        counts = subtree_counts(rows=branch, items_by_module=items, completed=completed)
    # A branch of more than OUTLINE_FULL_UP_TO modules comes with its own branches closed.
    small = len(branch) <= OUTLINE_FULL_UP_TO
    expanded = {row["id"] for row in branch} if small else {module_id}
    html = render_outline(
        rows=branch,
        items_by_module=items,
        item_url_template=_item_url_template(access.offering.pk),
        counts=counts,
        completed=completed,
        mark_hidden=access.sees_hidden,
        folding=_folding(access.offering.pk, expanded=expanded, root_id=module_id),
    )
    return HttpResponse(html)


@require_safe
@learner_view
def item_view(request: HttpRequest, access: LearningAccess, item_id: int) -> HttpResponse:
    offering = access.offering
    page = item_page(
        course_id=offering.course_id, item_id=item_id, include_hidden=access.sees_hidden
    )
    assets = item_assets(
        offering_id=offering.pk,
        item_id=page.id,
        assets=assets_for_university(
            ids=asset_ids(page.content_type, page.data), university_id=page.university_id
        ),
    )
    state = None
    if access.records_progress:
        state = content_open(user=request.user, offering=offering, item_id=page.id)
    captions_url = reverse(
        "portal:item-captions", kwargs={"offering_id": offering.pk, "item_id": page.id}
    )
    body = render_item(
        page.content_type,
        page.data,
        RenderContext(
            assets=assets,
            time_zone=request.user.time_zone,
            captions_url=captions_url,
            title=page.title,
            start_seconds=start_seconds(request.GET.get("t")),
        ),
    )
    crumbs = [c for c in page.ancestors if c.module_type != ModuleType.COURSE_ROOT]
    sidebar = _sidebar(
        user_id=request.user.pk, access=access, item_id=page.id, module_id=page.module_id
    )
    context = {
        "access": access,
        "offering": offering,
        "course": offering.course,
        "item": page,
        "body": body,
        "crumbs": crumbs,
        "sidebar": sidebar,
        "folded_sidebar": "data-branch=" in sidebar,
        "state": state,
        "previous_url": item_url(offering.pk, page.previous.id) if page.previous else None,
        "next_url": item_url(offering.pk, page.next.id) if page.next else None,
        "progress_url": reverse(
            "portal:item-progress", kwargs={"offering_id": offering.pk, "item_id": page.id}
        ),
        "complete_url": reverse(
            "portal:item-complete", kwargs={"offering_id": offering.pk, "item_id": page.id}
        ),
        "discussion": item_discussion(offering_id=offering.pk, item_id=page.id),
        "quiz_url": (
            reverse("portal:quiz", kwargs={"offering_id": offering.pk, "item_id": page.id})
            if page.content_type == "quiz"
            else None
        ),
    }
    return render(request, "portal/player/item.html", context)


@require_POST
@learner_view
def item_complete_view(request: HttpRequest, access: LearningAccess, item_id: int) -> HttpResponse:
    offering = access.offering
    item = item_ref(
        course_id=offering.course_id, item_id=item_id, include_hidden=access.sees_hidden
    )
    if access.records_progress:
        content_complete(user=request.user, offering=offering, item_id=item.id)
        messages.success(request, _("Marked as complete."))
    else:
        messages.info(request, _("Progress is not recorded for course staff."))
    return redirect(item_url(offering.pk, item.id))


@require_POST
@learner_view
def item_progress_view(request: HttpRequest, access: LearningAccess, item_id: int) -> HttpResponse:
    """Progress pings of the internal video player: `percent` watched, 0-100."""
    offering = access.offering
    item = item_ref(
        course_id=offering.course_id, item_id=item_id, include_hidden=access.sees_hidden
    )
    if item.content_type != "video":
        return JsonResponse({"error": _("Only videos report progress.")}, status=400)
    if not access.records_progress:
        return JsonResponse({"recorded": False})
    try:
        reported = Decimal(request.POST.get("percent", ""))
    except InvalidOperation:
        reported = Decimal("NaN")
    try:
        state = content_progress_report(
            user=request.user, offering=offering, item_id=item.id, percent=reported
        )
    except ValidationError:
        return JsonResponse({"error": _("Give a number from 0 to 100.")}, status=400)
    return JsonResponse(
        {
            "recorded": True,
            "percent": float(state.progress_percent),
            "completed": state.is_complete,
        }
    )


@require_safe
@learner_view
def item_captions_view(request: HttpRequest, access: LearningAccess, item_id: int) -> HttpResponse:
    """WebVTT captions generated from the video's transcript."""
    offering = access.offering
    item = item_ref(
        course_id=offering.course_id, item_id=item_id, include_hidden=access.sees_hidden
    )
    if item.content_type != "video" or not (item.data.get("transcript") or {}).get("segments"):
        return HttpResponse(status=404)
    return HttpResponse(transcript_webvtt(item.data), content_type="text/vtt; charset=utf-8")


routes = [
    path("learn/<int:offering_id>/", outline_view, name="outline"),
    path(
        "learn/<int:offering_id>/outline/<int:module_id>/",
        outline_branch_view,
        name="outline-branch",
    ),
    path("learn/<int:offering_id>/items/<int:item_id>/", item_view, name="item"),
    path(
        "learn/<int:offering_id>/items/<int:item_id>/complete/",
        item_complete_view,
        name="item-complete",
    ),
    path(
        "learn/<int:offering_id>/items/<int:item_id>/progress/",
        item_progress_view,
        name="item-progress",
    ),
    path(
        "learn/<int:offering_id>/items/<int:item_id>/captions.vtt",
        item_captions_view,
        name="item-captions",
    ),
]
