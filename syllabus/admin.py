"""Syllabus authoring in the admin: a course's module tree, reordered by dragging or with the
keyboard, published and unpublished a subtree at a time.

Every change of place goes through `syllabus.services.module_move`, which locks the course, so
`sequence_index` and `depth` stay consistent when two staff reorder the same course. The
admin writes through its `ModuleWrites`, which the registering layer replaces with writes that
also apply what the change did to learners' progress and grades (syllabus.changes). Rows and
choices are scoped to the user's tenants (`TenantScopedAdmin`); another university's module is
a 404. The actions that need content items (templates, copies, previews) are added by the
layer that composes syllabus with content, which registers the module and module template
admins; this module only defines them.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from catalog.models import Course
from catalog.scoping import paths_via_course
from lms.admin_tree import indented_label
from lms.input import parse_id, parse_int, safe_next
from syllabus import tree
from syllabus.models import Module, ModuleTemplate, ModuleType
from syllabus.selectors import outline_rows, templates_for_staff
from syllabus.services import (
    course_root,
    module_create,
    module_delete,
    module_move,
    module_set_published,
    module_update,
    templates_publish,
)
from tenancy.access import tenant_scope
from tenancy.auth import register_role_permissions
from tenancy.models import Role
from tenancy.scoping import TenantScopedAdmin, scoped

# Staff may add templates of their university (saving a subtree) and see those and the
# platform-wide ones; only platform admins change, delete or publish them platform-wide.
register_role_permissions(
    "syllabus",
    "moduletemplate",
    {
        role: {"view", "add"}
        for role in (Role.UNIVERSITY_ADMIN, Role.DEPARTMENT_ADMIN, Role.INSTRUCTOR, Role.TA)
    },
)

COURSE_PATHS = paths_via_course("course")
# The same rule applied to the courses themselves.
COURSE_PATHS_OF_COURSE = {"university": "university", "department": "department", "course": "pk"}


def nest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pre-ordered outline rows as nested nodes, each with its `children` and its `siblings`
    count, for the tree template."""
    roots: list[dict[str, Any]] = []
    by_id: dict[int, dict[str, Any]] = {}
    for row in rows:
        node = {**row, "children": []}
        by_id[row["id"]] = node
        parent = by_id.get(row["parent_id"])
        (parent["children"] if parent else roots).append(node)
    for siblings in [roots, *(n["children"] for n in by_id.values())]:
        for index, node in enumerate(siblings):
            node["count"] = len(siblings)
            node["previous_id"] = siblings[index - 1]["id"] if index else None
    for node in by_id.values():
        parent = by_id.get(node["parent_id"])
        node["grandparent_id"] = parent["parent_id"] if parent else None
        node["parent_sequence"] = parent["sequence_index"] if parent else None
    return roots


def tree_reply(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    course_id: int,
    anchor: str,
    ok: bool,
    message: str,
    status: int = 200,
    data: dict[str, Any] | None = None,
) -> HttpResponse:
    """The answer to a change made on the tree page: JSON for its script (with `data` when it
    worked), else a message and a redirect back to the row (`next` when it is safe)."""
    if "application/json" in request.headers.get("Accept", ""):
        payload = {"ok": ok, "message": message}
        if ok:
            payload.update(data or {})
        return JsonResponse(payload, status=status)
    model_admin.message_user(request, message, messages.SUCCESS if ok else messages.ERROR)
    target = safe_next(
        request,
        request.POST.get("next"),
        reverse("admin:syllabus_module_tree", args=[course_id]),
    )
    return HttpResponseRedirect(f"{target.split('#', 1)[0]}#{anchor}")


def as_module_tree_choices(field) -> None:
    """Show a module choice field as indented trees, course by course, in one query."""
    field.queryset = field.queryset.select_related("course").order_by(
        "course_id", *tree.OUTLINE_ORDER
    )
    field.label_from_instance = lambda m: f"{m.course.code} · {'— ' * m.depth}{m.title}"


