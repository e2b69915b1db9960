"""Text: a rich-text page of paragraphs, formulas, images and link lists."""

from typing import Any

from django.utils.safestring import SafeString

from content.markup.mathml import mathml_html
from content.markup.policy import safe_url
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


DEFINITION = ContentTypeDefinition(
    name="text",
    schema=SCHEMA,
    draft=DRAFT,
    render=render_text,
    asset_ids=asset_ids,
    with_asset_ids=with_asset_ids,
)
