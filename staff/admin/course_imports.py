"""The course import admin: staff upload an Open edX OLX package for a university they may
import into (interchange.access), see what it would create and every part that cannot be
imported, confirm, and follow the import (a status row the page polls) to the new course.

The upload is planned at once (a dry run: nothing of the course is written); confirming queues
the import, which the task runs in one transaction. The list shows the imports the member of
staff may follow; each row opens its import's page.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from interchange.access import (
    course_imports_for,
    may_import_courses,
    universities_for_course_import,
)
from interchange.archives import PackageRefused
from interchange.courses.services import course_import_confirm, course_import_stage
from interchange.models import CourseImportJob
from syllabus.models import Module
from syllabus.tree import outline_order
from tenancy.models import University


class CourseImportForm(forms.Form):
    university = forms.ModelChoiceField(
        label=gettext_lazy("University"),
        queryset=University.objects.none(),
        error_messages={"invalid_choice": gettext_lazy("Choose a university from the list.")},
    )
    course_code = forms.CharField(
        label=gettext_lazy("Course code"),
        max_length=128,
        required=False,
        help_text=gettext_lazy("Leave empty to use the code the package's course.xml names."),
    )
    into_module = forms.ModelChoiceField(
        label=gettext_lazy("Append under module"),
        queryset=Module.objects.none(),
        required=False,
        empty_label=gettext_lazy("— none: a new course —"),
        help_text=gettext_lazy(
            "To add the package's modules to an existing course instead, after the module's own."
        ),
        error_messages={"invalid_choice": gettext_lazy("Choose a module from the list.")},
    )
    file = forms.FileField(label=gettext_lazy("Course package"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        universities = universities_for_course_import(user)
        self.fields["university"].queryset = universities
        self.fields["into_module"].queryset = (
            Module.objects.filter(course__university__in=universities)
            .select_related("course")
            .order_by("course__code", *outline_order())
        )
        self.fields["into_module"].label_from_instance = lambda m: (
            f"{m.course.code} · {'— ' * m.depth}{m.title}"
        )
        self.fields["file"].help_text = _(
            "An Open edX course export (.tar.gz), at most %(size)d MB."
        ) % {"size": settings.COURSE_IMPORT_MAX_BYTES // (1024 * 1024)}

    def clean_course_code(self) -> str:
        return self.cleaned_data["course_code"].strip()

    def clean(self):
        data = super().clean()
        into, university = data.get("into_module"), data.get("university")
        if into is not None and university is not None:
            if into.course.university_id != university.pk:
                self.add_error("into_module", _("Choose a module of the university's courses."))
            elif data.get("course_code"):
                self.add_error("course_code", _("Leave the code empty when appending."))
        return data

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.COURSE_IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The package is larger than %(size)d MB.")
                % {"size": settings.COURSE_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


@admin.register(CourseImportJob)
class CourseImportAdmin(admin.ModelAdmin):
    change_list_template = "admin/interchange/courseimportjob/change_list.html"
    list_display = ["file_name", "university", "status", "course", "created_at"]
    list_filter = ["status"]

    def get_queryset(self, request: HttpRequest):
        return course_imports_for(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_import_courses(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="interchange_courseimportjob_import"),
            path(
                "<uuid:import_id>/confirm/",
                wrap(self.confirm_view),
                name="interchange_courseimportjob_confirm",
            ),
            path(
                "<uuid:import_id>/status/",
                wrap(self.status_view),
                name="interchange_courseimportjob_status",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        job = self._job(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import of %(file)s") % {"file": job.file_name},
            "job": job,
            "course_url": self._course_url(job),
        }
        return TemplateResponse(request, "admin/interchange/course_import.html", context)

    def _job(self, request: HttpRequest, import_id) -> CourseImportJob:
        job = (
            course_imports_for(request.user)
            .select_related("into_module")
            .filter(pk=import_id)
            .first()
        )
        if job is None:
            raise Http404(_("No such import."))
        return job

    @staticmethod
    def _course_url(job: CourseImportJob) -> str:
        return reverse("admin:catalog_course_change", args=[job.course_id]) if job.course_id else ""

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_module_permission(request):
            raise PermissionDenied
        form = CourseImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                job = course_import_stage(
                    university=data["university"],
                    actor=request.user,
                    upload=data["file"],
                    course_code=data["course_code"],
                    into=data["into_module"],
                )
            except PackageRefused as refused:
                form.add_error("file", refused.message)
            else:
                return redirect(reverse("admin:interchange_courseimportjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import course"),
            "form": form,
        }
        return TemplateResponse(request, "admin/interchange/course_import_form.html", context)

    def confirm_view(self, request: HttpRequest, import_id) -> HttpResponse:
        job = self._job(request, import_id)
        if request.method != "POST":
            return redirect(reverse("admin:interchange_courseimportjob_change", args=[job.pk]))
        if course_import_confirm(job=job):
            messages.success(request, _("The import is queued."))
        return redirect(reverse("admin:interchange_courseimportjob_change", args=[job.pk]))

    def status_view(self, request: HttpRequest, import_id) -> JsonResponse:
        job = self._job(request, import_id)
        return JsonResponse(
            {"status": job.status, "running": job.running, "finished": job.finished}
        )
