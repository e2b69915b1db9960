"""Content authoring in the admin: typed editors per content type, the asset library, and the
parts of syllabus authoring that involve content (templates, copying a syllabus, previews).

Items are edited through the form of their type (content.types) and saved through
content.services, so the stored payload is always valid. The module admin registered here
extends syllabus.admin.ModuleAdmin: syllabus sits below content and cannot import it. Copying a
syllabus involves question pools and lab files, so its page is added by assessments.admin.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from catalog.models import Course
from content.archive import (
    content_item_remove,
    content_item_restore,
    holds_student_work,
    module_remove,
    module_restore,
)
from content.layouts import MODULE_TYPES, layout_from_text, layout_to_text
from content.markup.mathml import latex_to_mathml
from content.models import ITEM_CLASSES, Asset, AssetType, ContentItem, ContentType
from content.rendering import asset_ids, render_item, render_outline
from content.selectors import (
    asset_file_name,
    assets_for_university,
    assets_linked,
    course_outline,
    item_page,
    outline_items,
)
from content.services import (
    asset_upload,
    content_item_create,
    content_item_move,
    content_item_update,
    module_from_template,
    module_template_save,
    template_from_subtree,
)
from content.types import EDITOR_FORMS
from content.types.base import RenderContext
from content.types.editing import ItemEditorForm
from lms.input import parse_id, parse_int
from lms.media import stored_file_response
from syllabus.admin import (
    COURSE_PATHS,
    ModuleAdmin,
    ModuleTemplateAdmin,
    as_module_tree_choices,
    tree_reply,
)
from syllabus.models import Module, ModuleTemplate, ModuleType
from syllabus.selectors import templates_for_university
from tenancy.access import staff_university_ids, tenant_scope
from tenancy.models import University
from tenancy.scoping import TenantScopedAdmin

# Preview -----------------------------------------------------------------------------------


def _preview_item_url(item_id: int) -> str:
    return reverse("admin:content_contentitem_preview", args=[item_id])


def _preview_outline(course_id: int, module: Module | None) -> tuple[str, bool]:
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


def assets_for_staff(user) -> QuerySet[Asset]:
    """The assets the user may pick: their universities' and the platform-wide ones."""
    universities = staff_university_ids(user)
    assets = Asset.objects.all()
    if universities is None:
        return assets
    return assets.filter(Q(university_id__in=universities) | Q(university__isnull=True))


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


def _report_archived(model_admin, request: HttpRequest, archived: int) -> None:
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


class _ArchivingDeletion:
    """The delete confirmation of rows that are archived when they hold students' work: the
    work is not deleted, so deleting it needs no permission (staff may only view it)."""

    holds_work: Callable[[Any], bool]  # each admin says what of its rows holds students' work

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if perms_needed and self.holds_work(objs):
            perms_needed = set()
        return deleted, counts, perms_needed, protected


