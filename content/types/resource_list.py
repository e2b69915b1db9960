"""Resource list: links to PDFs, articles and videos elsewhere."""

from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from content.markup.policy import safe_url
from content.types.base import (
    NON_EMPTY,
    URL,
    ContentTypeDefinition,
    RenderContext,
    link_data,
    render_template,
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


DEFINITION = ContentTypeDefinition(
    name="resource", schema=SCHEMA, draft=DRAFT, render=render_resource
)
