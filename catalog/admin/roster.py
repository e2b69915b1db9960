"""The roster of an offering in the admin, for the admins over it: counts, seats and the waitlist,
decisions with a confirmation page, CSV enrollment with a preview, the export, the teaching
staff, and the roles of people at a university (for its admins).

`RosterAdminMixin` adds the pages to the offering's ModelAdmin; `EnrollmentActionsMixin` adds
the same decisions as actions of the enrollment changelist. Every page looks the offering up
through catalog.selectors.roster.offering_for_roster, so staff of another department or
university get a 404, and every write goes through catalog.services (roster, roster_csv, roles).
"""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, ActionLocation
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from catalog.models import CourseEnrollment, CourseOffering
from catalog.models import EnrollmentStatus as Status
from catalog.selectors.enrollments import waitlist_position
from catalog.selectors.roster import (
    offering_for_roster,
    offering_staff,
    offering_staff_member,
    pending_invitations,
    roster_entries,
    roster_export_rows,
    roster_page,
    roster_summary,
    staff_candidates,
    university_for_role_admin,
    university_member,
    university_role_for_admin,
    university_roles,
    with_waitlist_places,
)
from catalog.services import roles, roster, roster_csv
from lms.input import parse_ids, safe_next
from tenancy.access import can_administer_university
from tenancy.models import Department, Role, University, User

CSV_SALT = "catalog.roster.csv"
CSV_PREVIEW_MAX_AGE = 60 * 60  # seconds a preview may be confirmed


# Decisions ----------------------------------------------------------------------------------


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


# Forms ----------------------------------------------------------------------------------------


class RosterCsvForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "One student per row: an email address, optionally a name in the next column. A "
            "header row (“email”, “name”) is optional. At most %(rows)d rows. People who hold "
            "no role at this university are emailed an invitation to join."
        )
        % {"rows": roster_csv.MAX_ROWS},
    )

    def clean_file(self) -> list[roster_csv.CsvRow]:
        upload = self.cleaned_data["file"]
        if upload.size > roster_csv.MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d KB; split it into smaller files.")
                % {"size": roster_csv.MAX_UPLOAD_BYTES // 1024}
            )
        try:
            return roster_csv.roster_csv_parse(upload.read())
        except roster_csv.RosterCsvError as error:
            raise ValidationError(error.messages[0]) from error