class ModuleTemplateAdmin(admin.ModelAdmin):
    """Templates of the user's universities and the platform-wide ones; another university's
    template is a 404 like a missing one."""

    list_display = ("title", "template_type", "owner", "layout_summary", "created_at")
    list_filter = ("template_type",)
    list_select_related = ("university",)
    search_fields = ("title", "description")
    # content adds the layout, edited as text (its stubs name content types).
    fields = ("title", "template_type", "description")
    actions = ["publish_platform_wide"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ModuleTemplate]:
        scoped_ids = templates_for_staff(user=request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=scoped_ids)

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No module template with that id."))
        return obj

    def get_actions(self, request: HttpRequest, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if not tenant_scope(request.user).everything:
            actions.pop("publish_platform_wide", None)
        return actions

    @admin.display(description=gettext_lazy("Offered to"), ordering="university__name")
    def owner(self, template: ModuleTemplate) -> str:
        return template.university.name if template.university else _("Every university")

    @admin.action(description=gettext_lazy("Publish platform-wide (every university)"))
    def publish_platform_wide(self, request: HttpRequest, queryset: QuerySet[ModuleTemplate]):
        if not tenant_scope(request.user).everything:
            raise PermissionDenied
        count = templates_publish(template_ids=list(queryset.values_list("pk", flat=True)))
        message = ngettext(
            "%(n)d template is now offered to every university.",
            "%(n)d templates are now offered to every university.",
            count,
        )
        self.message_user(request, message % {"n": count}, messages.SUCCESS)

    @admin.display(description=gettext_lazy("Layout"))
    def layout_summary(self, template: ModuleTemplate) -> str:
        modules, items = _layout_counts(template.default_data or {})
        return _("%(m)s modules, %(i)s items") % {"m": modules, "i": items}


def _layout_counts(layout: dict[str, Any]) -> tuple[int, int]:
    modules, items = 0, len(layout.get("content") or [])
    for child in layout.get("children") or []:
        m, i = _layout_counts(child)
        modules, items = modules + 1 + m, items + i
    return modules, items


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ("course", "parent", "module_type", "title", "description", "is_published")

    def clean(self):
        cleaned = super().clean()
        course, parent = cleaned.get("course"), cleaned.get("parent")
        if course and parent and parent.course_id != course.pk:
            self.add_error("parent", _("Pick a parent module of the same course."))
        if cleaned.get("module_type") == ModuleType.COURSE_ROOT and not self.instance.pk:
            self.add_error("module_type", _("Every course has exactly one course root."))
        return cleaned


class ModuleWrites:
    """How the module admin changes the tree: here syllabus's services alone, leaving out what
    the change means to apps above (syllabus.changes): the registering layer supplies writes
    that apply it in the same transaction."""

    def update(self, *, module: Module, **fields: Any) -> Module:
        return module_update(module=module, **fields)[0]

    def move(self, *, module: Module, parent: Module, position: int | None) -> Module:
        return module_move(module=module, parent=parent, position=position)[0]

    def set_published(self, *, module: Module, is_published: bool) -> int:
        return module_set_published(module=module, is_published=is_published)[0]

    def delete(self, *, module: Module) -> None:
        module_delete(module=module)


class ModuleAdmin(TenantScopedAdmin):
    tenant_paths = COURSE_PATHS
    writes: ModuleWrites = ModuleWrites()
    form = ModuleForm
    list_display = ("indented_title", "module_type", "is_published", "course", "tree_link")
    list_filter = ("course", "module_type", "is_published")
    list_select_related = ("course",)
    search_fields = ("title",)
    actions = ["publish_subtree", "unpublish_subtree"]
    fields = ("course", "parent", "module_type", "title", "description", "is_published")
    readonly_fields = ("module_template",)
    tree_template = "admin/syllabus/module/tree.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Module]:
        return super().get_queryset(request).order_by("course_id", *tree.OUTLINE_ORDER)

    def get_fields(self, request: HttpRequest, obj: Module | None = None):
        if obj is None:
            return self.fields
        return (
            "course",
            "parent",
            "module_type",
            "title",
            "description",
            "is_published",
            "module_template",
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Module | None = None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # The place in the tree changes in the tree view, through module_move.
            readonly += [f for f in ("course", "parent") if f not in readonly]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent" and field is not None:
            as_module_tree_choices(field)
        return field

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("module_type", ModuleType.UNIT)
        return initial

    def save_model(self, request: HttpRequest, obj: Module, form, change: bool) -> None:
        data = form.cleaned_data
        if change:
            self.writes.update(
                module=obj,
                **{k: data[k] for k in ("title", "description", "module_type", "is_published")},
            )
            return
        parent = data.get("parent")
        if parent is None:
            parent = course_root(course=data["course"])
        created = module_create(
            course=data["course"],
            parent=parent,
            module_type=data["module_type"],
            title=data["title"],
            description=data.get("description") or None,
            is_published=data["is_published"],
        )
        obj.pk = created.pk
        obj.__dict__.update({k: getattr(created, k) for k in tree.TREE_FIELDS})

    def delete_model(self, request: HttpRequest, obj: Module) -> None:
        self.writes.delete(module=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Module]) -> None:
        for pk in queryset.order_by("-depth").values_list("pk", flat=True):
            module = Module.objects.filter(pk=pk).first()
            if module is not None:  # gone already with an ancestor
                self.writes.delete(module=module)

    @admin.display(description=gettext_lazy("Title"), ordering=tree.OUTLINE_POSITION)
    def indented_title(self, module: Module) -> str:
        return indented_label(module.title, module.depth)

    @admin.display(description=gettext_lazy("Tree"))
    def tree_link(self, module: Module) -> str:
        url = reverse("admin:syllabus_module_tree", args=[module.course_id])
        return format_html('<a href="{}#module-{}">{}</a>', url, module.pk, _("Open in tree"))

    # Publishing -------------------------------------------------------------------------

    def _set_published(self, request, queryset, is_published: bool) -> None:
        count = 0
        for module in queryset:
            if self.has_change_permission(request, module):
                count += self.writes.set_published(module=module, is_published=is_published)
        message = (
            ngettext("%(n)d module published.", "%(n)d modules published.", count)
            if is_published
            else ngettext("%(n)d module unpublished.", "%(n)d modules unpublished.", count)
        )
        self.message_user(request, message % {"n": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Publish with everything under them"))
    def publish_subtree(self, request: HttpRequest, queryset: QuerySet[Module]) -> None:
        self._set_published(request, queryset, True)

    @admin.action(description=gettext_lazy("Unpublish with everything under them"))
    def unpublish_subtree(self, request: HttpRequest, queryset: QuerySet[Module]) -> None:
        self._set_published(request, queryset, False)

    # The tree ---------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("course/<int:course_id>/tree/", wrap(self.tree_view), name="syllabus_module_tree"),
            path("<int:module_id>/move/", wrap(self.move_view), name="syllabus_module_move"),
            path(
                "<int:module_id>/publish/", wrap(self.publish_view), name="syllabus_module_publish"
            ),
            *super().get_urls(),
        ]

    def scoped_course(self, request: HttpRequest, course_id: int) -> Course:
        """The course when the user may author it, else 404 (missing and foreign alike)."""
        return get_object_or_404(
            scoped(Course.objects.all(), request.user, COURSE_PATHS_OF_COURSE), pk=course_id
        )

    def scoped_module(self, request: HttpRequest, module_id: int) -> Module:
        return get_object_or_404(self.get_queryset(request), pk=module_id)

    def tree_extra(self, request: HttpRequest, course: Course) -> dict[int, list[dict[str, Any]]]:
        """Per module id, the rows to list under it in the tree (the composed admin adds items):
        dicts with `id`, `label`, `url`, `css`, and for rows that can move, `position`,
        `count` and `move_url` (which takes `module` and `position`)."""
        return {}

    def node_links(self, request: HttpRequest, node: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, url) pairs shown on each node of the tree."""
        return [
            (_("Edit"), reverse("admin:syllabus_module_change", args=[node["id"]])),
            (
                _("Add module"),
                reverse("admin:syllabus_module_add")
                + f"?course={node['course_id']}&parent={node['id']}",
            ),
        ]

    def node_menus(
        self, request: HttpRequest, node: dict[str, Any]
    ) -> list[tuple[str, list[tuple[str, str]]]]:
        """(label, [(label, url), ...]) menus shown on each node of the tree."""
        return []

    def tree_view(self, request: HttpRequest, course_id: int) -> HttpResponse:
        course = self.scoped_course(request, course_id)
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = outline_rows(course_id=course.pk, published_only=False)
        if not rows and self.has_add_permission(request):
            course_root(course=course)
            rows = outline_rows(course_id=course.pk, published_only=False)
        extra = self.tree_extra(request, course)
        for row in rows:
            row["course_id"] = course.pk
            row["extra"] = extra.get(row["id"], [])
            row["links"] = self.node_links(request, row)
            row["menus"] = self.node_menus(request, row)
            row["type_label"] = ModuleType(row["module_type"]).label
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Syllabus of %(course)s") % {"course": course},
            "course": course,
            "tree": nest(rows),
            "can_change": self.has_change_permission(request),
            "move_url_template": reverse("admin:syllabus_module_move", args=[0]).replace(
                "/0/", "/{id}/"
            ),
            "changelist_url": reverse("admin:syllabus_module_changelist")
            + f"?course__id__exact={course.pk}",
        }
        return TemplateResponse(request, self.tree_template, context)

    def _reply(
        self, request: HttpRequest, module: Module, *, ok: bool, message: str, status: int = 200
    ) -> HttpResponse:
        place = {"parent": module.parent_id, "sequence_index": module.sequence_index}
        return tree_reply(
            self,
            request,
            course_id=module.course_id,
            anchor=f"module-{module.pk}",
            ok=ok,
            message=message,
            status=status,
            data={**place, "depth": module.depth},
        )

    def move_view(self, request: HttpRequest, module_id: int) -> HttpResponse:
        """Move a module: POST `parent` (a module id of the same course) and `position`
        (1-based among the new siblings; empty for last)."""
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        module = self.scoped_module(request, module_id)
        if not self.has_change_permission(request, module):
            return self._reply(
                request, module, ok=False, status=403, message=_("You may not reorder this course.")
            )
        parent_id = parse_id(request.POST.get("parent"))
        position_raw = request.POST.get("position", "")
        position = parse_int(position_raw) if position_raw else None
        if parent_id is None or (position_raw and position is None):
            return self._reply(
                request, module, ok=False, status=400, message=_("Say where the module goes.")
            )
        parent = Module.objects.filter(pk=parent_id, course_id=module.course_id).first()
        if parent is None:
            return self._reply(
                request,
                module,
                ok=False,
                status=400,
                message=_("A module can only move within its course."),
            )
        if module.parent_id is None:
            return self._reply(
                request,
                module,
                ok=False,
                status=400,
                message=_("The course root stays where it is."),
            )
        try:
            moved = self.writes.move(module=module, parent=parent, position=position)
        except ValidationError as error:
            return self._reply(
                request, module, ok=False, status=400, message=" ".join(error.messages)
            )
        return self._reply(
            request, moved, ok=True, message=_("Moved “%(title)s”.") % {"title": moved.title}
        )

    def publish_view(self, request: HttpRequest, module_id: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        module = self.scoped_module(request, module_id)
        if not self.has_change_permission(request, module):
            return self._reply(
                request,
                module,
                ok=False,
                status=403,
                message=_("You may not publish in this course."),
            )
        publish = request.POST.get("is_published") == "true"
        count = self.writes.set_published(module=module, is_published=publish)
        if publish:
            message = ngettext("Published %(n)s module.", "Published %(n)s modules.", count)
        else:
            message = ngettext("Unpublished %(n)s module.", "Unpublished %(n)s modules.", count)
        module.refresh_from_db()
        return self._reply(request, module, ok=True, message=message % {"n": count})
