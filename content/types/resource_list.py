"""Resource list: links to PDFs, articles and videos elsewhere."""

from typing import Any

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.markup.policy import safe_url
from content.models import (
    ResourceItem,
)
from content.types.base import (
    NON_EMPTY,
    URL,
    ContentTypeDefinition,
    RenderContext,
    link_data,
    render_template,
)
from content.types.editing import (
    ItemEditorForm,
    RowForm,
    row_formset,
    url_field,
)

SCHEMA = {
    "type": "object",
    "required": ["resources"],
    "properties": {
        "resources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["label", "url", "kind"],
                "properties": {
                    "label": NON_EMPTY,
                    "url": URL,
                    "kind": {"enum": ["pdf", "article", "video"]},
                },
                "additionalProperties": False,
            },
        }
    },
    "additionalProperties": False,
}

DRAFT = {"resources": [{"label": "To be chosen", "url": "https://example.org/", "kind": "article"}]}


def render_resource(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    kinds = {"pdf": _("PDF"), "article": _("Article"), "video": _("Video")}
    resources = []
    for res in data.get("resources") or []:
        url = safe_url(res.get("url"))
        if url is None:
            continue
        kind = res.get("kind", "")
        resources.append(
            {
                "kind": kind,
                "kind_label": kinds.get(kind, kind),
                "link": link_data(url, res.get("label") or url),
            }
        )
    return render_template("resource_list", {"resources": resources})


# Editor ----------------------------------------------------------------------------------


class ResourceRowForm(RowForm):
    label = forms.CharField(label=gettext_lazy("Label"), max_length=255)
    url = url_field(label=gettext_lazy("Address"))
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[
            ("pdf", "PDF"),
            ("article", gettext_lazy("Article")),
            ("video", gettext_lazy("Video")),
        ],
    )
    payload_fields = {"label": "label", "url": "url", "kind": "kind"}


class ResourceEditorForm(ItemEditorForm):
    row_formsets = {"resources": row_formset(ResourceRowForm, min_num=1)}
    row_labels = {"resources": gettext_lazy("Resources")}

    class Meta(ItemEditorForm.Meta):
        model = ResourceItem

    def build_payload(self, cleaned, rows):
        return {"resources": rows["resources"]}


DEFINITION = ContentTypeDefinition(
    editor=ResourceEditorForm, name="resource", schema=SCHEMA, draft=DRAFT, render=render_resource
)
