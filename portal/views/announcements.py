"""The small staff form that posts an announcement to an offering, beside the admin's. The
offering is looked up as the player does (another tenant's is a 404); anyone but its staff gets
a 404 too, and the service checks again."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from community.announcements.services import BODY_MAX, TITLE_MAX, announcement_post
from syllabus.selectors import offering_for_learner


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=gettext_lazy("Announcement"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Markdown; formulas between $ signs."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def announcement_create_view(request: HttpRequest, offering_id: int) -> HttpResponse:
    access = offering_for_learner(user=request.user, offering_id=offering_id)
    if not access.is_staff:
        raise Http404
    offering = access.offering
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            announcement_post(offering=offering, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("The announcement is posted and its learners are told."))
            return redirect(reverse("portal:outline", args=[offering.pk]) + "#announcements")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "portal/announcement_form.html",
        {"form": form, "offering": offering, "course": offering.course},
        status=status,
    )


routes = [
    path(
        "learn/<int:offering_id>/announcements/new/",
        announcement_create_view,
        name="announcement-create",
    ),
]