class _ItemDeletion(_ArchivingDeletion):
    """Deleting items goes through content.archive: an item holding students' work is
    archived, any other is deleted by content_item_delete, which locks the course, closes the
    gap in the module's numbering and lets learners' module progress follow."""

    def holds_work(self, objs) -> bool:
        return holds_student_work(item_ids=[obj.pk for obj in objs])

    def delete_model(self, request: HttpRequest, obj: ContentItem) -> None:
        _report_archived(self, request, int(content_item_remove(item=obj)))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ContentItem]) -> None:
        with transaction.atomic():
            archived = [
                content_item_remove(item=item) for item in queryset.non_polymorphic().order_by("pk")
            ]
        _report_archived(self, request, sum(archived))


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
            content_item_update(item=obj, **fields)
            return
        created = content_item_create(
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


for _content_type, _form in EDITOR_FORMS.items():
    admin.site.register(
        ITEM_CLASSES[_content_type],
        type(f"{ITEM_CLASSES[_content_type].__name__}Admin", (TypedItemAdmin,), {"form": _form}),
    )


@admin.register(ContentItem)
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
            moved = content_item_move(item=item, module=module, position=position)
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


# Asset library -----------------------------------------------------------------------------


class AssetUploadForm(forms.ModelForm):
    file = forms.FileField(label=gettext_lazy("File"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255, required=False)
    alt = forms.CharField(
        label=gettext_lazy("Alternative text"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("What the image shows, for readers who cannot see it."),
    )
    licence = forms.CharField(label=gettext_lazy("Licence"), max_length=255, required=False)

    class Meta:
        model = Asset
        fields = ("university",)


class AssetChangeForm(forms.ModelForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255, required=False)
    alt = forms.CharField(label=gettext_lazy("Alternative text"), max_length=500, required=False)
    licence = forms.CharField(label=gettext_lazy("Licence"), max_length=255, required=False)
    meta_keys = ("title", "alt", "licence")

    class Meta:
        model = Asset
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meta = self.instance.meta_json or {}
        for key in self.meta_keys:
            self.initial.setdefault(key, meta.get(key, ""))

    def save(self, commit=True):
        meta = dict(self.instance.meta_json or {})
        for key in self.meta_keys:
            if self.cleaned_data.get(key):
                meta[key] = self.cleaned_data[key]
            else:
                meta.pop(key, None)
        self.instance.meta_json = meta
        return super().save(commit)


class LicenceFilter(admin.SimpleListFilter):
    title = gettext_lazy("licence")
    parameter_name = "licence"

    def lookups(self, request, model_admin):
        licences = (
            model_admin.get_queryset(request)
            .exclude(meta_json__licence=None)
            .values_list("meta_json__licence", flat=True)
            .distinct()
        )
        return [(value, value) for value in sorted({str(v) for v in licences if v})]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(meta_json__licence=self.value())
        return queryset


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    """The media library: upload, thumbnails for images, search by type and metadata.

    A university's library is shared by all its staff, so the scope here is the universities
    where the user holds any staff role (not the tenant scoping of course data, which would
    leave instructors without images). They also see the platform-wide assets (no
    university), which only platform admins change.
    """

    list_display = ("thumbnail", "label", "asset_type", "dimensions", "licence", "university")
    list_display_links = ("thumbnail", "label")
    list_filter = ("asset_type", LicenceFilter)
    search_fields = (
        "url",
        "meta_json__title",
        "meta_json__alt",
        "meta_json__licence",
        "meta_json__filename",
    )
    readonly_fields = ("preview_image", "address", "asset_type", "university", "facts")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Asset]:
        return assets_for_staff(request.user).select_related("university")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:asset_id>/file/", wrap(self.file_view), name="content_asset_file"),
            path(
                "<int:asset_id>/thumbnail/",
                wrap(self.file_view),
                {"thumbnail": True},
                name="content_asset_thumbnail",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request: HttpRequest, asset_id: int, thumbnail: bool = False):
        """The uploaded file (or its thumbnail) for staff whose library holds the asset; the
        same 404 for a missing asset, another university's and one without a stored file."""
        if not self.has_view_permission(request):
            raise Http404(_("No asset with that id."))
        asset = get_object_or_404(self.get_queryset(request), pk=asset_id)
        meta = asset.meta_json or {}
        name = asset_file_name(url=asset.url, meta=meta, thumbnail=thumbnail)
        if name is None:
            raise Http404(_("No asset with that id."))
        filename = "thumbnail.png" if thumbnail else meta.get("filename")
        return stored_file_response(request, name, filename=filename)

    def _file_url(self, asset: Asset, *, thumbnail: bool = False) -> str | None:
        """The address staff open an asset at: the checked view for uploads, the asset's own
        address for files stored elsewhere (static files, other sites)."""
        meta = asset.meta_json or {}
        if asset_file_name(url=asset.url, meta=meta, thumbnail=thumbnail) is None:
            return None if thumbnail else asset.url
        view = "admin:content_asset_thumbnail" if thumbnail else "admin:content_asset_file"
        return reverse(view, args=[asset.pk])

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No asset with that id."))
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = AssetChangeForm if obj is not None else AssetUploadForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("file", "university", "title", "alt", "licence")
        return (
            "preview_image",
            "address",
            "asset_type",
            "university",
            "facts",
            "title",
            "alt",
            "licence",
        )

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "university" and field is not None:
            universities = staff_university_ids(request.user)
            if universities is not None:
                field.queryset = field.queryset.filter(pk__in=universities)
                field.required = True
        return field

    def _editable(self, request, obj) -> bool:
        return obj is None or obj.university_id is not None or tenant_scope(request.user).everything

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        data = form.cleaned_data
        meta = {k: data[k] for k in ("title", "alt", "licence") if data.get(k)}
        university = data.get("university")
        try:
            created = asset_upload(
                university_id=university.pk if university else None, upload=data["file"], meta=meta
            )
        except ValidationError as error:
            # Raised after the form validated (an unreadable image): roll back, say why.
            transaction.set_rollback(True)
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            raise _UploadRefused from error
        obj.pk, obj.url, obj.asset_type = created.pk, created.url, created.asset_type
        obj.meta_json = created.meta_json

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except _UploadRefused:
            return HttpResponseRedirect(request.get_full_path())

    @admin.display(description=gettext_lazy("Preview"))
    def thumbnail(self, asset: Asset) -> str:
        thumb = self._file_url(asset, thumbnail=True)
        if not thumb:
            return asset.get_asset_type_display()
        return format_html('<img src="{}" alt="" class="asset-thumbnail">', thumb)

    @admin.display(description=gettext_lazy("Preview"))
    def preview_image(self, asset: Asset) -> str:
        meta = asset.meta_json or {}
        url = self._file_url(asset)
        if asset.asset_type != AssetType.IMAGE:
            return format_html('<a href="{}">{}</a>', url, _("Open the file"))
        return format_html(
            '<img src="{}" alt="{}" class="asset-thumbnail">',
            self._file_url(asset, thumbnail=True) or url,
            meta.get("alt", ""),
        )

    @admin.display(description=gettext_lazy("Address"))
    def address(self, asset: Asset) -> str:
        """Where staff open the file: for an upload, the checked view (the stored /media/
        address serves nothing, so showing it would only invite broken links)."""
        url = self._file_url(asset)
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description=gettext_lazy("Name"))
    def label(self, asset: Asset) -> str:
        meta = asset.meta_json or {}
        return meta.get("title") or meta.get("filename") or asset.url.rsplit("/", 1)[-1]

    @admin.display(description=gettext_lazy("Size"))
    def dimensions(self, asset: Asset) -> str:
        meta = asset.meta_json or {}
        if meta.get("width") and meta.get("height"):
            return f"{meta['width']} x {meta['height']}"
        return ""

    @admin.display(description=gettext_lazy("Licence"))
    def licence(self, asset: Asset) -> str:
        return (asset.meta_json or {}).get("licence", "")

    @admin.display(description=gettext_lazy("File facts"))
    def facts(self, asset: Asset) -> str:
        meta = asset.meta_json or {}
        keys = ("filename", "content_type", "size", "width", "height")
        return ", ".join(f"{k}: {meta[k]}" for k in keys if meta.get(k) not in (None, ""))


class _UploadRefused(Exception):
    pass


# Module templates ------------------------------------------------------------------------------

LAYOUT_HELP = gettext_lazy(
    "One line per module or item; indent (two spaces) what belongs to a module. "
    "“module <type>: Title” adds a module (types: %(modules)s), "
    "“item <type>: Title” an item (types: %(items)s). "
    "Items without content yet are created as inactive drafts to fill in."
)


class ModuleTemplateForm(forms.ModelForm):
    """A template with its layout as indented text (content.layouts), never JSON."""

    layout = forms.CharField(
        label=gettext_lazy("Layout"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 14, "class": "layout-text", "spellcheck": "false", "wrap": "off"}
        ),
    )

    class Meta:
        model = ModuleTemplate
        fields = ("title", "template_type", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "layout" in self.fields:
            self.fields["layout"].help_text = LAYOUT_HELP % {
                "modules": ", ".join(MODULE_TYPES),
                "items": ", ".join(ContentType.values),
            }
            self.fields["layout"].widget.attrs["placeholder"] = (
                "module lesson: Getting started\n  item text: Welcome\n  item quiz: Check yourself"
            )
            self.initial.setdefault("layout", layout_to_text(self.instance.default_data))
        if "template_type" in self.fields:
            field = self.fields["template_type"]
            field.choices = [c for c in field.choices if c[0] != ModuleType.COURSE_ROOT]

    def clean_layout(self) -> str:
        text = self.cleaned_data["layout"]
        try:
            self.layout_data = layout_from_text(text, previous=self.instance.default_data)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return text


class AuthoringModuleTemplateAdmin(ModuleTemplateAdmin):
    form = ModuleTemplateForm
    fields = ("title", "template_type", "description", "layout")
    readonly_fields = ()

    def _owner_choices(self, request: HttpRequest) -> QuerySet[University] | None:
        """The universities a new template may belong to, when there is a choice: any (or
        none, platform-wide) for platform admins, the user's own when they are staff of
        several; None when the template simply belongs to the user's one university."""
        universities = staff_university_ids(request.user)
        if universities is None:
            return University.objects.order_by("name")
        if len(universities) > 1:
            return University.objects.filter(pk__in=universities).order_by("name")
        return None

    def get_fields(self, request: HttpRequest, obj: ModuleTemplate | None = None):
        fields = super().get_fields(request, obj)
        if obj is None and self._owner_choices(request) is not None:
            return ("university", *fields)
        return fields

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        choices = self._owner_choices(request) if obj is None else None
        if choices is not None and "university" in form.base_fields:
            field = form.base_fields["university"]
            field.queryset = choices
            platform = tenant_scope(request.user).everything
            field.required = not platform
            field.empty_label = _("Every university") if platform else "---------"
        return form

    @admin.display(description=gettext_lazy("Layout"))
    def layout(self, template: ModuleTemplate) -> str:
        """Shown to those who may only look (templates are shared by every university)."""
        return format_html("<pre>{}</pre>", layout_to_text(template.default_data) or _("(empty)"))

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        owner = None
        if "university" in data:
            owner = data["university"].pk if data["university"] else None
        elif not change:
            universities = staff_university_ids(request.user) or set()
            if len(universities) != 1:
                raise PermissionDenied
            (owner,) = universities
        saved = module_template_save(
            template=obj if change else None,
            title=data["title"],
            template_type=data["template_type"],
            description=data.get("description"),
            layout=form.layout_data,
            university_id=owner,
        )
        obj.pk, obj.default_data = saved.pk, saved.default_data


admin.site.unregister(ModuleTemplate)
admin.site.register(ModuleTemplate, AuthoringModuleTemplateAdmin)


# Modules, with what involves content -------------------------------------------------------


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


class SaveTemplateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Template title"), max_length=255)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AuthoringModuleAdmin(_ArchivingDeletion, ModuleAdmin):
    actions = [*ModuleAdmin.actions, "save_as_template", "restore_from_recycle_bin"]
    list_filter = (*ModuleAdmin.list_filter, RecycleBinFilter)

    def holds_work(self, objs) -> bool:
        subtree = Module.objects.none()
        for module in objs:
            subtree |= module.get_descendants(include_self=True)
        module_ids = list(subtree.values_list("pk", flat=True))
        items = ContentItem.objects.filter(module_id__in=module_ids).values_list("pk", flat=True)
        return holds_student_work(item_ids=list(items), module_ids=module_ids)

    def delete_model(self, request: HttpRequest, obj: Module) -> None:
        _report_archived(self, request, int(module_remove(module=obj)))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Module]) -> None:
        archived = 0
        with transaction.atomic():
            for pk in queryset.order_by("-depth").values_list("pk", flat=True):
                module = Module.objects.filter(pk=pk).first()
                if module is not None:  # gone already with an ancestor
                    archived += module_remove(module=module)
        _report_archived(self, request, archived)

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
        """Add the template under `parent`; the admin registered above content (which copies
        or strips the question pools its quizzes name) replaces this."""
        return module_from_template(template=template, parent=parent, title=title)

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
        outline_html, visible = _preview_outline(module.course_id, module)
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


admin.site.unregister(Module)
admin.site.register(Module, AuthoringModuleAdmin)
