"""Module templates in the admin, with their layout edited as indented text
(content.layouts). The admin class is registered by the staff layer, which composes the
syllabus and content admins.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.layouts import MODULE_TYPES, layout_from_text, layout_to_text
from content.models import ContentType
from content.services import module_template_save
from syllabus.admin import ModuleTemplateAdmin
from syllabus.models import ModuleTemplate, ModuleType
from tenancy.access import staff_university_ids, tenant_scope
from tenancy.models import University

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
