"""Discussions of an offering and reviews of a course.

Discussion pages go through `discussion_view`, which resolves the offering with
`discussion_access`: anonymous users, students without an active or completed enrollment and
other universities' staff get a 404, as for an offering that does not exist. Moderation the
reader may not do answers 403 (PermissionDenied from the services), a flood of posts 429.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from community.discussions import notifications, services
from community.discussions.selectors import (
    DiscussionAccess,
    ForumFilter,
    attachable_item,
    discussion_access,
    forum_page,
    may_edit,
    notification_mode,
    offering_modules,
    post_for_reader,
    thread_for_reader,
    thread_page,
)
from community.forms import (
    NotificationForm,
    PostEditForm,
    PostForm,
    ReportForm,
    ReviewForm,
    ReviewHideForm,
    ReviewReplyForm,
    ThreadForm,
)
from community.reviews import services as review_services
from community.reviews.selectors import review_for_moderation, reviews_access, reviews_panel
from lms.input import parse_id, safe_next

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def discussion_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, offering_id: int, **kwargs: Any) -> HttpResponseBase:
        access = discussion_access(user=request.user, offering_id=offering_id)
        return view(request, access, **kwargs)

    return wrapper


def _thread_url(access: DiscussionAccess, thread_id: int, anchor: str = "") -> str:
    url = reverse(
        "portal:thread", kwargs={"offering_id": access.offering.pk, "thread_id": thread_id}
    )
    return f"{url}#{anchor}" if anchor else url


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Forum and threads -------------------------------------------------------------------------


@require_safe
@discussion_view
def forum_view(request: HttpRequest, access: DiscussionAccess) -> HttpResponse:
    forum = forum_page(
        access=access,
        filter_name=request.GET.get("show", ForumFilter.ALL),
        module_id=parse_id(request.GET.get("module")),
        page_number=request.GET.get("page"),
    )
    context = {
        "access": access,
        "offering": access.offering,
        "course": access.offering.course,
        "forum": forum,
        "filters": [
            (ForumFilter.ALL, _("All")),
            (ForumFilter.UNANSWERED, _("Unanswered")),
            (ForumFilter.MINE, _("Mine")),
        ],
    }
    return render(request, "community/forum.html", context)


@GET_POST
@discussion_view
def thread_create_view(request: HttpRequest, access: DiscussionAccess) -> HttpResponse:
    modules = offering_modules(access=access)
    choices = [m for m in modules if not m.is_root]
    data = request.POST if request.method == "POST" else None
    item_id = parse_id(request.POST.get("item") if data else request.GET.get("item"))
    item = attachable_item(access=access, item_id=item_id) if item_id else None
    initial = {"item": item.pk if item else None, "module": parse_id(request.GET.get("module"))}
    form = ThreadForm(data, initial=initial, module_choices=choices)
    status = 200
    if data is not None and form.is_valid():
        module = next((m for m in choices if m.id == form.cleaned_data["module"]), None)
        try:
            thread = services.thread_create(
                access=access,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                module=module,
                item=item,
            )
        except services.PostingThrottled as exc:
            form.add_error(None, str(exc))
            status = 429
        except ValidationError as exc:
            _apply_errors(form, exc)
            status = 400
        else:
            messages.success(request, _("Your thread is up."))
            return redirect(_thread_url(access, thread.pk))
    elif data is not None:
        status = 400
    context = {
        "access": access,
        "offering": access.offering,
        "course": access.offering.course,
        "form": form,
        "item": item,
    }
    return render(request, "community/thread_form.html", context, status=status)


def _render_thread(
    request: HttpRequest,
    access: DiscussionAccess,
    thread_id: int,
    *,
    reply_form: PostForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = thread_page(access=access, thread_id=thread_id)
    reply_parent = None
    if reply_form is not None:
        # Errors show in the form the reply came from, or at the bottom when that is gone.
        parent_id = parse_id(str(reply_form["parent"].value() or ""))
        shown = {node.post.pk for node in page.nodes if not node.post.is_deleted}
        reply_parent = parent_id if parent_id in shown else None
    context = {
        "access": access,
        "offering": access.offering,
        "course": access.offering.course,
        "page": page,
        "thread": page.thread,
        "reply_form": reply_form,
        "reply_parent": reply_parent,
        "markup_help": PostForm.base_fields["body"].help_text,
    }
    return render(request, "community/thread.html", context, status=status)


@require_safe
@discussion_view
def thread_view(request: HttpRequest, access: DiscussionAccess, thread_id: int) -> HttpResponse:
    return _render_thread(request, access, thread_id)


@require_POST
@discussion_view
def thread_reply_view(
    request: HttpRequest, access: DiscussionAccess, thread_id: int
) -> HttpResponse:
    thread = thread_for_reader(access=access, thread_id=thread_id)
    form = PostForm(request.POST)
    if not form.is_valid():
        return _render_thread(request, access, thread.pk, reply_form=form, status=400)
    parent_id = form.cleaned_data["parent"]
    parent = None
    if parent_id:
        parent = post_for_reader(access=access, thread_id=thread.pk, post_id=parent_id)
    try:
        post = services.post_create(
            access=access, thread=thread, body=form.cleaned_data["body"], parent=parent
        )
    except services.PostingThrottled as exc:
        form.add_error(None, str(exc))
        return _render_thread(request, access, thread.pk, reply_form=form, status=429)
    except ValidationError as exc:
        _apply_errors(form, exc)
        return _render_thread(request, access, thread.pk, reply_form=form, status=400)
    messages.success(request, _("Your reply is posted."))
    return redirect(_thread_url(access, thread.pk, f"post-{post.pk}"))


def _post_form_page(
    request: HttpRequest,
    access: DiscussionAccess,
    post,
    form,
    template: str,
    *,
    save: Callable[[dict], Any],
    done: str,
) -> HttpResponse:
    """A page with one form about one post: on a valid POST, `save` the cleaned data and go back
    to the post; refusals are shown on the form with status 400."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect(_thread_url(access, post.thread_id, f"post-{post.pk}"))
    context = {
        "access": access,
        "offering": access.offering,
        "course": access.offering.course,
        "thread": post.thread,
        "post": post,
        "form": form,
    }
    return render(request, template, context, status=status)


