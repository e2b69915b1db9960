"""Course pictures: an image of the course's own university's library, with its alternative
text, chosen by the course's staff."""

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from catalog.scoping import paths_via_course
from content.admin.assets import assets_for_staff
from content.models import AssetType, CourseImage
from content.services import course_image_errors, course_image_set
from tenancy.scoping import TenantScopedAdmin


class CourseImageForm(forms.ModelForm):
    class Meta:
        model = CourseImage
        fields = ("course", "asset", "alt_text")

    def clean(self):
        data = super().clean()
        course, asset = data.get("course") or self.instance_course(), data.get("asset")
        if course is not None and asset is not None:
            errors = course_image_errors(
                course=course, asset=asset, alt_text=data.get("alt_text") or ""
            )
            for field, message in errors.items():
                self.add_error(field, message)
        return data

    def instance_course(self):
        return self.instance.course if self.instance.pk else None


@admin.register(CourseImage)
class CourseImageAdmin(TenantScopedAdmin):
    tenant_paths = paths_via_course("course")
    form = CourseImageForm
    list_display = ("course", "asset", "alt_text")
    list_select_related = ("course", "asset")
    search_fields = ("course__code", "course__title", "alt_text")

    def get_readonly_fields(self, request, obj=None):
        # A picture belongs to its course: choose another course's picture there.
        return ("course",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "asset" and field is not None:
            images: QuerySet = assets_for_staff(request.user).filter(
                asset_type=AssetType.IMAGE, university__isnull=False
            )
            field.queryset = images
        return field

    def save_model(self, request, obj, form, change):
        saved = course_image_set(
            course=obj.course, asset=form.cleaned_data["asset"], alt_text=obj.alt_text
        )
        obj.pk, obj.created_at, obj.updated_at = saved.pk, saved.created_at, saved.updated_at
