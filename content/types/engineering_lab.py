"""Engineering lab: starter files, a runtime and its limits, graded by tests or by staff."""

from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from content.types.base import (
    ContentTypeDefinition,
    RenderContext,
    format_duration,
    render_template,
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


DEFINITION = ContentTypeDefinition(
    name="engineering_lab",
    schema=SCHEMA,
    draft=DRAFT,
    render=render_engineering_lab,
    semantic_errors=semantic_errors,
)
