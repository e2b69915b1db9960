"""Search inside a course: its items and video transcripts (content.search) and, for readers of
the offering's discussions, their posts (community.discussions.search), in three queries."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from community.discussions.search import PostHit, offering_post_hits, reads_discussions
from content.search import ItemHit, SearchTerms, course_item_hits
from portal.views.player import item_url, learner_view
from syllabus.selectors import LearningAccess


@dataclass(frozen=True)
class ItemResult:
    hit: ItemHit
    url: str
    moment: str  # "1:23" for a transcript line, else ""


def _moment(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _thread_url(offering_id: int, thread_id: int) -> str:
    return reverse("portal:thread", kwargs={"offering_id": offering_id, "thread_id": thread_id})


@require_safe
@learner_view
def course_search_view(request: HttpRequest, access: LearningAccess) -> HttpResponse:
    offering = access.offering
    course = offering.course
    raw = request.GET.get("q", "")
    terms = SearchTerms.parse(raw)
    reads = reads_discussions(is_staff=access.is_staff, enrollment_status=access.enrollment_status)
    items: list[ItemResult] = []
    posts: list[tuple[PostHit, str]] = []
    if terms:
        for hit in course_item_hits(
            course_id=course.pk,
            language_code=course.language_code,
            terms=terms,
            include_hidden=access.sees_hidden,
        ):
            url = item_url(offering.pk, hit.item_id)
            if hit.start_seconds is not None:
                url += "?" + urlencode({"t": hit.start_seconds})
            moment = "" if hit.start_seconds is None else _moment(hit.start_seconds)
            items.append(ItemResult(hit=hit, url=url, moment=moment))
        if reads:
            posts = [
                (hit, f"{_thread_url(offering.pk, hit.thread_id)}#post-{hit.post_id}")
                for hit in offering_post_hits(
                    offering_id=offering.pk, language_code=course.language_code, terms=terms
                )
            ]
    context = {
        "access": access,
        "offering": offering,
        "course": course,
        "q": raw[:500],
        "problem": terms.problem if "q" in request.GET else "",
        "searched": bool(terms),
        "items": items,
        "posts": posts,
        "reads_discussions": reads,
    }
    return render(request, "portal/player/search.html", context)


routes = [
    path("learn/<int:offering_id>/search/", course_search_view, name="course-search"),
]