class StaffAddForm(forms.Form):
    user = forms.ModelChoiceField(
        label=gettext_lazy("Instructor or teaching assistant"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": gettext_lazy("Choose a person from the list.")},
    )

    def __init__(self, *args, offering: CourseOffering, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_candidates(offering=offering)
        self.fields["user"].label_from_instance = lambda user: f"{user.full_name} <{user.email}>"


class RoleGrantForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email of the person"))
    role = forms.ChoiceField(label=gettext_lazy("Role"))
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=gettext_lazy("Only for department admins."),
    )

    def __init__(self, *args, university: University, actor: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(university=university)
        self.fields["role"].choices = [
            (value, label)
            for value, label in Role.choices
            if value != Role.PLATFORM_ADMIN or actor.is_platform_admin
        ]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("role") == Role.DEPARTMENT_ADMIN and not data.get("department"):
            self.add_error("department", _("A department admin needs a department."))
        return data


# Pages --------------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _stream(rows: Iterator[tuple[str, ...]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # spreadsheet programs then read the file as UTF-8
    for row in rows:
        yield writer.writerow(row)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    return safe_next(request, request.POST.get("next"), fallback)


class RosterAdminMixin:
    """The roster pages of an offering, for its ModelAdmin: add this class before the admin's
    base class. Adds a "roster" column to the changelist; the change form links to the pages
    through its template (admin/catalog/courseoffering/change_form.html)."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("<int:offering_id>/roster/", wrap(self.roster_view), name=f"{name}_roster"),
            path(
                "<int:offering_id>/roster/enroll/",
                wrap(self.roster_enroll_view),
                name=f"{name}_roster_enroll",
            ),
            path(
                "<int:offering_id>/roster/export/",
                wrap(self.roster_export_view),
                name=f"{name}_roster_export",
            ),
            path("<int:offering_id>/staff/", wrap(self.staff_view), name=f"{name}_staff"),
            path("roles/<int:university_id>/", wrap(self.roles_view), name=f"{name}_roles"),
            *super().get_urls(),
        ]

    def get_list_display(self, request: HttpRequest):
        return (*super().get_list_display(request), "roster_link")

    @admin.display(description=gettext_lazy("roster"))
    def roster_link(self, offering: CourseOffering) -> str:
        url = reverse("admin:catalog_courseoffering_roster", args=[offering.pk])
        return format_html('<a href="{}">{}</a>', url, _("Roster"))

    def _context(self, request: HttpRequest, offering: CourseOffering | None, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "offering": offering,
            "original": offering,
            "manages_roles": offering is not None
            and can_administer_university(request.user, offering.university_id),
        }

    # The roster ---------------------------------------------------------------------------

    def roster_view(self, request: HttpRequest, offering_id: int) -> HttpResponse:
        offering = offering_for_roster(user=request.user, offering_id=offering_id)
        here = reverse("admin:catalog_courseoffering_roster", args=[offering.pk])
        if request.method == "POST":
            decision = DECISIONS.get(request.POST.get("decision", ""))
            ids = parse_ids(request.POST.getlist("ids"))
            back = _safe_next(request, here)
            if decision is None or not ids:
                messages.warning(request, _("Select students and an action first."))
                return HttpResponseRedirect(back)
            if request.POST.get("confirm") != "yes":
                rows = with_waitlist_places(
                    roster_entries(offering=offering).filter(pk__in=ids), offering=offering
                )
                hidden = {"decision": decision.name, "ids": ids, "next": back}
                return _confirmation(request, self, decision, rows, [offering], hidden, back)
            _decide(request, decision, offering, ids)
            return HttpResponseRedirect(back)

        status = request.GET.get("status", "")
        if status not in Status.values:
            status = ""
        search = request.GET.get("q", "")
        page = roster_page(
            offering=offering, status=status, search=search, number=request.GET.get("page")
        )
        summary = roster_summary(offering=offering)
        context = {
            **self._context(
                request, offering, _("Roster of %(offering)s") % {"offering": offering}
            ),
            "summary": summary,
            "status_links": [
                (value, label, summary.counts[value]) for value, label in Status.choices
            ],
            "status": status,
            "search": search,
            "page": page,
            "invitations": pending_invitations(university=offering.university, offering=offering),
            "decisions": DECISIONS.values(),
            "here": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/catalog/roster/roster.html", context)

    def roster_export_view(self, request: HttpRequest, offering_id: int) -> HttpResponse:
        offering = offering_for_roster(user=request.user, offering_id=offering_id)
        name = slugify(f"roster {offering.course.code} {offering.term_name or offering.pk}")
        response = StreamingHttpResponse(
            _stream(roster_export_rows(offering=offering)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    # CSV enrollment -----------------------------------------------------------------------

    def roster_enroll_view(self, request: HttpRequest, offering_id: int) -> HttpResponse:
        offering = offering_for_roster(user=request.user, offering_id=offering_id)
        roster_url = reverse("admin:catalog_courseoffering_roster", args=[offering.pk])
        context = self._context(
            request, offering, _("Enroll students in %(offering)s") % {"offering": offering}
        )
        if request.method == "POST" and "payload" in request.POST:
            return self._roster_enroll_confirm(request, offering, context, roster_url)
        form = RosterCsvForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            rows = form.cleaned_data["file"]
            plan = roster_csv.roster_csv_plan(offering=offering, rows=rows)
            return self._preview(request, offering, context, plan, rows, form)
        context["form"] = form
        return TemplateResponse(request, "admin/catalog/roster/enroll.html", context)

    def _preview(self, request, offering, context, plan, rows, form) -> TemplateResponse:
        payload = signing.dumps(
            {
                "offering": offering.pk,
                "rows": [[row.line, row.email, row.name] for row in rows],
            },
            salt=CSV_SALT,
            compress=True,
        )
        context.update(
            {
                "plan": plan,
                "payload": payload if plan.is_valid else "",
                "form": RosterCsvForm() if form else None,
                "counts": {action.value: plan.count(action) for action in roster_csv.RowAction},
            }
        )
        return TemplateResponse(request, "admin/catalog/roster/preview.html", context)

    def _roster_enroll_confirm(self, request, offering, context, roster_url) -> HttpResponse:
        enroll_url = reverse("admin:catalog_courseoffering_roster_enroll", args=[offering.pk])
        try:
            data = signing.loads(
                request.POST["payload"], salt=CSV_SALT, max_age=CSV_PREVIEW_MAX_AGE
            )
        except signing.BadSignature:
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect(enroll_url)
        if data["offering"] != offering.pk:
            messages.error(request, _("The preview was for another offering; upload again."))
            return redirect(enroll_url)
        rows = [
            roster_csv.CsvRow(line=line, email=email, name=name)
            for line, email, name in data["rows"]
        ]
        try:
            plan = roster_csv.roster_csv_enroll(actor=request.user, offering=offering, rows=rows)
        except roster_csv.RosterCsvInvalid as invalid:
            messages.error(
                request,
                _("The roster changed since the preview; these rows cannot be enrolled now."),
            )
            return self._preview(request, offering, context, invalid.plan, rows, True)
        except IntegrityError:
            messages.error(
                request,
                _(
                    "Someone changed these accounts at the same moment; nothing was enrolled. "
                    "Try again."
                ),
            )
            return redirect(enroll_url)
        counts = {action: plan.count(action) for action in roster_csv.RowAction}
        messages.success(
            request,
            _(
                "%(enrolled)d enrolled, %(waitlisted)d waitlisted, %(already)d already in the "
                "offering, %(invited)d invited (each address was emailed an invitation to "
                "accept)."
            )
            % {
                "enrolled": counts[roster_csv.RowAction.ENROLL],
                "waitlisted": counts[roster_csv.RowAction.WAITLIST],
                "already": counts[roster_csv.RowAction.ALREADY],
                "invited": counts[roster_csv.RowAction.INVITE],
            },
        )
        return redirect(roster_url)

    # Teaching staff -----------------------------------------------------------------------

    def staff_view(self, request: HttpRequest, offering_id: int) -> HttpResponse:
        offering = offering_for_roster(user=request.user, offering_id=offering_id)
        here = reverse("admin:catalog_courseoffering_staff", args=[offering.pk])
        form = StaffAddForm(request.POST if "add" in request.POST else None, offering=offering)
        if request.method == "POST":
            try:
                if "remove" in request.POST:
                    person = offering_staff_member(
                        offering=offering, user_id=request.POST.get("remove", "")
                    )
                    if person is None:
                        raise ValidationError(_("Choose a person from the list."))
                    roster.offering_staff_remove(actor=request.user, offering=offering, user=person)
                    messages.success(request, _("%(user)s removed.") % {"user": person.email})
                    return redirect(here)
                if form.is_valid():
                    person = form.cleaned_data["user"]
                    roster.offering_staff_add(actor=request.user, offering=offering, user=person)
                    messages.success(request, _("%(user)s added.") % {"user": person.email})
                    return redirect(here)
            except ValidationError as error:
                messages.error(request, error.messages[0])
                return redirect(here)
        context = {
            **self._context(request, offering, _("Staff of %(offering)s") % {"offering": offering}),
            "staff": offering_staff(offering=offering),
            "form": form,
            "show_form": form.is_bound or form.fields["user"].queryset.exists(),
        }
        return TemplateResponse(request, "admin/catalog/roster/staff.html", context)

    # Roles within a university ------------------------------------------------------------

    def roles_view(self, request: HttpRequest, university_id: int) -> HttpResponse:
        university = university_for_role_admin(user=request.user, university_id=university_id)
        here = reverse("admin:catalog_courseoffering_roles", args=[university.pk])
        form = RoleGrantForm(
            request.POST if "grant" in request.POST else None,
            university=university,
            actor=request.user,
        )
        if request.method == "POST":
            try:
                if "revoke" in request.POST:
                    row = university_role_for_admin(
                        university=university, value=request.POST.get("revoke", "")
                    )
                    if row is None:
                        raise ValidationError(_("Choose a role from the list."))
                    roles.university_role_revoke(
                        actor=request.user, university=university, user=row.user, role=row.role
                    )
                    messages.success(
                        request,
                        _("%(role)s role of %(user)s revoked.")
                        % {"role": row.get_role_display(), "user": row.user.email},
                    )
                    return redirect(here)
                if form.is_valid():
                    email, role = form.cleaned_data["email"], form.cleaned_data["role"]
                    person = university_member(university=university, email=email)
                    if person is None:
                        roles.university_role_invite(
                            actor=request.user,
                            university=university,
                            email=email,
                            role=role,
                            department=form.cleaned_data["department"],
                        )
                        messages.success(
                            request,
                            _(
                                "An invitation was emailed to %(email)s; they become %(role)s "
                                "once they accept it."
                            )
                            % {"role": Role(role).label.lower(), "email": email},
                        )
                        return redirect(here)
                    roles.university_role_grant(
                        actor=request.user,
                        university=university,
                        user=person,
                        role=role,
                        department=form.cleaned_data["department"],
                    )
                    messages.success(
                        request,
                        _("%(user)s is now %(role)s.")
                        % {"role": Role(role).label.lower(), "user": person.email},
                    )
                    return redirect(here)
            except (ValidationError, PermissionDenied) as error:
                text = error.messages[0] if isinstance(error, ValidationError) else str(error)
                messages.error(request, text or _("This change is not allowed."))
                return redirect(here)
        search = request.GET.get("q", "")
        context = {
            **self._context(
                request, None, _("Roles at %(university)s") % {"university": university}
            ),
            "university": university,
            "roles": university_roles(university=university, search=search),
            "invitations": pending_invitations(university=university),
            "search": search,
            "form": form,
        }
        return TemplateResponse(request, "admin/catalog/roster/roles.html", context)
