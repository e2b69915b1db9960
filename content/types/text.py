"""Text: a rich-text page of paragraphs, formulas, images and link lists."""

from typing import Any

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from content.markup.mathml import latex_to_mathml, mathml_html
from content.markup.policy import safe_url
from content.models import (
    Asset,
    AssetType,
    TextItem,
)
from content.types.base import (
    NON_EMPTY,
    POSITIVE_INT,
    URL,
    ContentTypeDefinition,
    RenderContext,
    link_data,
    paragraphs,
    render_template,
)
from content.types.editing import (
    ItemEditorForm,
    RowForm,
    row_formset,
    safe_payload_url,
)

BLOCK_SCHEMA = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"enum": ["paragraph", "math", "image", "link_list"]}},
    "allOf": [
        {
            "if": {"properties": {"type": {"const": "paragraph"}}},
            "then": {
                "required": ["text"],
                "properties": {"type": True, "text": NON_EMPTY},
                "additionalProperties": False,
            },
        },
        {
            "if": {"properties": {"type": {"const": "math"}}},
            "then": {
                "required": ["latex"],
                "properties": {"type": True, "latex": NON_EMPTY, "display": {"type": "boolean"}},
                "additionalProperties": False,
            },
        },
        {
            "if": {"properties": {"type": {"const": "image"}}},
            "then": {
                "required": ["asset_id"],
                "properties": {
                    "type": True,
                    "asset_id": POSITIVE_INT,
                    "caption": {"type": "string"},
                    "alt": {"type": "string"},
                },
                "additionalProperties": False,
            },
        },
        {
            "if": {"properties": {"type": {"const": "link_list"}}},
            "then": {
                "required": ["items"],
                "properties": {
                    "type": True,
                    "items": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["label", "url"],
                            "properties": {"label": NON_EMPTY, "url": URL},
                            "additionalProperties": False,
                        },
                    },
                },
                "additionalProperties": False,
            },
        },
    ],
}

SCHEMA = {
    "type": "object",
    "required": ["layout", "blocks"],
    "properties": {
        "layout": {"enum": ["rich_text_v1"]},
        "title": {"type": "string"},
        "blocks": {"type": "array", "minItems": 1, "items": BLOCK_SCHEMA},
    },
    "additionalProperties": False,
}

DRAFT = {"layout": "rich_text_v1", "blocks": [{"type": "paragraph", "text": "To be written."}]}


def _math_block(block: dict[str, Any]) -> dict[str, Any]:
    latex = str(block.get("latex", ""))
    display = block.get("display", True) is not False
    return {
        "kind": "math",
        "latex": latex,
        "display": display,
        "mathml": mathml_html(latex, display=display),
    }


def _image_block(block: dict[str, Any], ctx: RenderContext) -> dict[str, Any]:
    asset = ctx.assets.get(block.get("asset_id") or 0)
    url = safe_url(asset.url) if asset is not None else None
    if asset is None or url is None:
        return {"kind": "image", "url": None}
    meta = asset.meta or {}
    width, height = meta.get("width"), meta.get("height")
    sized = isinstance(width, int) and isinstance(height, int)
    return {
        "kind": "image",
        "url": url,
        "alt": block.get("alt") or meta.get("alt") or "",
        "size": (str(width), str(height)) if sized else None,
        "caption": block.get("caption"),
    }


def _link_list_block(block: dict[str, Any]) -> dict[str, Any]:
    links = [
        link_data(url, item.get("label") or url)
        for item in block.get("items") or []
        if (url := safe_url(item.get("url")))
    ]
    return {"kind": "link_list", "links": links}


