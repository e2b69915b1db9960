"""Decisions on many enrollments at once (approve, reject, promote, drop, complete, send the
set-password mail again), offered as actions of the enrollment list and as buttons on an
offering's roster page, each confirmed on a page that lists who it changes and who it skips.
"""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from catalog.models import CourseEnrollment, CourseOffering
from catalog.models import EnrollmentStatus as Status
from catalog.selectors.enrollments import waitlist_position
from catalog.selectors.roster import (
    offering_for_roster,
    roster_summary,
)
from catalog.services import roster


@dataclass(frozen=True)
class Decision:
    name: str
    label: str  # in the action menus
    verb: str  # on the confirmation button
    applies_to: tuple[str, ...]  # the statuses it changes; others are left alone
    explanation: str
    done: Any  # message, plural-aware with %(count)d (ngettext_lazy keyed on "count")
    run: Callable[..., roster.RosterChange]


DECISIONS = {
    d.name: d
    for d in (
        Decision(
            "approve",
            gettext_lazy("Approve selected pending requests"),
            gettext_lazy("Approve"),
            (Status.PENDING,),
            gettext_lazy(
                "Approved students get a seat while seats last, in the order they asked; the "
                "rest join the end of the waitlist."
            ),
            ngettext_lazy(
                "%(count)d approved with a seat", "%(count)d approved with a seat", "count"
            ),
            roster.roster_approve,
        ),
        Decision(
            "reject",
            gettext_lazy("Reject selected pending requests"),
            gettext_lazy("Reject"),
            (Status.PENDING,),
            gettext_lazy("Rejected requests are dropped; the students may ask again."),
            ngettext_lazy("%(count)d rejected", "%(count)d rejected", "count"),
            roster.roster_reject,
        ),
        Decision(
            "promote",
            gettext_lazy("Promote selected students from the waitlist"),
            gettext_lazy("Promote"),
            (Status.WAITLISTED,),
            gettext_lazy(
                "Selected waitlisted students get a seat, earliest on the waitlist first, while "
                "seats last. Tick the box below to give all of them a seat past the capacity."
            ),
            ngettext_lazy("%(count)d promoted", "%(count)d promoted", "count"),
            roster.roster_promote,
        ),
        Decision(
            "drop",
            gettext_lazy("Drop selected students"),
            gettext_lazy("Drop"),
            (Status.ACTIVE, Status.WAITLISTED, Status.PENDING),
            gettext_lazy(
                "Dropped students leave the offering; each seat they free goes to the first "
                "student on the waitlist."
            ),
            ngettext_lazy("%(count)d dropped", "%(count)d dropped", "count"),
            roster.roster_drop,
        ),
        Decision(
            "complete",
            gettext_lazy("Mark selected students completed"),
            gettext_lazy("Mark completed"),
            (Status.ACTIVE,),
            gettext_lazy(
                "Completed enrollments stay on the students' records and hold no seat: freed "
                "seats go to the waitlist."
            ),
            ngettext_lazy("%(count)d marked completed", "%(count)d marked completed", "count"),
            roster.roster_complete,
        ),
        Decision(
            "resend_invitation",
            gettext_lazy("Send the account invitation again"),
            gettext_lazy("Send"),
            (Status.ACTIVE, Status.WAITLISTED, Status.PENDING, Status.COMPLETED),
            gettext_lazy(
                "Students whose account was created from a roster and who never signed in get a "
                "new link to choose their password."
            ),
            ngettext_lazy("%(count)d invitation sent", "%(count)d invitations sent", "count"),
            roster.roster_invitations_resend,
        ),
    )
}


def _decide(
    request: HttpRequest, decision: Decision, offering: CourseOffering, ids: list[int]
) -> None:
    extra: dict[str, Any] = {}
    if decision.name == "promote":
        extra["over_capacity"] = request.POST.get("over_capacity") == "on"
    try:
        change = decision.run(actor=request.user, offering=offering, enrollment_ids=ids, **extra)
    except (PermissionDenied, ValidationError) as error:
        text = error.messages[0] if isinstance(error, ValidationError) else str(error)
        messages.error(request, f"{offering}: {text}")
        return
    text = roster.roster_change_summary(change, decision.done)
    level = messages.SUCCESS if change.changed else messages.WARNING
    messages.add_message(request, level, f"{offering}: {text}")


def _confirmation(
    request: HttpRequest,
    model_admin: admin.ModelAdmin,
    decision: Decision,
    rows: list[CourseEnrollment],
    offerings: list[CourseOffering],
    hidden: dict[str, Any],
    back: str,
) -> TemplateResponse:
    eligible = [row for row in rows if row.status in decision.applies_to]
    summaries = [(offering, roster_summary(offering=offering)) for offering in offerings]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Are you sure?"),
        "offering": offerings[0] if len(offerings) == 1 else None,
        "decision": decision,
        "rows": rows,
        "eligible": len(eligible),
        "left_alone": len(rows) - len(eligible),
        "summaries": summaries,
        "back": back,
        "hidden": [
            (name, item)
            for name, value in hidden.items()
            for item in (value if isinstance(value, list) else [value])
        ],
    }
    return TemplateResponse(request, "admin/catalog/roster/confirm.html", context)


def _changelist_action(decision: Decision) -> Callable:
    def action(model_admin, request: HttpRequest, queryset) -> HttpResponse | None:
        rows = list(
            queryset.select_related(
                "user", "course_offering__course", "course_offering__university"
            )
            .annotate(waitlist_position=waitlist_position())
            .order_by("course_offering_id", "enrolled_at", "pk")
        )
        if request.POST.get("confirm") != "yes":
            offerings = list({row.course_offering_id: row.course_offering for row in rows}.values())
            hidden = {
                "action": decision.name,
                admin.helpers.ACTION_CHECKBOX_NAME: [row.pk for row in rows],
            }
            back = request.get_full_path()
            return _confirmation(request, model_admin, decision, rows, offerings, hidden, back)
        for offering_id, group in groupby(rows, key=lambda row: row.course_offering_id):
            group = list(group)
            try:
                offering = offering_for_roster(user=request.user, offering_id=offering_id)
            except Http404:
                messages.error(
                    request,
                    _("%(offering)s: only an admin of the course's department may do this.")
                    % {"offering": group[0].course_offering},
                )
                continue
            _decide(request, decision, offering, [row.pk for row in group])
        return None

    action.__name__ = f"roster_{decision.name}"
    action.short_description = decision.label
    action.allowed_permissions = ("change",)
    return action


class EnrollmentActionsMixin:
    """Adds the roster decisions, each with a confirmation page, to the enrollment admin."""

    def get_actions(self, request: HttpRequest, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if action_location != ActionLocation.CHANGE_LIST or IS_POPUP_VAR in request.GET:
            return actions
        if not self.has_change_permission(request):
            return actions
        for decision in DECISIONS.values():
            action = self.get_action(_changelist_action(decision), action_location)
            actions[action.name] = action
        return actions