@GET_POST
@discussion_view
def post_edit_view(
    request: HttpRequest, access: DiscussionAccess, thread_id: int, post_id: int
) -> HttpResponse:
    post = post_for_reader(access=access, thread_id=thread_id, post_id=post_id)
    if not may_edit(user=access.user, post=post, thread=post.thread):
        messages.error(request, _("This post can no longer be edited."))
        return redirect(_thread_url(access, thread_id, f"post-{post.pk}"))
    return _post_form_page(
        request,
        access,
        post,
        PostEditForm(request.POST or None, initial={"body": post.body}),
        "community/post_edit.html",
        save=lambda data: services.post_edit(access=access, post=post, body=data["body"]),
        done=_("Your post is updated."),
    )


@require_POST
@discussion_view
def post_delete_view(
    request: HttpRequest, access: DiscussionAccess, thread_id: int, post_id: int
) -> HttpResponse:
    post = post_for_reader(access=access, thread_id=thread_id, post_id=post_id)
    services.post_delete(access=access, post=post)
    messages.success(request, _("The post is removed."))
    return redirect(_thread_url(access, thread_id, f"post-{post.pk}"))


@GET_POST
@discussion_view
def post_report_view(
    request: HttpRequest, access: DiscussionAccess, thread_id: int, post_id: int
) -> HttpResponse:
    post = post_for_reader(access=access, thread_id=thread_id, post_id=post_id)
    return _post_form_page(
        request,
        access,
        post,
        ReportForm(request.POST or None),
        "community/post_report.html",
        save=lambda data: services.post_report(
            access=access, post=post, reason=data["reason"], details=data["details"]
        ),
        done=_("Thank you. The moderators will look at this post."),
    )


def _flag(request: HttpRequest) -> bool:
    return request.POST.get("value") == "1"


