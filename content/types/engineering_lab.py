"""Engineering lab: starter files, a runtime and its limits, graded by tests or by staff."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.models import (
    EngineeringLabItem,
)
from content.types.base import (
    ContentTypeDefinition,
    RenderContext,
    format_duration,
    render_template,
)
from content.types.editing import (
    ItemEditorForm,
    RowForm,
    payload_number,
    row_formset,
)

SCHEMA = {
    "type": "object",
    "required": ["lab_type", "runtime", "container_image", "timeout_seconds", "files", "grading"],
    "properties": {
        "lab_type": {"enum": ["code"]},
        "runtime": {"enum": ["python-datascience", "matlab"]},
        "container_image": {
            "type": "string",
            "pattern": r"^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?(@sha256:[a-f0-9]{64})?$",
        },
        "cpu_limit": {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?m?$"},
        "memory_limit": {"type": "string", "pattern": r"^[0-9]+(Ki|Mi|Gi|K|M|G)?$"},
        "timeout_seconds": {"type": "integer", "minimum": 1, "maximum": 86400},
        "entrypoint": {"type": "string"},
        "env": {"type": "object", "additionalProperties": {"type": "string"}},
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "role"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "pattern": r"^(?!/)(?!.*\.\.)\S+$"},
                    "role": {"enum": ["student_visible", "hidden_test"]},
                },
                "additionalProperties": False,
            },
        },
        "grading": {
            "type": "object",
            "required": ["type", "max_points"],
            "properties": {
                "type": {"enum": ["unit_tests", "manual"]},
                "max_points": {"type": "number", "exclusiveMinimum": 0},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}

DRAFT = {
    "lab_type": "code",
    "runtime": "python-datascience",
    "container_image": "python:3.12",
    "timeout_seconds": 600,
    "files": [],
    "grading": {"type": "manual", "max_points": 100},
}


def semantic_errors(data: dict[str, Any]) -> list[str]:
    if data["grading"]["type"] == "unit_tests" and not any(
        f["role"] == "hidden_test" for f in data["files"]
    ):
        return ["files: unit-test grading needs at least one hidden_test file"]
    return []


def render_engineering_lab(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    runtimes = {"python-datascience": _("Python (data science)"), "matlab": _("MATLAB")}
    grading_types = {"unit_tests": _("Automatic (unit tests)"), "manual": _("Graded by staff")}
    files = [f["path"] for f in data.get("files") or [] if f.get("role") == "student_visible"]
    file_items = format_html_join("", "<li><code>{}</code></li>", ((path,) for path in files))
    file_list = format_html('<ul class="file-list">{}</ul>', file_items) if files else _("None")
    limits = []
    if data.get("cpu_limit"):
        limits.append(_("%(n)s CPU") % {"n": data["cpu_limit"]})
    if data.get("memory_limit"):
        limits.append(_("%(n)s memory") % {"n": data["memory_limit"]})
    if data.get("timeout_seconds"):
        limits.append(_("%(d)s per session") % {"d": format_duration(data["timeout_seconds"])})
    grading = data.get("grading") or {}
    grading_text = grading_types.get(grading.get("type"), grading.get("type", ""))
    if grading.get("max_points") is not None:
        grading_text = _("%(how)s, %(points)s points") % {
            "how": grading_text,
            "points": f"{grading['max_points']:g}",
        }
    facts: list[tuple[str, str]] = [
        (_("Runtime"), str(runtimes.get(data.get("runtime"), data.get("runtime", "")))),
        (_("Files you work on"), file_list),
        (_("Limits"), str(", ".join(limits) or _("None"))),
        (_("Grading"), str(grading_text)),
    ]
    if data.get("entrypoint"):
        facts.insert(1, (_("Entry point"), format_html("<code>{}</code>", data["entrypoint"])))
    return render_template("engineering_lab", {"facts": facts})


# Editor ----------------------------------------------------------------------------------


def _schema_pattern(name: str) -> str:
    return SCHEMA["properties"][name]["pattern"]


_LAB_PATH_PATTERN = SCHEMA["properties"]["files"]["items"]["properties"]["path"]["pattern"]


class LabFileForm(RowForm):
    path = forms.CharField(
        label=gettext_lazy("Path"),
        max_length=500,
        validators=[
            RegexValidator(
                _LAB_PATH_PATTERN, gettext_lazy("A relative path without spaces or '..'.")
            )
        ],
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[
            ("student_visible", gettext_lazy("Student works on it")),
            ("hidden_test", gettext_lazy("Hidden test")),
        ],
    )
    payload_fields = {"path": "path", "role": "role"}


class EngineeringLabEditorForm(ItemEditorForm):
    runtime = forms.ChoiceField(
        label=gettext_lazy("Runtime"),
        choices=[
            ("python-datascience", gettext_lazy("Python (data science)")),
            ("matlab", "MATLAB"),
        ],
    )
    container_image = forms.CharField(
        label=gettext_lazy("Container image"),
        max_length=500,
        validators=[
            RegexValidator(
                _schema_pattern("container_image"),
                gettext_lazy("Like registry.example.edu/labs/python:3.12."),
            )
        ],
    )
    cpu_limit = forms.CharField(
        label=gettext_lazy("CPU limit"),
        required=False,
        max_length=16,
        validators=[
            RegexValidator(_schema_pattern("cpu_limit"), gettext_lazy("Like 1, 0.5 or 500m."))
        ],
    )
    memory_limit = forms.CharField(
        label=gettext_lazy("Memory limit"),
        required=False,
        max_length=16,
        validators=[
            RegexValidator(_schema_pattern("memory_limit"), gettext_lazy("Like 512Mi or 2Gi."))
        ],
    )
    timeout_seconds = forms.IntegerField(
        label=gettext_lazy("Session time limit (seconds)"), min_value=1, max_value=86400
    )
    entrypoint = forms.CharField(label=gettext_lazy("Opens with"), required=False, max_length=255)
    env = forms.CharField(
        label=gettext_lazy("Environment variables"),
        required=False,
        help_text=gettext_lazy("One per line: NAME=value"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    grading_type = forms.ChoiceField(
        label=gettext_lazy("Grading"),
        choices=[
            ("unit_tests", gettext_lazy("Automatic (unit tests)")),
            ("manual", gettext_lazy("Graded by staff")),
        ],
    )
    grading_max_points = forms.DecimalField(
        label=gettext_lazy("Maximum points"),
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
    )
    payload_fields = {
        "runtime": "runtime",
        "container_image": "container_image",
        "cpu_limit": "cpu_limit",
        "memory_limit": "memory_limit",
        "timeout_seconds": "timeout_seconds",
        "entrypoint": "entrypoint",
        "env": "env",
        "grading": "grading_type",
    }
    row_formsets = {"files": row_formset(LabFileForm, min_num=1)}
    row_labels = {"files": gettext_lazy("Files")}

    class Meta(ItemEditorForm.Meta):
        model = EngineeringLabItem

    def initial_from_payload(self, payload):
        initial = super().initial_from_payload(payload)
        env = payload.get("env") or {}
        initial["env"] = "\n".join(f"{k}={v}" for k, v in env.items())
        grading = payload.get("grading") or {}
        initial["grading_type"] = grading.get("type")
        initial["grading_max_points"] = grading.get("max_points")
        return initial

    def clean_env(self):
        env: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data.get("env", "").splitlines(), 1):
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            name = name.strip()
            if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise forms.ValidationError(
                    gettext_lazy(
                        "Line %(n)s: write NAME=value with a name of letters, digits and _."
                    )
                    % {"n": number}
                )
            env[name] = value.strip()
        return env

    def build_payload(self, cleaned, rows):
        payload: dict[str, Any] = {
            "lab_type": "code",
            "runtime": cleaned["runtime"],
            "container_image": cleaned["container_image"],
            "timeout_seconds": cleaned["timeout_seconds"],
        }
        for key in ("cpu_limit", "memory_limit", "entrypoint", "env"):
            if cleaned.get(key):
                payload[key] = cleaned[key]
        payload["files"] = rows["files"]
        payload["grading"] = {
            "type": cleaned["grading_type"],
            "max_points": payload_number(cleaned["grading_max_points"]),
        }
        return payload

    def _report(self, problem, ordered):
        if problem.startswith("files: "):
            self.add_error(None, problem.split(": ", 1)[1])
            return
        super()._report(problem, ordered)


DEFINITION = ContentTypeDefinition(
    editor=EngineeringLabEditorForm,
    name="engineering_lab",
    schema=SCHEMA,
    draft=DRAFT,
    render=render_engineering_lab,
    semantic_errors=semantic_errors,
)
