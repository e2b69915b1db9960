"""Content items in the admin: typed editors per content type, the list of every item with
its recycle bin, and previews as a student sees them.

Items are edited through the form of their type (content.types) and saved through
content.services, so the stored payload is always valid. The writes go through the admin's
`ItemWrites`; the layer that registers these admins (staff.admin.items) supplies writes that
also bring what apps above derive from the tree (learners' progress, grades) up to date.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from content.admin.assets import assets_for_staff
from content.archive import content_item_remove, content_item_restore, holds_student_work
from content.markup.mathml import latex_to_mathml
from content.models import ITEM_CLASSES, ContentItem
from content.rendering import asset_ids, render_item, render_outline
from content.selectors import assets_for_university, assets_linked, course_outline, item_page
from content.services import content_item_create, content_item_move, content_item_update
from content.types import EDITOR_FORMS
from content.types.base import RenderContext
from content.types.editing import ItemEditorForm
from lms.input import parse_id, parse_int
from syllabus.admin import COURSE_PATHS, as_module_tree_choices, tree_reply
from syllabus.models import Module, ModuleType
from tenancy.scoping import TenantScopedAdmin

# Preview -----------------------------------------------------------------------------------


def _preview_item_url(item_id: int) -> str:
    return reverse("admin:content_contentitem_preview", args=[item_id])


def preview_outline(course_id: int, module: Module | None) -> tuple[str, bool]:
    """The outline of `module`'s subtree (the whole course when None) as a student sees it,
    and whether students see it at all."""
    outline = course_outline(course_id=course_id, include_hidden=False)
    rows, visible = outline.rows, True
    if module is not None and not any(r["id"] == module.pk for r in rows):
        outline = course_outline(course_id=course_id, include_hidden=True)
        rows, visible = outline.rows, False
    if module is not None:
        start = next(i for i, r in enumerate(rows) if r["id"] == module.pk)
        end = next(
            (i for i in range(start + 1, len(rows)) if rows[i]["depth"] <= module.depth),
            len(rows),
        )
        rows = rows[start:end]
    items = outline.items_by_module
    if not visible:
        items = {k: [i for i in v if i.is_active] for k, v in items.items()}
    html = render_outline(
        rows=rows,
        items_by_module=items,
        item_url_template=_preview_item_url(987654321).replace("987654321", "{id}"),
        counts=None,
        completed=set(),
        mark_hidden=False,
    )
    return html, visible


# Content items -----------------------------------------------------------------------------


class RecycleBinFilter(admin.SimpleListFilter):
    """Lists show current rows; the recycle bin shows what was archived instead of deleted
    because it holds students' work (content.archive)."""

    title = gettext_lazy("recycle bin")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("In the recycle bin"))]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Current"),
        }
        yield {
            "selected": self.value() == "yes",
            "query_string": changelist.get_query_string({self.parameter_name: "yes"}),
            "display": _("In the recycle bin"),
        }

    def queryset(self, request, queryset):
        return queryset.filter(archived_at__isnull=self.value() != "yes")


def report_archived(model_admin, request: HttpRequest, archived: int) -> None:
    if archived:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d holds students' work, so it was moved to the recycle bin instead; "
                "restore it from there.",
                "%(count)d hold students' work, so they were moved to the recycle bin "
                "instead; restore them from there.",
                archived,
            )
            % {"count": archived},
            messages.WARNING,
        )


class ArchivingDeletion:
    """The delete confirmation of rows that are archived when they hold students' work: the
    work is not deleted, so deleting it needs no permission (staff may only view it)."""

    holds_work: Callable[[Any], bool]  # each admin says what of its rows holds students' work

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if perms_needed and self.holds_work(objs):
            perms_needed = set()
        return deleted, counts, perms_needed, protected


class ItemWrites:
    """How the item admins write: here content's services alone, leaving out what the change
    means to apps above (syllabus.changes): the registering layer supplies writes that apply
    it in the same transaction."""

    def create(self, **fields: Any) -> ContentItem:
        return content_item_create(**fields)[0]

    def update(self, *, item: ContentItem, **fields: Any) -> ContentItem:
        return content_item_update(item=item, **fields)[0]

    def move(self, *, item: ContentItem, module: Module, position: int | None) -> ContentItem:
        return content_item_move(item=item, module=module, position=position)[0]

    def remove(self, *, item: ContentItem) -> bool:
        return content_item_remove(item=item)[0]


class _ItemDeletion(ArchivingDeletion):
    """Deleting items goes through content.archive: an item holding students' work is
    archived, any other is deleted by content_item_delete, which locks the course, closes the
    gap in the module's numbering and lets learners' module progress follow."""

    writes: ItemWrites = ItemWrites()

    def holds_work(self, objs) -> bool:
        return holds_student_work(item_ids=[obj.pk for obj in objs])

    def delete_model(self, request: HttpRequest, obj: ContentItem) -> None:
        report_archived(self, request, int(self.writes.remove(item=obj)))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ContentItem]) -> None:
        with transaction.atomic():
            archived = [
                self.writes.remove(item=item) for item in queryset.non_polymorphic().order_by("pk")
            ]
        report_archived(self, request, sum(archived))