@require_POST
@discussion_view
def post_answer_view(
    request: HttpRequest, access: DiscussionAccess, thread_id: int, post_id: int
) -> HttpResponse:
    post = post_for_reader(access=access, thread_id=thread_id, post_id=post_id)
    try:
        services.thread_mark_answer(access=access, post=post, is_answer=_flag(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_thread_url(access, thread_id, f"post-{post.pk}"))


@require_POST
@discussion_view
def thread_lock_view(
    request: HttpRequest, access: DiscussionAccess, thread_id: int
) -> HttpResponse:
    thread = thread_for_reader(access=access, thread_id=thread_id)
    services.thread_set_locked(access=access, thread=thread, locked=_flag(request))
    messages.success(
        request, _("The thread is locked.") if thread.is_locked else _("The thread is open again.")
    )
    return redirect(_thread_url(access, thread.pk))


@require_POST
@discussion_view
def thread_pin_view(request: HttpRequest, access: DiscussionAccess, thread_id: int) -> HttpResponse:
    thread = thread_for_reader(access=access, thread_id=thread_id)
    services.thread_set_pinned(access=access, thread=thread, pinned=_flag(request))
    messages.success(
        request, _("The thread is pinned.") if thread.is_pinned else _("The thread is unpinned.")
    )
    return redirect(_thread_url(access, thread.pk))


@require_POST
@discussion_view
def thread_follow_view(
    request: HttpRequest, access: DiscussionAccess, thread_id: int
) -> HttpResponse:
    thread = thread_for_reader(access=access, thread_id=thread_id)
    follow = _flag(request)
    services.thread_follow(access=access, thread=thread, follow=follow)
    messages.success(
        request,
        _("You follow this thread.") if follow else _("You no longer follow this thread."),
    )
    return redirect(_thread_url(access, thread.pk))


@login_required
@GET_POST
def notifications_view(request: HttpRequest) -> HttpResponse:
    form = NotificationForm(
        request.POST or None, initial={"mode": notification_mode(user=request.user)}
    )
    if request.method == "POST" and form.is_valid():
        notifications.notification_mode_set(user=request.user, mode=form.cleaned_data["mode"])
        messages.success(request, _("Your notification setting is saved."))
        return redirect("portal:discussion-notifications")
    status = 400 if request.method == "POST" else 200
    return render(request, "community/notifications.html", {"form": form}, status=status)


# Reviews -----------------------------------------------------------------------------------


def _reviews_url(course_id: int) -> str:
    return reverse("portal:course-reviews", kwargs={"course_id": course_id})


def _back(request: HttpRequest, course_id: int) -> HttpResponse:
    """Back to the page the form was on (the course page or the reviews page)."""
    return HttpResponseRedirect(
        safe_next(request, request.POST.get("next"), _reviews_url(course_id))
    )


@require_safe
def course_reviews_view(request: HttpRequest, course_id: int) -> HttpResponse:
    panel = reviews_panel(
        user=request.user, course_id=course_id, page_number=request.GET.get("page")
    )
    return render(request, "community/reviews.html", {"course": panel.course, "panel": panel})


@login_required
@require_POST
def review_submit_view(request: HttpRequest, course_id: int) -> HttpResponse:
    access = reviews_access(user=request.user, course_id=course_id)
    form = ReviewForm(request.POST)
    offering_id = parse_id(request.POST.get("offering"))
    enrollment = next((e for e in access.eligible if e.course_offering_id == offering_id), None)
    if enrollment is None:
        messages.error(request, _("Only students of this course may review it."))
        return redirect(_reviews_url(course_id))
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5 stars and try again."))
        return _back(request, course_id)
    review_services.review_save(
        access=access,
        enrollment=enrollment,
        rating=form.cleaned_data["rating"],
        text=form.cleaned_data["review_text"],
        display_name=form.cleaned_data["display_name"],
    )
    messages.success(request, _("Thank you for your review."))
    return _back(request, course_id)


@login_required
@require_POST
def review_reply_view(request: HttpRequest, course_id: int, review_id: int) -> HttpResponse:
    access = reviews_access(user=request.user, course_id=course_id)
    review = review_for_moderation(access=access, review_id=review_id)
    form = ReviewReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a reply first."))
        return _back(request, course_id)
    try:
        review_services.review_reply_create(
            access=access, review=review, body=form.cleaned_data["body"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your reply is published."))
    return _back(request, course_id)


@login_required
@require_POST
def review_hide_view(request: HttpRequest, course_id: int, review_id: int) -> HttpResponse:
    access = reviews_access(user=request.user, course_id=course_id)
    review = review_for_moderation(access=access, review_id=review_id)
    form = ReviewHideForm(request.POST)
    form.is_valid()
    hidden = request.POST.get("hidden") == "1"
    try:
        review_services.review_set_hidden(
            access=access, review=review, hidden=hidden, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The review is hidden.") if hidden else _("The review is shown again.")
        )
    return _back(request, course_id)


discussion = "learn/<int:offering_id>/discussions/"
post = f"{discussion}<int:thread_id>/posts/<int:post_id>/"

routes = [
    path(discussion, forum_view, name="discussions"),
    path(f"{discussion}new/", thread_create_view, name="thread-create"),
    path(f"{discussion}<int:thread_id>/", thread_view, name="thread"),
    path(f"{discussion}<int:thread_id>/reply/", thread_reply_view, name="thread-reply"),
    path(f"{discussion}<int:thread_id>/lock/", thread_lock_view, name="thread-lock"),
    path(f"{discussion}<int:thread_id>/pin/", thread_pin_view, name="thread-pin"),
    path(f"{discussion}<int:thread_id>/follow/", thread_follow_view, name="thread-follow"),
    path(f"{post}edit/", post_edit_view, name="post-edit"),
    path(f"{post}delete/", post_delete_view, name="post-delete"),
    path(f"{post}report/", post_report_view, name="post-report"),
    path(f"{post}answer/", post_answer_view, name="post-answer"),
    path("discussions/notifications/", notifications_view, name="discussion-notifications"),
    path("courses/<int:course_id>/reviews/", course_reviews_view, name="course-reviews"),
    path("courses/<int:course_id>/reviews/submit/", review_submit_view, name="review-submit"),
    path(
        "courses/<int:course_id>/reviews/<int:review_id>/reply/",
        review_reply_view,
        name="review-reply",
    ),
    path(
        "courses/<int:course_id>/reviews/<int:review_id>/hide/",
        review_hide_view,
        name="review-hide",
    ),
]