def render_text(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    blocks = []
    for block in data.get("blocks") or []:
        kind = block.get("type")
        if kind == "paragraph":
            blocks.append({"kind": kind, "paragraphs": paragraphs(str(block.get("text", "")))})
        elif kind == "math":
            blocks.append(_math_block(block))
        elif kind == "image":
            blocks.append(_image_block(block, ctx))
        elif kind == "link_list":
            blocks.append(_link_list_block(block))
    subtitle = data.get("title")
    context = {"subtitle": subtitle if subtitle != ctx.title else None, "blocks": blocks}
    return render_template("text", context)


def asset_ids(data: dict[str, Any]) -> set[int]:
    blocks = data.get("blocks")
    if not isinstance(blocks, list):
        return set()
    return {
        b["asset_id"]
        for b in blocks
        if isinstance(b, dict) and b.get("type") == "image" and isinstance(b.get("asset_id"), int)
    }


def with_asset_ids(data: dict[str, Any], mapping: dict[int, int]) -> dict[str, Any]:
    if not isinstance(data.get("blocks"), list):
        return data
    blocks = [
        {**b, "asset_id": mapping[b["asset_id"]]}
        if isinstance(b, dict) and b.get("type") == "image" and b.get("asset_id") in mapping
        else b
        for b in data["blocks"]
    ]
    return {**data, "blocks": blocks}


# Editor ----------------------------------------------------------------------------------


class TextBlockForm(RowForm):
    type = forms.ChoiceField(
        label=gettext_lazy("Block"),
        choices=[
            ("paragraph", gettext_lazy("Paragraph")),
            ("math", gettext_lazy("Math (LaTeX)")),
            ("image", gettext_lazy("Image")),
            ("link_list", gettext_lazy("Link list")),
        ],
        initial="paragraph",
        widget=forms.Select(attrs={"class": "block-type"}),
    )
    text = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-for": "paragraph"}),
    )
    latex = forms.CharField(
        label=gettext_lazy("LaTeX"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-for": "math", "class": "latex-input"}),
    )
    display = forms.BooleanField(
        label=gettext_lazy("Display on its own line"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"data-for": "math"}),
    )
    asset = forms.ModelChoiceField(
        label=gettext_lazy("Image"),
        queryset=Asset.objects.none(),
        required=False,
        widget=forms.Select(attrs={"data-for": "image"}),
    )
    caption = forms.CharField(
        label=gettext_lazy("Caption"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"data-for": "image"}),
    )
    alt = forms.CharField(
        label=gettext_lazy("Alternative text"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Empty: the image's alt text from the asset library."),
        widget=forms.TextInput(attrs={"data-for": "image"}),
    )
    links = forms.CharField(
        label=gettext_lazy("Links"),
        required=False,
        help_text=gettext_lazy("One link per line: Label | https://example.edu/page"),
        widget=forms.Textarea(attrs={"rows": 3, "data-for": "link_list"}),
    )

    payload_fields = {
        "text": "text",
        "latex": "latex",
        "display": "display",
        "asset_id": "asset",
        "caption": "caption",
        "alt": "alt",
        "items": "links",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = self.assets.filter(asset_type=AssetType.IMAGE)

    @classmethod
    def initial_from(cls, entry):
        initial = dict(entry)
        initial["asset"] = entry.get("asset_id")
        if entry.get("type") == "math":
            initial["display"] = entry.get("display", True) is not False
        if isinstance(entry.get("items"), list):
            initial["links"] = "\n".join(
                f"{link.get('label', '')} | {link.get('url', '')}" for link in entry["items"]
            )
        return initial

    def clean_links(self):
        links = []
        for number, line in enumerate(self.cleaned_data.get("links", "").splitlines(), 1):
            if not line.strip():
                continue
            label, sep, url = line.rpartition("|")
            label, url = label.strip(), url.strip()
            if not sep or not label or not url:
                raise forms.ValidationError(
                    gettext_lazy("Line %(n)s: write the label, a | and the address.")
                    % {"n": number}
                )
            try:
                safe_payload_url(url)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    gettext_lazy("Line %(n)s: %(problem)s")
                    % {"n": number, "problem": error.messages[0]}
                ) from None
            links.append({"label": label, "url": url})
        return links

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("type")
        required = {"paragraph": "text", "math": "latex", "image": "asset", "link_list": "links"}
        field = required.get(kind)
        if field and not cleaned.get(field) and field not in self.errors:
            self.add_error(field, gettext_lazy("This block needs this."))
        latex = cleaned.get("latex")
        if kind == "math" and latex and latex_to_mathml(latex) is None:
            self.add_error(
                "latex", gettext_lazy("This formula cannot be displayed; check the LaTeX.")
            )
        return cleaned

    def row(self):
        c = self.cleaned_data
        kind = c["type"]
        if kind == "paragraph":
            return {"type": kind, "text": c["text"]}
        if kind == "math":
            return {"type": kind, "latex": c["latex"], "display": bool(c["display"])}
        if kind == "image":
            block = {"type": kind, "asset_id": c["asset"].pk if c.get("asset") else None}
            block.update({k: c[k] for k in ("caption", "alt") if c.get(k)})
            return block
        return {"type": kind, "items": c["links"]}


class TextEditorForm(ItemEditorForm):
    subtitle = forms.CharField(
        label=gettext_lazy("Heading inside the page"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Shown above the blocks when it differs from the item title."),
    )
    payload_fields = {"title": "subtitle"}
    row_formsets = {"blocks": row_formset(TextBlockForm, min_num=1)}
    row_labels = {"blocks": gettext_lazy("Blocks")}

    class Meta(ItemEditorForm.Meta):
        model = TextItem

    def build_payload(self, cleaned, rows):
        payload: dict[str, Any] = {"layout": "rich_text_v1"}
        if cleaned.get("subtitle"):
            payload["title"] = cleaned["subtitle"]
        payload["blocks"] = rows["blocks"]
        return payload


DEFINITION = ContentTypeDefinition(
    editor=TextEditorForm,
    name="text",
    schema=SCHEMA,
    draft=DRAFT,
    render=render_text,
    asset_ids=asset_ids,
    with_asset_ids=with_asset_ids,
)
