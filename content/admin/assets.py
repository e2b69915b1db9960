"""The asset library in the admin: uploads, licences and where each asset is used."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.models import Asset, AssetType
from content.selectors import asset_file_name
from content.services import asset_upload
from lms.media import stored_file_response
from tenancy.access import staff_university_ids, tenant_scope

# Asset library -----------------------------------------------------------------------------


def assets_for_staff(user) -> QuerySet[Asset]:
    """The assets the user may pick: their universities' and the platform-wide ones."""
    universities = staff_university_ids(user)
    assets = Asset.objects.all()
    if universities is None:
        return assets
    return assets.filter(Q(university_id__in=universities) | Q(university__isnull=True))


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
