"""The page behind an invitation link: who invites the signed-in person to what, and a button
to accept. Accepting creates the role (and the enrollment) through
catalog.services.invitations; a GET changes nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalog.selectors.roster import invitation_for_token
from catalog.services.invitations import InvitationRefused, invitation_accept, invitation_problem


def _after(invitation) -> str:
    if invitation.course_offering_id is not None:
        return reverse(
            "portal:course-detail", kwargs={"course_id": invitation.course_offering.course_id}
        )
    return reverse("portal:dashboard")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token=token)
    if request.method == "POST":
        try:
            invitation_accept(user=request.user, invitation_id=invitation.pk)
        except InvitationRefused as refusal:
            messages.error(request, refusal.messages[0])
            return redirect(request.path)
        messages.success(
            request,
            _("You accepted the invitation of %(university)s.")
            % {"university": invitation.university.name},
        )
        return redirect(_after(invitation))
    context = {"invitation": invitation, "problem": invitation_problem(invitation, request.user)}
    return render(request, "portal/invitation.html", context)


routes = [path("invitations/<str:token>/", invitation_view, name="invitation")]
