"""The syllabus pages that need question pools and lab files: copying a course's material into
another course and adding a module template.

content.admin registers the module admin with everything that involves content; copying a
course must bring its pools, lab files and grading policy, and a template must never leave a
quiz pointing at another course's pool, so the final module admin is registered here, above
content, the same way content's extends syllabus's (syllabus and content cannot import this
app). Both courses of a copy come from the courses the user teaches or administers; another
tenant's course is a 404 (the source) or a field error (the target), and nothing changes.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.admin.forms import add_service_errors
from assessments.copying import COPY_PERMISSION, copyable_courses, course_copy, template_add
from catalog.models import Course
from content.admin import AuthoringModuleAdmin
from lms.input import parse_id
from syllabus.admin import as_module_tree_choices
from syllabus.models import Module, ModuleTemplate


class CourseCopyForm(forms.Form):
    target = forms.ModelChoiceField(
        label=gettext_lazy("Copy into course"), queryset=Course.objects.none()
    )
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Under module"),
        queryset=Module.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Empty: at the top of the target's syllabus; a course without a syllabus yet "
            "gets an exact copy."
        ),
    )

    def __init__(self, *args, courses: QuerySet[Course], target: Course | None, **kwargs):
        """Without a `target` the form only asks for one (a GET form: step one); with it,
        the modules to copy under are that course's."""
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = courses
        if target is None:
            del self.fields["parent"]
            return
        self.fields["parent"].queryset = Module.objects.filter(course_id=target.pk)
        as_module_tree_choices(self.fields["parent"])

    def clean(self):
        cleaned = super().clean()
        target, parent = cleaned.get("target"), cleaned.get("parent")
        if target is not None and parent is not None and parent.course_id != target.pk:
            self.add_error("parent", _("Pick a module of the target course."))
        return cleaned


class CourseMaterialModuleAdmin(AuthoringModuleAdmin):
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("course/<int:course_id>/copy/", wrap(self.copy_view), name="syllabus_module_copy"),
            *super().get_urls(),
        ]

    def template_instantiate(
        self, *, template: ModuleTemplate, parent: Module, title: str | None
    ) -> Module:
        return template_add(template=template, parent=parent, title=title)

    def copy_view(self, request: HttpRequest, course_id: int) -> HttpResponse:
        """Copy this course's material into another course the user teaches or administers,
        under a chosen module or at the top."""
        course = self.scoped_course(request, course_id)
        if not request.user.has_perm(COPY_PERMISSION):
            raise PermissionDenied
        courses = copyable_courses(actor=request.user).exclude(pk=course.pk).order_by("code")
        chosen = request.POST.get("target") or request.GET.get("target") or ""
        chosen_id = parse_id(chosen)
        target = courses.filter(pk=chosen_id).first() if chosen_id else None
        form = CourseCopyForm(
            request.POST or None,
            initial={"target": target.pk if target else None},
            courses=courses,
            target=target,
        )
        if request.method == "POST" and form.is_valid():
            target, parent = form.cleaned_data["target"], form.cleaned_data["parent"]
            try:
                report = course_copy(
                    actor=request.user,
                    source_course_id=course.pk,
                    target_course_id=target.pk,
                    parent_module_id=parent.pk if parent else None,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(
                    request,
                    _(
                        "Copied %(modules)s modules, %(items)s items, %(pools)s question pools "
                        "and %(files)s lab files into %(course)s."
                    )
                    % {
                        "modules": report.modules,
                        "items": report.items,
                        "pools": report.pools,
                        "files": report.lab_files,
                        "course": target,
                    },
                )
                return HttpResponseRedirect(reverse("admin:syllabus_module_tree", args=[target.pk]))
        title = _("Copy the material of %(course)s") % {"course": course}
        if target is None:
            return self._form_page(request, title, form, course, _("Next"), method="get")
        return self._form_page(request, title, form, course, _("Copy"))


admin.site.unregister(Module)
admin.site.register(Module, CourseMaterialModuleAdmin)
