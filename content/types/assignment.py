"""Assignment: instructions, a due date and the ways a learner may hand in work."""

from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from content.types.base import (
    NON_EMPTY,
    ContentTypeDefinition,
    RenderContext,
    e,
    facts_list,
    text_paragraphs,
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
    facts = []
    due = time_element(data.get("due_at"), ctx.time_zone)
    if due:
        facts.append((_("Due"), due))
    else:
        facts.append((_("Due"), e(_("No due date"))))
    if data.get("max_points") is not None:
        facts.append((_("Points"), e(f"{data['max_points']:g}")))
    labels = {"file": _("File upload"), "text": _("Text"), "url": _("Web address")}
    if data.get("submission_types"):
        kinds = ", ".join(labels.get(k, k) for k in data["submission_types"])
        facts.append((_("Submit as"), e(kinds)))
    if "allow_late" in data:
        late = _("Accepted") if data["allow_late"] else _("Not accepted")
        facts.append((_("Late submissions"), e(late)))
    paragraphs = text_paragraphs(str(data.get("instructions") or ""))
    if not paragraphs:
        return mark_safe(facts_list(facts))
    return mark_safe(
        f'{facts_list(facts)}<section class="prose"><h2>{e(_("Instructions"))}</h2>'
        f"{paragraphs}</section>"
    )


DEFINITION = ContentTypeDefinition(
    name="assignment", schema=SCHEMA, draft=DRAFT, render=render_assignment
)
