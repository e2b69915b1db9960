"""Grading policies, course grades with the gradebook of each offering, and certificates.

Grades are computed (assessments.grades.services), so staff read them here and ask for a recompute;
they change a grade by changing the policy or the scores it comes from. The gradebook is a
custom admin page per offering, scoped like everything else: an offering outside the staff
member's tenants is a 404.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.grades.certificates import certificate_revoke, certificate_status
from assessments.grades.models import Certificate, CourseGrade, GradingPolicy
from assessments.grades.selectors import (
    CATEGORY_LABELS,
    gradebook_csv,
    gradebook_items,
    gradebook_rows,
    gradebook_size,
    may_finalize_grades,
)
from assessments.grades.services import CATEGORIES
from assessments.triggers import grades_finalize_soon, offering_grades_rollup_soon
from catalog.models import CourseOffering
from catalog.scoping import paths_via_offering
from catalog.services.offerings import offering_grades_finalize
from lms import links
from tenancy.scoping import TenantScopedAdmin, scoped

OFFERING_PATHS = {
    "university": "university",
    "department": "course__department",
    "course": "course",
    "offering": "pk",
}
GRADEBOOK_PAGE_SIZE = 50


def offering_for_staff(request: HttpRequest, offering_id: int) -> CourseOffering:
    """The offering if the member of staff may see it; 404 alike for missing and not theirs."""
    offerings = scoped(
        CourseOffering.objects.select_related("course", "university"),
        request.user,
        OFFERING_PATHS,
    )
    return get_object_or_404(offerings, pk=offering_id)


def gradebook_link(offering_id: int) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:assessments_coursegrade_gradebook", args=[offering_id]),
        _("Gradebook"),
    )


def _enqueue_rollups(offering_ids) -> None:
    for offering_id in sorted(set(offering_ids)):
        offering_grades_rollup_soon(offering_id=offering_id)


@admin.action(description=_("Recalculate the grades of these offerings"))
def recompute_grades(modeladmin, request: HttpRequest, queryset) -> None:
    ids = set(queryset.values_list("course_offering_id", flat=True))
    _enqueue_rollups(ids)
    message = _("Recalculating the grades of %(n)d offerings.") % {"n": len(ids)}
    modeladmin.message_user(request, message)


@admin.action(description=_("Finalise the grades of these offerings"))
def finalize_grades(modeladmin, request: HttpRequest, queryset) -> None:
    """For the offerings the member of staff instructs or administers; others are skipped and
    said so."""
    offerings = CourseOffering.objects.filter(
        pk__in=queryset.values("course_offering_id")
    ).select_related("course")
    finalised, refused = [], []
    for offering in offerings.order_by("pk"):
        if not may_finalize_grades(user=request.user, offering=offering):
            refused.append(str(offering))
            continue
        _finalize(offering)
        finalised.append(offering)
    if finalised:
        modeladmin.message_user(
            request,
            _("Finalising the grades of %(n)d offerings.") % {"n": len(finalised)},
        )
    if refused:
        modeladmin.message_user(
            request,
            _("Only the instructors and admins of an offering finalise it: %(offerings)s.")
            % {"offerings": ", ".join(refused)},
            level=messages.WARNING,
        )


def _finalize(offering: CourseOffering) -> None:
    """Final at once (pages say so); the rollup, completions and certificates follow in the
    task, which finalises again harmlessly."""
    with transaction.atomic():
        offering_grades_finalize(offering_id=offering.pk)
        grades_finalize_soon(offering_id=offering.pk)


class GradingPolicyForm(forms.ModelForm):
    letter_scheme = forms.JSONField(
        help_text=_(
            'Highest first, the last at 0: [{"letter": "A", "min": 90}, ..., '
            '{"letter": "F", "min": 0}]'
        ),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
    )

    class Meta:
        model = GradingPolicy
        fields = (
            "course_offering",
            "pass_threshold",
            "letter_scheme",
            "weight_quizzes",
            "weight_labs",
            "weight_assignments",
            "quiz_attempt_rule",
            "drop_lowest_quizzes",
            "drop_lowest_labs",
            "drop_lowest_assignments",
        )


@admin.register(GradingPolicy)
class GradingPolicyAdmin(TenantScopedAdmin):
    form = GradingPolicyForm
    tenant_paths = paths_via_offering("course_offering")
    list_display = (
        "course_offering",
        "weight_quizzes",
        "weight_labs",
        "weight_assignments",
        "pass_threshold",
        "quiz_attempt_rule",
        "gradebook",
    )
    list_select_related = ("course_offering__course",)
    list_filter = ("course_offering__university",)
    search_fields = ("course_offering__course__code", "course_offering__course__title")
    fieldsets = (
        (None, {"fields": ("course_offering", "pass_threshold", "letter_scheme")}),
        (
            _("Weights (percent of the total, adding up to 100)"),
            {"fields": ("weight_quizzes", "weight_labs", "weight_assignments")},
        ),
        (
            _("What counts"),
            {
                "fields": (
                    "quiz_attempt_rule",
                    "drop_lowest_quizzes",
                    "drop_lowest_labs",
                    "drop_lowest_assignments",
                )
            },
        ),
    )
    actions = (recompute_grades,)

    @admin.display(description=_("Gradebook"))
    def gradebook(self, obj: GradingPolicy) -> str:
        return gradebook_link(obj.course_offering_id)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        _enqueue_rollups([obj.course_offering_id])
        messages.info(request, _("The offering's grades are being recomputed with this policy."))


@admin.register(CourseGrade)
class CourseGradeAdmin(TenantScopedAdmin):
    tenant_paths = paths_via_offering("course_offering")
    person_field = "user"
    list_display = (
        "user",
        "course_offering",
        "current_score",
        "final_score",
        "letter_grade",
        "passed",
        "is_final",
        "graded_at",
        "gradebook",
    )
    list_select_related = ("user", "course_offering__course")
    list_filter = ("passed", "is_final", "letter_grade", "course_offering__university")
    search_fields = ("user__email", "user__full_name", "course_offering__course__code")
    readonly_fields = (
        "user",
        "course_offering",
        "current_score",
        "final_score",
        "letter_grade",
        "passed",
        "is_final",
        "finalized_at",
        "graded_at",
    )
    actions = (recompute_grades, finalize_grades)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # computed: change the policy or the scores instead

    @admin.display(description=_("Gradebook"))
    def gradebook(self, obj: CourseGrade) -> str:
        return gradebook_link(obj.course_offering_id)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("gradebooks/", wrap(self.gradebooks_view), name="assessments_gradebooks"),
            path(
                "gradebook/<int:offering_id>/",
                wrap(self.gradebook_view),
                name="assessments_coursegrade_gradebook",
            ),
            path(
                "gradebook/<int:offering_id>/csv/",
                wrap(self.gradebook_csv_view),
                name="assessments_coursegrade_gradebook_csv",
            ),
            path(
                "gradebook/<int:offering_id>/recalculate/",
                wrap(self.gradebook_recalculate_view),
                name="assessments_coursegrade_gradebook_recalculate",
            ),
            path(
                "gradebook/<int:offering_id>/finalize/",
                wrap(self.gradebook_finalize_view),
                name="assessments_coursegrade_gradebook_finalize",
            ),
            *super().get_urls(),
        ]

    def _check_view(self, request: HttpRequest) -> None:
        if not self.has_view_permission(request):
            raise PermissionDenied

    def gradebooks_view(self, request: HttpRequest) -> HttpResponse:
        """The offerings whose gradebook the member of staff may open."""
        self._check_view(request)
        offerings = scoped(
            CourseOffering.objects.select_related("course", "university"),
            request.user,
            OFFERING_PATHS,
        ).order_by("course__code", "-starts_at", "pk")
        page = Paginator(offerings, 100).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Gradebooks"),
            "page": page,
        }
        return TemplateResponse(request, "admin/assessments/gradebooks.html", context)

    def gradebook_view(self, request: HttpRequest, offering_id: int) -> HttpResponse:
        self._check_view(request)
        offering = offering_for_staff(request, offering_id)
        total = gradebook_size(offering_id=offering.pk)
        paginator = Paginator(range(total), GRADEBOOK_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Gradebook: %(offering)s") % {"offering": offering},
            "offering": offering,
            "items": gradebook_items(offering_id=offering.pk),
            "rows": gradebook_rows(
                offering_id=offering.pk, page=page.number, per_page=GRADEBOOK_PAGE_SIZE
            ),
            "categories": [(c, CATEGORY_LABELS[c]) for c in CATEGORIES],
            "page": page,
            "learners": total,
            "csv_url": reverse("admin:assessments_coursegrade_gradebook_csv", args=[offering.pk]),
            "recalculate_url": reverse(
                "admin:assessments_coursegrade_gradebook_recalculate", args=[offering.pk]
            ),
            "finalize_url": reverse(
                "admin:assessments_coursegrade_gradebook_finalize", args=[offering.pk]
            ),
            "finalized_at": offering.grades_finalized_at,
            "may_finalize": may_finalize_grades(user=request.user, offering=offering),
        }
        return TemplateResponse(request, "admin/assessments/gradebook.html", context)

    def gradebook_recalculate_view(self, request: HttpRequest, offering_id: int) -> HttpResponse:
        """Recompute the stored grades of the offering, for staff who may open its gradebook."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._check_view(request)
        offering = offering_for_staff(request, offering_id)
        _enqueue_rollups([offering.pk])
        messages.info(request, _("The offering's grades are being recalculated."))
        return HttpResponseRedirect(
            reverse("admin:assessments_coursegrade_gradebook", args=[offering.pk])
        )

    def gradebook_finalize_view(self, request: HttpRequest, offering_id: int) -> HttpResponse:
        """Make the offering's grades final, for its instructors and the admins over it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._check_view(request)
        offering = offering_for_staff(request, offering_id)
        if not may_finalize_grades(user=request.user, offering=offering):
            raise PermissionDenied
        _finalize(offering)
        messages.info(
            request,
            _(
                "The offering's grades are being finalised: passing learners complete the "
                "course and get their certificate."
            ),
        )
        return HttpResponseRedirect(
            reverse("admin:assessments_coursegrade_gradebook", args=[offering.pk])
        )

    def gradebook_csv_view(self, request: HttpRequest, offering_id: int) -> HttpResponse:
        self._check_view(request)
        offering = offering_for_staff(request, offering_id)
        name = slugify(f"{offering.course.code}-{offering.term_name or offering.pk}")
        response = StreamingHttpResponse(
            gradebook_csv(offering_id=offering.pk), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="gradebook-{name}.csv"'
        return response


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        help_text=_("Shown to staff; the public page only says the certificate was revoked."),
    )


@admin.register(Certificate)
class CertificateAdmin(TenantScopedAdmin):
    tenant_paths = paths_via_offering("course_offering")
    person_field = "user"
    list_display = ("certificate_code", "user", "course_offering", "issued_at", "status")
    list_select_related = ("user", "course_offering__course")
    list_filter = ("course_offering__university",)
    search_fields = ("certificate_code", "user__email", "user__full_name")
    date_hierarchy = "issued_at"
    readonly_fields = (
        "user",
        "course_offering",
        "certificate_code",
        "issued_at",
        "expires_at",
        "metadata_json",
        "pdf_path",
        "emailed_at",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "verification",
    )
    fields = readonly_fields
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # revoke instead: the record stays verifiable

    @admin.display(description=_("Status"))
    def status(self, obj: Certificate) -> str:
        return certificate_status(obj)

    @admin.display(description=_("Verification page"))
    def verification(self, obj: Certificate) -> str:
        url = links.page_path("certificate-verification", code=obj.certificate_code)
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.action(description=_("Revoke the selected certificates"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset):
        queryset = queryset.filter(revoked_at__isnull=True)
        form = RevokeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            revoked = 0
            for certificate_id in queryset.values_list("pk", flat=True):
                try:
                    certificate_revoke(
                        certificate_id=certificate_id,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError:
                    continue  # revoked meanwhile by someone else
                revoked += 1
            self.message_user(
                request,
                ngettext("Revoked %(n)d certificate.", "Revoked %(n)d certificates.", revoked)
                % {"n": revoked},
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Revoke certificates"),
            "form": form,
            "certificates": queryset.select_related("user", "course_offering__course"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/assessments/certificate_revoke.html", context)
