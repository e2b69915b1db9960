"""Rubrics in the admin: a course's rubrics with their criteria, each criterion with its levels,
and which lab or assignment is graded with which rubric; all scoped to the courses a member of
staff teaches or administers. Attaching goes through the rubric service, which refuses another
course's rubric."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from assessments.rubrics.models import Rubric, RubricAttachment, RubricCriterion, RubricLevel
from assessments.rubrics.services import attach_refusal, rubric_attach
from catalog.scoping import paths_via_course
from tenancy.auth import ALL, VIEW, register_role_permissions
from tenancy.models import Role
from tenancy.scoping import TenantScopedAdmin, TenantScopedTabularInline

for _model in ("rubric", "rubriccriterion", "rubriclevel", "rubricattachment"):
    register_role_permissions(
        "assessments",
        _model,
        {
            **{r: ALL for r in (Role.UNIVERSITY_ADMIN, Role.DEPARTMENT_ADMIN, Role.INSTRUCTOR)},
            Role.TA: VIEW,
        },
    )


class CriterionInline(TenantScopedTabularInline):
    model = RubricCriterion
    tenant_paths = paths_via_course("rubric__course")
    fields = ("position", "title", "description")
    show_change_link = True
    extra = 3


@admin.register(Rubric)
class RubricAdmin(TenantScopedAdmin):
    tenant_paths = paths_via_course("course")
    list_display = ("title", "course", "criterion_count")
    list_select_related = ("course",)
    search_fields = ("title", "course__code", "course__title")
    autocomplete_fields = ("course",)
    fields = ("course", "title", "description")
    inlines = (CriterionInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(criterion_count=Count("criteria"))

    @admin.display(description=_("criteria"), ordering="criterion_count")
    def criterion_count(self, rubric: Rubric) -> int:
        return rubric.criterion_count


class LevelInline(TenantScopedTabularInline):
    model = RubricLevel
    tenant_paths = paths_via_course("criterion__rubric__course")
    fields = ("position", "title", "description", "points")
    extra = 4


@admin.register(RubricCriterion)
class RubricCriterionAdmin(TenantScopedAdmin):
    tenant_paths = paths_via_course("rubric__course")
    list_display = ("title", "rubric", "position")
    list_select_related = ("rubric",)
    search_fields = ("title", "rubric__title")
    autocomplete_fields = ("rubric",)
    fields = ("rubric", "position", "title", "description")
    inlines = (LevelInline,)


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = RubricAttachment
        fields = ("content_item", "rubric")

    def clean(self):
        data = super().clean()
        item, rubric = data.get("content_item"), data.get("rubric")
        if item is not None and rubric is not None:
            refusal = attach_refusal(item=item, rubric=rubric)
            if refusal:
                raise ValidationError(refusal)
        return data


@admin.register(RubricAttachment)
class RubricAttachmentAdmin(TenantScopedAdmin):
    tenant_paths = paths_via_course("rubric__course")
    form = AttachmentForm
    list_display = ("content_item", "rubric")
    list_select_related = ("content_item", "rubric")
    autocomplete_fields = ("content_item", "rubric")

    def save_model(self, request, obj, form, change) -> None:
        rubric_attach(item=obj.content_item, rubric=obj.rubric)
