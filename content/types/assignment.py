"""Assignment: instructions, a due date and the ways a learner may hand in work."""

from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from content.types.base import (
    NON_EMPTY,
    ContentTypeDefinition,
    RenderContext,
    paragraphs,
    render_template,
    time_element,
)

SCHEMA = {
    "type": "object",
    "required": ["instructions"],
    "properties": {
        "instructions": NON_EMPTY,
        "due_at": {"type": ["string", "null"], "format": "date-time"},
        "max_points": {"type": ["number", "null"], "minimum": 0},
        "submission_types": {
            "type": "array",
            "items": {"enum": ["file", "text", "url"]},
            "uniqueItems": True,
        },
        "allow_late": {"type": "boolean"},
    },
    "additionalProperties": False,
}

DRAFT = {"instructions": "To be written."}


def render_assignment(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    facts: list[tuple[str, str]] = []
    due = time_element(data.get("due_at"), ctx.time_zone)
    facts.append((_("Due"), due or _("No due date")))
    if data.get("max_points") is not None:
        facts.append((_("Points"), f"{data['max_points']:g}"))
    labels = {"file": _("File upload"), "text": _("Text"), "url": _("Web address")}
    if data.get("submission_types"):
        kinds = ", ".join(labels.get(k, k) for k in data["submission_types"])
        facts.append((_("Submit as"), kinds))
    if "allow_late" in data:
        facts.append(
            (_("Late submissions"), _("Accepted") if data["allow_late"] else _("Not accepted"))
        )
    context = {"facts": facts, "paragraphs": paragraphs(str(data.get("instructions") or ""))}
    return render_template("assignment", context)


DEFINITION = ContentTypeDefinition(
    name="assignment", schema=SCHEMA, draft=DRAFT, render=render_assignment
)
