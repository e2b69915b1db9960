"""The question pool admin: assessments' pools, with importing a question bank (GIFT, Moodle XML
or QTI 1.2) through a preview and a confirmation, and exporting a pool as GIFT or Moodle XML.

The importer lives in interchange, above assessments, so this module registers the pool admin
(assessments' own class, extended). The course choices are the courses the member of staff may
add questions to (interchange.access); the confirmation reads the file kept in the cache for
an hour under a signed key, parses it again and writes everything or nothing.
"""

import uuid

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.quizzes.admin import QuestionPoolAdmin
from assessments.quizzes.models import QuestionPool
from catalog.models import Course
from interchange.access import courses_for_question_authoring
from interchange.questions.bank import FORMATS, GIFT, MOODLE_XML, BankRefused, ParsedBank
from interchange.questions.export import pool_as_gift, pool_as_moodle_xml
from interchange.questions.services import (
    BankInvalid,
    max_bank_bytes,
    question_bank_import,
    question_bank_parse,
)

SALT = "interchange.question-bank-import"
PREVIEW_SECONDS = 60 * 60
EXPORTS = {
    GIFT: (pool_as_gift, "gift", "text/plain; charset=utf-8"),
    MOODLE_XML: (pool_as_moodle_xml, "xml", "application/xml; charset=utf-8"),
}


class QuestionImportForm(forms.Form):
    course = forms.ModelChoiceField(
        label=gettext_lazy("Course"),
        queryset=Course.objects.none(),
        error_messages={"invalid_choice": gettext_lazy("Choose a course from the list.")},
    )
    pool_title = forms.CharField(
        label=gettext_lazy("Question pool"),
        max_length=255,
        help_text=gettext_lazy(
            "The title of one of the course's pools, or a new title for a new pool. The "
            "questions are added after those already there."
        ),
    )
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        required=False,
        choices=[("", gettext_lazy("Detect from the file")), *FORMATS.items()],
    )
    file = forms.FileField(label=gettext_lazy("Question bank file"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses_for_question_authoring(user)
        self.fields["course"].label_from_instance = lambda c: f"{c.code} · {c.title}"
        self.fields["file"].help_text = _(
            "GIFT (.gift, .txt), Moodle XML or QTI 1.2 (.xml), at most %(size)d KB."
        ) % {"size": max_bank_bytes() // 1024}

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > max_bank_bytes():
            raise ValidationError(
                _("The file is larger than %(size)d KB; split it into smaller files.")
                % {"size": max_bank_bytes() // 1024}
            )
        return upload.read()


class InterchangeQuestionPoolAdmin(QuestionPoolAdmin):
    change_list_template = "admin/interchange/questionpool/change_list.html"
    change_form_template = "admin/interchange/questionpool/change_form.html"
    actions = [*(QuestionPoolAdmin.actions or []), "export_gift", "export_moodle_xml"]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="assessments_questionpool_import"),
            path(
                "<int:pool_id>/export/<str:file_format>/",
                wrap(self.export_view),
                name="assessments_questionpool_export",
            ),
            *super().get_urls(),
        ]

    # Export ---------------------------------------------------------------------------------

    def export_view(self, request: HttpRequest, pool_id: int, file_format: str) -> HttpResponse:
        if file_format not in EXPORTS:
            raise Http404(_("No such format."))
        pool = self.get_object(request, str(pool_id))
        if not self.has_view_permission(request, pool):
            raise PermissionDenied
        writer, extension, content_type = EXPORTS[file_format]
        result = writer(pool=pool)
        response = HttpResponse(result.text, content_type=content_type)
        name = slugify(f"{pool.course.code} {pool.title}") or "questions"
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
        return response

    def _export(self, request: HttpRequest, queryset: QuerySet, file_format: str):
        chosen = list(queryset.values_list("pk", flat=True)[:2])
        if len(chosen) != 1:
            self.message_user(request, _("Pick exactly one pool to export."), messages.WARNING)
            return None
        url = reverse("admin:assessments_questionpool_export", args=[chosen[0], file_format])
        return HttpResponseRedirect(url)

    @admin.action(description=gettext_lazy("Export the pool as GIFT"), permissions=["view"])
    def export_gift(self, request: HttpRequest, queryset: QuerySet):
        return self._export(request, queryset, GIFT)

    @admin.action(description=gettext_lazy("Export the pool as Moodle XML"), permissions=["view"])
    def export_moodle_xml(self, request: HttpRequest, queryset: QuerySet):
        return self._export(request, queryset, MOODLE_XML)

    # Import ---------------------------------------------------------------------------------

    def _context(self, request: HttpRequest, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import questions"),
            **extra,
        }

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not courses_for_question_authoring(request.user).exists():
            raise PermissionDenied
        if request.method == "POST" and "payload" in request.POST:
            return self._confirm(request)
        form = QuestionImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                bank = question_bank_parse(
                    data=data["file"], file_format=data["file_format"] or None
                )
            except BankRefused as refused:
                form.add_error("file", refused.message)
            else:
                return self._preview(request, form, bank)
        return TemplateResponse(
            request, "admin/interchange/question_import.html", self._context(request, form=form)
        )

    def _preview(self, request: HttpRequest, form: QuestionImportForm, bank: ParsedBank):
        data = form.cleaned_data
        payload = ""
        if bank.is_valid:
            key = f"interchange:qbank:{request.user.pk}:{uuid.uuid4().hex}"
            cache.set(key, data["file"], PREVIEW_SECONDS)
            payload = signing.dumps(
                {
                    "key": key,
                    "course": data["course"].pk,
                    "pool": data["pool_title"].strip(),
                    "format": bank.format,
                },
                salt=SALT,
            )
        context = self._context(
            request,
            form=QuestionImportForm(initial={"pool_title": data["pool_title"]}, user=request.user),
            bank=bank,
            course=data["course"],
            pool_title=data["pool_title"].strip(),
            payload=payload,
        )
        return TemplateResponse(request, "admin/interchange/question_import_preview.html", context)

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        here = reverse("admin:assessments_questionpool_import")
        try:
            plan = signing.loads(request.POST["payload"], salt=SALT, max_age=PREVIEW_SECONDS)
        except signing.BadSignature:
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect(here)
        data = cache.get(plan["key"]) if plan["key"].split(":")[2] == str(request.user.pk) else None
        course = courses_for_question_authoring(request.user).filter(pk=plan["course"]).first()
        if data is None or course is None:
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect(here)
        try:
            bank = question_bank_parse(data=data, file_format=plan["format"])
            result = question_bank_import(
                actor=request.user, course=course, pool_title=plan["pool"], bank=bank
            )
        except (BankRefused, BankInvalid):
            messages.error(request, _("The file can no longer be imported; upload it again."))
            return redirect(here)
        cache.delete(plan["key"])
        messages.success(
            request,
            _("%(n)d questions imported into “%(pool)s”.")
            % {"n": result.created, "pool": result.pool.title},
        )
        return redirect(reverse("admin:assessments_questionpool_change", args=[result.pool.pk]))


admin.site.register(QuestionPool, InterchangeQuestionPoolAdmin)
