"""Assignment: instructions, a due date and the ways a learner may hand in work."""

from typing import Any

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.models import (
    AssignmentItem,
)
from content.types.base import (
    NON_EMPTY,
    ContentTypeDefinition,
    RenderContext,
    paragraphs,
    render_template,
    time_element,
)
from content.types.editing import (
    ItemEditorForm,
    payload_datetime,
    payload_number,
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


# Editor ----------------------------------------------------------------------------------


class AssignmentEditorForm(ItemEditorForm):
    instructions = forms.CharField(
        label=gettext_lazy("Instructions"), widget=forms.Textarea(attrs={"rows": 8})
    )
    due_at = forms.SplitDateTimeField(
        label=gettext_lazy("Due"), required=False, widget=admin_widgets.AdminSplitDateTime
    )
    max_points = forms.DecimalField(
        label=gettext_lazy("Maximum points"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        required=False,
    )
    submission_types = forms.MultipleChoiceField(
        label=gettext_lazy("Students submit"),
        choices=[
            ("file", gettext_lazy("A file")),
            ("text", gettext_lazy("Text")),
            ("url", gettext_lazy("A web address")),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    allow_late = forms.BooleanField(label=gettext_lazy("Accept late submissions"), required=False)
    payload_fields = {
        "instructions": "instructions",
        "due_at": "due_at",
        "max_points": "max_points",
        "submission_types": "submission_types",
        "allow_late": "allow_late",
    }

    class Meta(ItemEditorForm.Meta):
        model = AssignmentItem

    def initial_from_payload(self, payload):
        initial = super().initial_from_payload(payload)
        if isinstance(payload.get("due_at"), str):
            initial["due_at"] = parse_datetime(payload["due_at"])
        return initial

    def build_payload(self, cleaned, rows):
        payload: dict[str, Any] = {"instructions": cleaned["instructions"]}
        if cleaned.get("due_at"):
            payload["due_at"] = payload_datetime(cleaned["due_at"])
        if cleaned.get("max_points") is not None:
            payload["max_points"] = payload_number(cleaned["max_points"])
        if cleaned.get("submission_types"):
            payload["submission_types"] = list(cleaned["submission_types"])
        payload["allow_late"] = bool(cleaned.get("allow_late"))
        return payload


DEFINITION = ContentTypeDefinition(
    editor=AssignmentEditorForm,
    name="assignment",
    schema=SCHEMA,
    draft=DRAFT,
    render=render_assignment,
)
