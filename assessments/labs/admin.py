"""Lab submissions and lab files in the admin, scoped to the offerings and courses a member of
staff may grade.

Instructors read a submission's per-test results, write feedback and override its score (the
override wins over the automatic score and records who set it and when), and re-run the
autograder on selected submissions. Lab files hold the content of the starter files and hidden
tests a lab's payload lists.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.labs.models import LabFile, LabSubmission
from assessments.labs.selectors import LAB_FILE_TENANT_PATHS, SUBMISSION_TENANT_PATHS
from assessments.labs.services import lab_submission_review, lab_submissions_regrade
from lms.media import stored_file_response
from tenancy.auth import ALL, register_role_permissions
from tenancy.models import Role
from tenancy.scoping import TenantScopedAdmin

register_role_permissions(
    "assessments",
    "labfile",
    {
        role: ALL
        for role in (Role.UNIVERSITY_ADMIN, Role.DEPARTMENT_ADMIN, Role.INSTRUCTOR, Role.TA)
    },
)


class OverriddenFilter(admin.SimpleListFilter):
    title = _("score override")
    parameter_name = "overridden"

    def lookups(self, request, model_admin):
        return [("1", _("Overridden")), ("0", _("Automatic"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(score_override__isnull=self.value() == "0")
        return queryset


class LabSubmissionReviewForm(forms.ModelForm):
    class Meta:
        model = LabSubmission
        fields = ("instructor_feedback", "score_override")
        widgets = {"instructor_feedback": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "score_override": _(
                "Replaces the automatic score while set; leave empty to use the automatic score."
            )
        }

    def clean_score_override(self):
        value = self.cleaned_data.get("score_override")
        maximum = self.instance.max_score
        if value is not None and (value < 0 or (maximum is not None and value > maximum)):
            raise ValidationError(_("Give a score from 0 to %(max)s.") % {"max": maximum})
        return value


@admin.register(LabSubmission)
class LabSubmissionAdmin(TenantScopedAdmin):
    tenant_paths = SUBMISSION_TENANT_PATHS
    person_field = "user"
    # lab_submissions also holds assignment submissions; each admin lists its own kind.
    item_type = "engineering_lab"
    form = LabSubmissionReviewForm
    list_display = (
        "pk",
        "student",
        "lab",
        "course_offering",
        "status",
        "score_obtained",
        "max_score",
        "overridden",
        "submitted_at",
    )
    list_filter = ("status", "course_offering", OverriddenFilter, "submitted_at")
    list_select_related = ("user", "content_item", "course_offering__course")
    search_fields = ("user__email", "user__full_name", "content_item__title")
    date_hierarchy = "submitted_at"
    ordering = ("-submitted_at", "-pk")
    actions = ("regrade",)
    readonly_fields = (
        "student",
        "lab",
        "course_offering",
        "status",
        "submitted_at",
        "graded_at",
        "test_results",
        "auto_score",
        "score_obtained",
        "max_score",
        "score_overridden_by",
        "score_overridden_at",
        "feedback_by",
        "feedback_at",
        "submitted_files",
    )
    fieldsets = (
        (None, {"fields": ("student", "lab", "course_offering", "status", "submitted_at")}),
        (
            _("Automatic grading"),
            {"fields": ("graded_at", "test_results", "auto_score", "max_score", "submitted_files")},
        ),
        (
            _("Review"),
            {
                "fields": (
                    "instructor_feedback",
                    "feedback_by",
                    "feedback_at",
                    "score_override",
                    "score_overridden_by",
                    "score_overridden_at",
                    "score_obtained",
                )
            },
        ),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def _files_route(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_files"

    def get_urls(self):
        view = self.admin_site.admin_view(self.files_view)
        return [
            path("<int:submission_id>/files/", view, name=self._files_route()),
            *super().get_urls(),
        ]

    def files_view(self, request: HttpRequest, submission_id: int) -> HttpResponseBase:
        """The submitted files for the staff of the submission's offering; the same 404 for
        a missing submission, one outside their offerings and one without files."""
        if not self.has_view_permission(request):
            raise Http404(_("No such submission."))
        submission = get_object_or_404(self.get_queryset(request), pk=submission_id)
        if not submission.artifacts_url:
            raise Http404(_("No such submission."))
        return stored_file_response(
            request,
            submission.artifacts_url,
            filename=f"submission-{submission.pk}.zip",
            as_attachment=True,
        )

    @admin.display(description=_("submitted files"))
    def submitted_files(self, submission: LabSubmission) -> str:
        if not submission.artifacts_url:
            return "—"
        url = reverse(f"admin:{self._files_route()}", args=[submission.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the submitted files"))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(content_item__content_type=self.item_type)

    @admin.display(description=_("student"), ordering="user__email")
    def student(self, submission: LabSubmission) -> str:
        return str(submission.user)

    @admin.display(description=_("lab"), ordering="content_item__title")
    def lab(self, submission: LabSubmission) -> str:
        return submission.content_item.title

    @admin.display(description=_("overridden"), boolean=True)
    def overridden(self, submission: LabSubmission) -> bool:
        return submission.score_override is not None

    @admin.display(description=_("test results"))
    def test_results(self, submission: LabSubmission) -> str:
        data = submission.auto_grade_json or {}
        if data.get("error"):
            return format_html("<strong>{}</strong> {}", _("Not graded:"), data["error"])
        tests = data.get("tests") or []
        if not tests:
            return "—"
        rows = format_html_join(
            "",
            "<li><code>{}</code>: {} {}</li>",
            ((t.get("name", ""), t.get("outcome", ""), t.get("message", "")) for t in tests),
        )
        reason = format_html("<p>{}</p>", data["reason"]) if data.get("reason") else ""
        return format_html("{}<ul>{}</ul>", reason, rows)

    def save_model(self, request, obj, form, change) -> None:
        lab_submission_review(
            submission_id=obj.pk,
            actor=request.user,
            feedback=form.cleaned_data.get("instructor_feedback"),
            score_override=form.cleaned_data.get("score_override"),
        )

    @admin.action(description=_("Re-run autograding"), permissions=["change"])
    def regrade(self, request: HttpRequest, queryset: QuerySet[LabSubmission]) -> None:
        queued = lab_submissions_regrade(submission_ids=list(queryset.values_list("pk", flat=True)))
        skipped = queryset.count() - queued
        self.message_user(
            request,
            ngettext(
                "%(n)s submission queued for grading.",
                "%(n)s submissions queued for grading.",
                queued,
            )
            % {"n": queued},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)s submission was left alone: it is being graded already, or its lab "
                    "is graded by staff.",
                    "%(n)s submissions were left alone: they are being graded already, or their "
                    "lab is graded by staff.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )


class LabFileForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("file"), required=False, help_text=_("Upload the file, or type its text below.")
    )
    text = forms.CharField(
        label=_("text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100, "spellcheck": "false"}),
    )

    class Meta:
        model = LabFile
        fields = ("content_item", "path")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            try:
                self.fields["text"].initial = bytes(self.instance.content).decode("utf-8")
            except UnicodeDecodeError:
                self.fields["text"].help_text = _("Binary file: upload a new one to replace it.")

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload is not None:
            data["content"] = upload.read()
        elif data.get("text"):
            data["content"] = data["text"].encode("utf-8")
        elif self.instance.pk:
            data["content"] = bytes(self.instance.content)
        else:
            raise ValidationError(_("Upload the file or type its text."))
        item = data.get("content_item")
        if item is not None and data.get("path"):
            listed = {f.get("path") for f in (item.data_json or {}).get("files") or []}
            if data["path"] not in listed:
                self.add_error("path", _("The lab's payload does not list this path."))
        return data


@admin.register(LabFile)
class LabFileAdmin(TenantScopedAdmin):
    tenant_paths = LAB_FILE_TENANT_PATHS
    form = LabFileForm
    list_display = ("path", "content_item", "role", "size", "updated_at")
    list_select_related = ("content_item",)
    search_fields = ("path", "content_item__title")
    ordering = ("content_item_id", "path")

    def get_field_queryset(self, db, db_field, request):
        rows = super().get_field_queryset(db, db_field, request)
        if db_field.name == "content_item":
            rows = rows.filter(content_type="engineering_lab")
        return rows

    @admin.display(description=_("role"))
    def role(self, row: LabFile) -> str:
        for entry in (row.content_item.data_json or {}).get("files") or []:
            if entry.get("path") == row.path:
                return entry.get("role", "")
        return _("not listed")

    @admin.display(description=_("size"))
    def size(self, row: LabFile) -> int:
        return len(row.content)

    def save_model(self, request, obj, form, change) -> None:
        obj.content = form.cleaned_data["content"]
        super().save_model(request, obj, form, change)