class TypedItemAdmin(_ItemDeletion, TenantScopedAdmin):
    """The admin of one content type: its editor form, saved through content.services."""

    tenant_paths = COURSE_PATHS
    change_form_template = "admin/content/item_change_form.html"
    list_display = ("title", "module", "course", "sequence_index", "is_active")
    list_filter = ("course", "is_active")
    list_select_related = ("module", "course")
    search_fields = ("title",)
    base_fields = ("module", "title", "description", "estimated_duration_seconds", "is_active")

    def get_model_perms(self, request: HttpRequest) -> dict[str, bool]:
        return {}  # reached from the list of all content items, not from the index

    def get_queryset(self, request: HttpRequest) -> QuerySet[ContentItem]:
        return super().get_queryset(request).filter(content_type=self.model.CONTENT_TYPE)

    def get_fieldsets(self, request: HttpRequest, obj: ContentItem | None = None):
        form_class: type[ItemEditorForm] = self.form
        payload = [
            name for name in form_class.base_fields if name not in ItemEditorForm.base_fields
        ]
        fieldsets = [(None, {"fields": self.base_fields})]
        if payload:
            fieldsets.append((str(self.model._meta.verbose_name).capitalize(), {"fields": payload}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: ContentItem | None = None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "module"] if obj is not None and "module" not in readonly else readonly

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.asset_queryset = assets_for_staff(request.user)
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "module" and field is not None:
            as_module_tree_choices(field)
        return field

    def save_model(self, request: HttpRequest, obj: ContentItem, form, change: bool) -> None:
        data = form.cleaned_data
        fields = {
            "title": data["title"],
            "description": data.get("description") or None,
            "estimated_duration_seconds": data.get("estimated_duration_seconds"),
            "is_active": data["is_active"],
            "data_json": form.payload,
        }
        if change:
            self.writes.update(item=obj, **fields)
            return
        created = self.writes.create(
            module=data["module"], content_type=self.model.CONTENT_TYPE, **fields
        )
        obj.pk = created.pk
        obj.sequence_index = created.sequence_index

    def _back_to_tree(self, request: HttpRequest, obj: ContentItem, response: HttpResponse):
        """Plain “Save” goes back to the item on its course's tree, where it was added from,
        rather than to a list of one content type."""
        if any(key in request.POST for key in ("_continue", "_addanother", "_saveasnew")):
            return response
        if IS_POPUP_VAR in request.POST or response.status_code != 302:
            return response
        tree = reverse("admin:syllabus_module_tree", args=[obj.course_id])
        return HttpResponseRedirect(f"{tree}#item-{obj.pk}")

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        return self._back_to_tree(request, obj, response)

    def response_change(self, request, obj):
        return self._back_to_tree(request, obj, super().response_change(request, obj))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["math_preview_url"] = reverse("admin:content_contentitem_math_preview")
        if obj is not None:
            context["preview_url"] = _preview_item_url(obj.pk)
        return super().render_change_form(request, context, add, change, form_url, obj)


def typed_item_admins(writes: ItemWrites) -> dict[type[ContentItem], type[TypedItemAdmin]]:
    """The admin of each content type, writing through `writes`, for the layer that registers
    them."""
    return {
        ITEM_CLASSES[content_type]: type(
            f"{ITEM_CLASSES[content_type].__name__}Admin",
            (TypedItemAdmin,),
            {"form": form, "writes": writes},
        )
        for content_type, form in EDITOR_FORMS.items()
    }


class ContentItemAdmin(_ItemDeletion, TenantScopedAdmin):
    """All content items of the user's courses; each opens in the editor of its type."""

    tenant_paths = COURSE_PATHS
    list_display = ("title", "type_label", "module", "course", "is_active", "preview")
    list_filter = ("content_type", "course", "is_active", RecycleBinFilter)
    list_select_related = ("module", "course")
    search_fields = ("title", "description")
    actions = ["restore_from_recycle_bin"]

    @admin.action(
        description=gettext_lazy("Restore selected items from the recycle bin"),
        permissions=["change"],
    )
    def restore_from_recycle_bin(self, request: HttpRequest, queryset: QuerySet[ContentItem]):
        restored = [
            content_item_restore(item=item)
            for item in queryset.filter(archived_at__isnull=False).order_by("pk")
        ]
        self.message_user(
            request,
            ngettext(
                "%(count)d item restored, inactive: activate it when it is ready.",
                "%(count)d items restored, inactive: activate them when they are ready.",
                len(restored),
            )
            % {"count": len(restored)},
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[ContentItem]:
        return super().get_queryset(request).non_polymorphic()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # items are added with the editor of their type

    @admin.display(description=gettext_lazy("Type"), ordering="content_type")
    def type_label(self, item: ContentItem) -> str:
        return item.get_content_type_display()

    @admin.display(description=gettext_lazy("Preview"))
    def preview(self, item: ContentItem) -> str:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            _preview_item_url(item.pk),
            _("Preview as student"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The admin's URL takes any text as the id: what is not one is missing too.
        item_id = parse_id(object_id)
        if item_id is None:
            raise Http404(_("No content item with that id."))
        item = get_object_or_404(self.get_queryset(request), pk=item_id)
        model = ITEM_CLASSES[item.content_type]
        return redirect(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", item.pk)

    def changelist_view(self, request, extra_context=None):
        add_links = [
            (cls._meta.verbose_name, reverse(f"admin:content_{cls._meta.model_name}_add"))
            for cls in ITEM_CLASSES.values()
            if self.admin_site.get_model_admin(cls).has_add_permission(request)
        ]
        extra_context = {**(extra_context or {}), "add_links": add_links}
        return super().changelist_view(request, extra_context)

    change_list_template = "admin/content/contentitem/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:item_id>/preview/",
                wrap(self.preview_view),
                name="content_contentitem_preview",
            ),
            path(
                "math-preview/",
                wrap(self.math_preview_view),
                name="content_contentitem_math_preview",
            ),
            path("<int:item_id>/move/", wrap(self.move_view), name="content_contentitem_move"),
            *super().get_urls(),
        ]

    def move_view(self, request: HttpRequest, item_id: int) -> HttpResponse:
        """Move an item: POST `module` (a module of the same course) and `position` (1-based
        among that module's items; empty for last)."""
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        item = get_object_or_404(self.get_queryset(request), pk=item_id)

        def reply(ok: bool, message: str, status: int = 200, moved: ContentItem = item):
            return tree_reply(
                self,
                request,
                course_id=item.course_id,
                anchor=f"item-{item.pk}",
                ok=ok,
                message=message,
                status=status,
                data={"module": moved.module_id, "sequence_index": moved.sequence_index},
            )

        if not self.has_change_permission(request, item):
            return reply(False, _("You may not reorder this course."), 403)
        module_id = parse_id(request.POST.get("module"))
        position_raw = request.POST.get("position", "")
        position = parse_int(position_raw) if position_raw else None
        if module_id is None or (position_raw and position is None):
            return reply(False, _("Say where the item goes."), 400)
        module = Module.objects.filter(pk=module_id, course_id=item.course_id).first()
        if module is None:
            return reply(False, _("An item can only move within its course."), 400)
        try:
            moved = self.writes.move(item=item, module=module, position=position)
        except ValidationError as error:
            return reply(False, " ".join(error.messages), 400)
        return reply(True, _("Moved “%(title)s”.") % {"title": moved.title}, moved=moved)

    def math_preview_view(self, request: HttpRequest) -> JsonResponse:
        """MathML for the LaTeX being typed in a text editor, through the same sanitising
        renderer students get."""
        if request.method != "POST":
            return JsonResponse({"ok": False, "message": _("Use POST.")}, status=405)
        if not self.has_view_permission(request):
            raise PermissionDenied
        latex = request.POST.get("latex", "")[:5000]
        mathml = latex_to_mathml(latex, display=request.POST.get("display") != "false")
        if mathml is None:
            return JsonResponse({"ok": False, "message": _("This formula cannot be displayed.")})
        return JsonResponse({"ok": True, "html": mathml})

    def preview_view(self, request: HttpRequest, item_id: int) -> HttpResponse:
        """The item as a student sees it in the player: nothing recorded, no enrollment."""
        item = get_object_or_404(self.get_queryset(request), pk=item_id)
        try:
            page = item_page(course_id=item.course_id, item_id=item.pk, include_hidden=False)
        except Http404:
            page = item_page(course_id=item.course_id, item_id=item.pk, include_hidden=True)
        assets = assets_linked(
            assets_for_university(
                ids=asset_ids(page.content_type, page.data), university_id=page.university_id
            ),
            lambda row: reverse("admin:content_asset_file", args=[row.id]),
        )
        body = render_item(
            page.content_type,
            page.data,
            RenderContext(assets=assets, time_zone=request.user.time_zone, title=page.title),
        )
        return TemplateResponse(
            request,
            "admin/content/preview.html",
            {
                "course": item.course,
                "item": page,
                "body": body,
                "crumbs": [c for c in page.ancestors if c.module_type != ModuleType.COURSE_ROOT],
                "previous_url": _preview_item_url(page.previous.id) if page.previous else None,
                "next_url": _preview_item_url(page.next.id) if page.next else None,
                "module_preview_url": reverse(
                    "admin:syllabus_module_preview", args=[page.module_id]
                ),
                "edit_url": reverse(
                    f"admin:content_{ITEM_CLASSES[page.content_type]._meta.model_name}_change",
                    args=[page.id],
                ),
            },
        )
