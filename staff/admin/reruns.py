"""A new offering from an existing one, for the staff who may create offerings: a button on
the offering's page and an action on the list, both opening one form that asks for the new
start date (and term name).

The new run keeps the grading policy, which lives in assessments above catalog, so the
offering admin is registered by this module, extending catalog's (catalog cannot import
assessments).
An offering outside the user's tenants is a 404, as on every other offering page.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.admin.forms import add_service_errors
from assessments.copying import offering_rerun_with_grading
from catalog.admin.offerings import CourseOfferingAdmin
from catalog.models import CourseOffering


class RerunForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=gettext_lazy("New start"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy(
            "The end and enrollment dates move by as much as the start does. Your time zone."
        ),
    )
    term_name = forms.CharField(
        label=gettext_lazy("Term name"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Empty: the same term name."),
    )


class RerunningOfferingAdmin(CourseOfferingAdmin):
    actions = [*(CourseOfferingAdmin.actions or []), "rerun_offering"]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:offering_id>/rerun/",
                wrap(self.rerun_view),
                name="catalog_courseoffering_rerun",
            ),
            *super().get_urls(),
        ]

    @admin.action(
        description=gettext_lazy("New offering from this one (next term)"),
        permissions=["add"],
    )
    def rerun_offering(self, request: HttpRequest, queryset: QuerySet[CourseOffering]):
        chosen = list(queryset.values_list("pk", flat=True)[:2])
        if len(chosen) != 1:
            self.message_user(
                request, _("Pick exactly one offering to run again."), messages.WARNING
            )
            return None
        return HttpResponseRedirect(reverse("admin:catalog_courseoffering_rerun", args=chosen))

    def rerun_view(self, request: HttpRequest, offering_id: int) -> HttpResponse:
        offering = self.get_object(request, str(offering_id))
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {"starts_at": offering.starts_at, "term_name": offering.term_name}
        form = RerunForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                rerun = offering_rerun_with_grading(
                    offering=offering,
                    starts_at=form.cleaned_data["starts_at"],
                    term_name=form.cleaned_data["term_name"] or None,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(
                    request,
                    _("Created %(offering)s; its staff and grading policy are in place.")
                    % {"offering": rerun},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:catalog_courseoffering_change", args=[rerun.pk])
                )
        return TemplateResponse(
            request,
            "admin/catalog/courseoffering/rerun.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Run %(offering)s again") % {"offering": offering},
                "offering": offering,
                "form": form,
            },
        )


admin.site.register(CourseOffering, RerunningOfferingAdmin)
