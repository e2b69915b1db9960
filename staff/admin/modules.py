"""Module authoring in the admin, composed from the syllabus tree (syllabus.admin), what
involves content (items in the tree, templates, previews, the recycle bin) and copying a
course's material with its question pools, lab files and grading policy (assessments.copying).

Lower apps cannot import one another upward, so the final module admin is composed and
registered here. Both courses of a copy come from the courses the user teaches or
administers; another tenant's course is a 404 (the source) or a field error (the target), and
nothing changes. Adding a template never leaves a quiz pointing at another course's pool.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.admin.forms import add_service_errors
from assessments.copying import COPY_PERMISSION, copyable_courses, course_copy, template_add
from catalog.models import Course
from content.admin.items import (
    ArchivingDeletion,
    RecycleBinFilter,
    preview_outline,
    report_archived,
)
from content.archive import holds_student_work, module_restore
from content.models import ITEM_CLASSES, ContentItem, ContentType
from content.selectors import outline_items
from content.services import template_from_subtree
from lms.input import parse_id
from staff.admin.tree_writes import TrackedModuleWrites
from syllabus.admin import ModuleAdmin, as_module_tree_choices
from syllabus.models import Module, ModuleTemplate
from syllabus.selectors import templates_for_university


class TemplateChoiceForm(forms.Form):
    template = forms.ModelChoiceField(
        label=gettext_lazy("Template"), queryset=ModuleTemplate.objects.none()
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Empty: the template's title."),
    )

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        field.queryset = templates_for_university(
            university_id=course.university_id
        ).select_related("university")
        field.label_from_instance = lambda t: (
            _("%(template)s · %(owner)s")
            % {
                "template": t,
                "owner": t.university.name if t.university else _("every university"),
            }
        )


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


class SaveTemplateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Template title"), max_length=255)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ModuleAuthoringAdmin(ArchivingDeletion, ModuleAdmin):
    actions = [*ModuleAdmin.actions, "save_as_template", "restore_from_recycle_bin"]
    list_filter = (*ModuleAdmin.list_filter, RecycleBinFilter)
    writes: TrackedModuleWrites = TrackedModuleWrites()

    def holds_work(self, objs) -> bool:
        subtree = Module.objects.none()
        for module in objs:
            subtree |= module.get_descendants(include_self=True)
        module_ids = list(subtree.values_list("pk", flat=True))
        items = ContentItem.objects.filter(module_id__in=module_ids).values_list("pk", flat=True)
        return holds_student_work(item_ids=list(items), module_ids=module_ids)

    def delete_model(self, request: HttpRequest, obj: Module) -> None:
        report_archived(self, request, int(self.writes.remove(module=obj)))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Module]) -> None:
        archived = 0
        with transaction.atomic():
            for pk in queryset.order_by("-depth").values_list("pk", flat=True):
                module = Module.objects.filter(pk=pk).first()
                if module is not None:  # gone already with an ancestor
                    archived += self.writes.remove(module=module)
        report_archived(self, request, archived)

    @admin.action(
        description=gettext_lazy("Restore selected modules from the recycle bin"),
        permissions=["change"],
    )
    def restore_from_recycle_bin(self, request: HttpRequest, queryset: QuerySet[Module]):
        restored = [
            module_restore(module=module)
            for module in queryset.filter(archived_at__isnull=False).order_by("depth", "pk")
        ]
        self.message_user(
            request,
            ngettext(
                "%(count)d module restored, unpublished: publish it when it is ready.",
                "%(count)d modules restored, unpublished: publish them when they are ready.",
                len(restored),
            )
            % {"count": len(restored)},
        )

    def tree_extra(self, request, course):
        """Each module's items, with what moving them needs when the user may reorder."""
        items = outline_items(course_id=course.pk, include_inactive=True)
        may_move = self.admin_site.get_model_admin(ContentItem).has_change_permission(request)
        move_url = reverse("admin:content_contentitem_move", args=[0]).replace("/0/", "/{id}/")
        return {
            module_id: [
                {
                    "id": item.id,
                    "label": f"{item.title} · {ContentType(item.content_type).label}",
                    "url": reverse(
                        f"admin:content_{ITEM_CLASSES[item.content_type]._meta.model_name}_change",
                        args=[item.id],
                    ),
                    "css": "" if item.is_active else "inactive",
                    "position": position,
                    "count": len(module_items),
                    "move_url": move_url.replace("{id}", str(item.id)) if may_move else "",
                }
                for position, item in enumerate(module_items, start=1)
            ]
            for module_id, module_items in items.items()
        }

    def node_links(self, request, node):
        links = super().node_links(request, node)
        links += [
            (
                _("Add from template"),
                reverse("admin:syllabus_module_from_template", args=[node["id"]]),
            ),
            (_("Preview"), reverse("admin:syllabus_module_preview", args=[node["id"]])),
        ]
        return links

    def node_menus(self, request, node):
        """“Add item”: one entry per content type the user may add, opening its editor with
        the module filled in."""
        entries = [
            (
                str(cls._meta.verbose_name).capitalize(),
                reverse(f"admin:content_{cls._meta.model_name}_add") + f"?module={node['id']}",
            )
            for cls in ITEM_CLASSES.values()
            if self.admin_site.get_model_admin(cls).has_add_permission(request)
        ]
        return [(_("Add item"), entries)] if entries else []

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("course/<int:course_id>/copy/", wrap(self.copy_view), name="syllabus_module_copy"),
            path(
                "<int:module_id>/from-template/",
                wrap(self.from_template_view),
                name="syllabus_module_from_template",
            ),
            path(
                "<int:module_id>/preview/", wrap(self.preview_view), name="syllabus_module_preview"
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["preview_url"] = reverse("admin:syllabus_module_preview", args=[obj.pk])
            context["tree_url"] = reverse("admin:syllabus_module_tree", args=[obj.course_id])
        return super().render_change_form(request, context, add, change, form_url, obj)

    change_form_template = "admin/syllabus/module/change_form.html"

    def _form_page(
        self, request, title: str, form, course, submit: str, method: str = "post"
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            "admin/syllabus/module/form_page.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                "form": form,
                "course": course,
                "submit": submit,
                "method": method,
                "tree_url": reverse("admin:syllabus_module_tree", args=[course.pk]),
            },
        )

    def template_instantiate(
        self, *, template: ModuleTemplate, parent: Module, title: str | None
    ) -> Module:
        """Add the template under `parent`, copying or stripping the question pools its
        quizzes name."""
        return template_add(template=template, parent=parent, title=title)

    def from_template_view(self, request: HttpRequest, module_id: int) -> HttpResponse:
        """Instantiate a template under this module in one step."""
        parent = self.scoped_module(request, module_id)
        if not self.has_change_permission(request, parent):
            raise PermissionDenied
        form = TemplateChoiceForm(request.POST or None, course=parent.course)
        if request.method == "POST" and form.is_valid():
            try:
                made = self.template_instantiate(
                    template=form.cleaned_data["template"],
                    parent=parent,
                    title=form.cleaned_data["title"] or None,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request, _("Added “%(title)s” from the template.") % {"title": made.title}
                )
                tree = reverse("admin:syllabus_module_tree", args=[parent.course_id])
                return HttpResponseRedirect(f"{tree}#module-{made.pk}")
        title = _("Add from a template under “%(title)s”") % {"title": parent.title}
        return self._form_page(request, title, form, parent.course, _("Add"))

    @admin.action(description=gettext_lazy("Save as a new template (with everything under it)"))
    def save_as_template(self, request: HttpRequest, queryset: QuerySet[Module]):
        if not request.user.has_perm("syllabus.add_moduletemplate"):
            raise PermissionDenied
        modules = list(queryset[:2])
        if len(modules) != 1:
            self.message_user(
                request, _("Pick exactly one module to save as a template."), messages.WARNING
            )
            return None
        module = modules[0]
        if "apply" in request.POST:
            form = SaveTemplateForm(request.POST)
            if form.is_valid():
                try:
                    template = template_from_subtree(module=module, **form.cleaned_data)
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                    return None
                self.message_user(
                    request, _("Saved the template “%(title)s”.") % {"title": template.title}
                )
                return None
        else:
            form = SaveTemplateForm(initial={"title": module.title})
        return TemplateResponse(
            request,
            "admin/syllabus/module/save_template.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Save “%(title)s” as a template") % {"title": module.title},
                "form": form,
                "module": module,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def preview_view(self, request: HttpRequest, module_id: int) -> HttpResponse:
        """The module's outline as a student sees it, links opening item previews."""
        module = self.scoped_module(request, module_id)
        outline_html, visible = preview_outline(module.course_id, module)
        return TemplateResponse(
            request,
            "admin/content/preview.html",
            {
                "course": module.course,
                "module": module,
                "outline_html": outline_html,
                "module_visible": visible,
                "edit_url": reverse("admin:syllabus_module_tree", args=[module.course_id])
                + f"#module-{module.pk}",
            },
        )

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


admin.site.register(Module, ModuleAuthoringAdmin)
