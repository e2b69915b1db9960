"""What the rendering tests share: hostile markup, text payloads and the context a renderer gets."""

from content.types.base import RenderContext

XSS = "<script>alert(1)</script>"


def text(*blocks, title=None):
    payload = {"layout": "rich_text_v1", "blocks": list(blocks)}
    if title is not None:
        payload["title"] = title
    return payload


def ctx(**kwargs):
    return RenderContext(**kwargs)
