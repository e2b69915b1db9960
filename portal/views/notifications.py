"""The notification centre: the list, marking read (one or all) and the preferences page.

A notification is looked up among the reader's own: someone else's id answers 404, like a
missing one."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from notifications import selectors, services
from notifications.kinds import KINDS
from notifications.models import Notification


@login_required
@require_safe
def notification_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/notifications/list.html",
        {"notifications": selectors.notifications_for_user(user=request.user)},
    )


@login_required
@require_POST
def notification_read_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one read; with `open`, go on to what it is about."""
    try:
        notification = selectors.notification_for_user(
            user=request.user, notification_id=notification_id
        )
    except Notification.DoesNotExist:
        raise Http404 from None
    services.notification_mark_read(notification=notification)
    target = notification.link if "open" in request.POST else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("portal:notifications")


@login_required
@require_POST
def notification_read_all_view(request: HttpRequest) -> HttpResponse:
    marked = services.notifications_mark_all_read(user=request.user)
    if marked:
        messages.success(request, _("All notifications are marked read."))
    return redirect("portal:notifications")


class PreferencesForm(forms.Form):
    """One choice per kind of event, in the order of notifications.kinds."""

    def __init__(self, *args, initial_channels: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, kind in KINDS.items():
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=[(channel.value, channel.label) for channel in kind.channels()],
                initial=initial_channels[name],
                help_text=""
                if kind.email
                else _("Reply emails follow your discussion email setting."),
            )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_preferences_view(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST or None,
        initial_channels=selectors.preferences_for(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_set(user=request.user, choices=form.cleaned_data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("portal:notification-preferences")
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/notifications/preferences.html", {"form": form}, status=status)


routes = [
    path("notifications/", notification_list_view, name="notifications"),
    path(
        "notifications/<int:notification_id>/read/",
        notification_read_view,
        name="notification-read",
    ),
    path("notifications/read-all/", notification_read_all_view, name="notifications-read-all"),
    path(
        "notifications/preferences/",
        notification_preferences_view,
        name="notification-preferences",
    ),
]
