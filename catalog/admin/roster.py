"""The roster of an offering in the admin, for the admins over it: counts, seats and the waitlist,
decisions with a confirmation page (catalog.admin.roster_actions), CSV enrollment with a preview,
the export, the teaching staff, and the roles of people at a university (for its admins).

`RosterAdminMixin` adds the pages to the offering's ModelAdmin; `EnrollmentActionsMixin` adds
the same decisions as actions of the enrollment changelist. Every page looks the offering up
through catalog.selectors.roster.offering_for_roster, so staff of another department or
university get a 404, and every write goes through catalog.services (roster, roster_csv, roles).
"""

import csv
from collections.abc import Iterator

from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import (
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
from django.utils.translation import gettext_lazy

from catalog.admin.roster_actions import DECISIONS, _confirmation, _decide
from catalog.admin.roster_forms import RoleGrantForm, RosterCsvForm, StaffAddForm
from catalog.models import CourseOffering
from catalog.models import EnrollmentStatus as Status
from catalog.selectors.roster import (
    offering_for_roster,
    offering_staff,
    offering_staff_member,
    pending_invitations,
    roster_entries,
    roster_export_rows,
    roster_page,
    roster_summary,
    university_for_role_admin,
    university_member,
    university_role_for_admin,
    university_roles,
    with_waitlist_places,
)
from catalog.services import roles, roster, roster_csv
from lms.input import parse_ids, safe_next
from tenancy.access import can_administer_university
from tenancy.models import Role

CSV_SALT = "catalog.roster.csv"


CSV_PREVIEW_MAX_AGE = 60 * 60  # seconds a preview may be confirmed


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
