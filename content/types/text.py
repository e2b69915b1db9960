"""Text: a rich-text page of paragraphs, formulas, images and link lists."""

from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from content.markup.mathml import latex_to_mathml
from content.markup.policy import safe_url
from content.types.base import (
    NON_EMPTY,
    POSITIVE_INT,
    URL,
    ContentTypeDefinition,
    RenderContext,
    e,
    link,
    text_paragraphs,
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


def _math_block(block: dict[str, Any]) -> str:
    latex = str(block.get("latex", ""))
    display = block.get("display", True) is not False
    mathml = latex_to_mathml(latex, display=display)
    if mathml is None:
        return (
            f'<div class="math-error"><code>{e(latex)}</code>'
            f'<p class="muted small">{e(_("This formula could not be displayed."))}</p></div>'
        )
    return f'<div class="math-block">{mathml}</div>' if display else f"<p>{mathml}</p>"


def _image_block(block: dict[str, Any], ctx: RenderContext) -> str:
    asset = ctx.assets.get(block.get("asset_id") or 0)
    url = safe_url(asset.url) if asset is not None else None
    if asset is None or url is None:
        return f'<p class="notice">{e(_("This image is not available."))}</p>'
    alt = block.get("alt") or (asset.meta or {}).get("alt") or ""
    size = ""
    width, height = (asset.meta or {}).get("width"), (asset.meta or {}).get("height")
    if isinstance(width, int) and isinstance(height, int):
        size = f' width="{width}" height="{height}"'
    caption = block.get("caption")
    figcaption = f"<figcaption>{e(caption)}</figcaption>" if caption else ""
    return (
        f'<figure class="figure"><img src="{e(url)}" alt="{e(alt)}"{size} loading="lazy">'
        f"{figcaption}</figure>"
    )


def _link_list_block(block: dict[str, Any]) -> str:
    links = [
        f"<li>{link(url, item.get('label') or url)}</li>"
        for item in block.get("items") or []
        if (url := safe_url(item.get("url")))
    ]
    return f'<ul class="link-list">{"".join(links)}</ul>' if links else ""


def render_text(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    parts = []
    subtitle = data.get("title")
    if subtitle and subtitle != ctx.title:
        parts.append(f"<h2>{e(subtitle)}</h2>")
    for block in data.get("blocks") or []:
        kind = block.get("type")
        if kind == "paragraph":
            parts.append(text_paragraphs(str(block.get("text", ""))))
        elif kind == "math":
            parts.append(_math_block(block))
        elif kind == "image":
            parts.append(_image_block(block, ctx))
        elif kind == "link_list":
            parts.append(_link_list_block(block))
    return mark_safe(f'<div class="prose">{"".join(parts)}</div>')


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


DEFINITION = ContentTypeDefinition(
    name="text",
    schema=SCHEMA,
    draft=DRAFT,
    render=render_text,
    asset_ids=asset_ids,
    with_asset_ids=with_asset_ids,
)
