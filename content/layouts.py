"""A module template's layout (`module_templates.default_data`) as plain text, one line per
node, so staff edit it in a textarea instead of JSON:

    module lesson: Getting started
      item text: Welcome
      item video: First lecture
      module topic: Going further
        item quiz: Check yourself
    item resource: Reading list

`module <type>: Title` adds a child module (`module: Title` is a lesson), `item <type>: Title`
a content item stub; lines indented under a module belong to it, the others to the module the
template creates. Blank lines and lines starting with `#` are skipped. The text leaves out
what a layout saved from a subtree also holds (descriptions, durations, payloads); parsing it
again keeps those for every module and item whose type and title stay the same, so text made
from a layout parses back to the same layout. Items written here without a payload are created
as drafts (see content.services.module_from_template).
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from content.models import ContentType
from syllabus.models import ModuleType

INDENT = "  "
DEFAULT_MODULE_TYPE = ModuleType.LESSON
MODULE_TYPES = [t for t in ModuleType.values if t != ModuleType.COURSE_ROOT]
TITLE_MAX = 255
_LINE = re.compile(r"^(?P<kind>module|item)(?:\s+(?P<type>[\w-]+))?\s*:\s*(?P<title>.*)$", re.I)


def layout_to_text(layout: dict[str, Any] | None) -> str:
    """The layout as indented lines: each module's items first, then its child modules, in the
    order they are instantiated."""
    lines: list[str] = []

    def walk(node: dict[str, Any], depth: int) -> None:
        for stub in node.get("content") or []:
            lines.append(f"{INDENT * depth}item {stub.get('content_type')}: {stub.get('title')}")
        for child in node.get("children") or []:
            lines.append(f"{INDENT * depth}module {child.get('module_type')}: {child.get('title')}")
            walk(child, depth + 1)

    walk(layout or {}, 0)
    return "\n".join(lines)


def _keyed(layout: dict[str, Any] | None) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """What an earlier layout held per (kind, type, title), in order, to carry over."""
    found: dict[tuple[str, str, str], list[dict[str, Any]]] = {}

    def walk(node: dict[str, Any]) -> None:
        for stub in node.get("content") or []:
            key = ("item", str(stub.get("content_type")), str(stub.get("title")))
            found.setdefault(key, []).append(stub)
        for child in node.get("children") or []:
            key = ("module", str(child.get("module_type")), str(child.get("title")))
            found.setdefault(key, []).append(child)
            walk(child)

    walk(layout or {})
    return found


def _kept(previous: dict, key: tuple[str, str, str], names: tuple[str, ...]) -> dict[str, Any]:
    matches = previous.get(key)
    if not matches:
        return {}
    earlier = matches.pop(0)
    return {name: earlier[name] for name in names if name in earlier}


def layout_from_text(text: str, *, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """Parse layout text; raise ValidationError with one message per bad line (numbered from 1)
    and return nothing half-parsed. `previous` is the layout being replaced."""
    kept = _keyed(previous)
    root: dict[str, Any] = {"children": [], "content": []}
    # Open modules: (indent of the module's own line, node, indent of its lines or None).
    stack: list[list[Any]] = [[-1, root, None]]
    errors: list[str] = []
    last_item_indent: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue

        def refuse(message: str, number: int = number) -> None:
            errors.append(_("Line %(n)d: %(message)s") % {"n": number, "message": message})

        body = raw.rstrip()
        if "\t" in body[: len(body) - len(body.lstrip())]:
            refuse(_("indent with spaces, not tabs."))
            continue
        indent = len(body) - len(body.lstrip(" "))
        match = _LINE.match(stripped)
        if match is None:
            refuse(_("start with “module <type>: Title” or “item <type>: Title”."))
            continue
        kind, kind_type, title = match["kind"].lower(), match["type"], match["title"].strip()
        if last_item_indent is not None and indent > last_item_indent:
            refuse(_("is indented under an item; only modules contain other lines."))
            continue
        while stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1]
        if parent[2] is None:
            parent[2] = indent
        elif indent != parent[2]:
            refuse(_("its indentation matches none of the lines above it."))
            continue
        if not title:
            refuse(_("give a title after the colon."))
            continue
        if len(title) > TITLE_MAX:
            refuse(_("titles have at most %(max)d characters.") % {"max": TITLE_MAX})
            continue
        if kind == "item":
            content_type = (kind_type or "").lower()
            if content_type not in ContentType.values:
                refuse(
                    _("“%(type)s” is not a content type; use one of %(types)s.")
                    % {"type": kind_type or "", "types": ", ".join(ContentType.values)}
                )
                continue
            stub = {"content_type": content_type, "title": title}
            extra = ("data_json", "description", "estimated_duration_seconds")
            stub.update(_kept(kept, ("item", content_type, title), extra))
            parent[1]["content"].append(stub)
            last_item_indent = indent
            continue
        module_type = (kind_type or DEFAULT_MODULE_TYPE).lower()
        if module_type not in MODULE_TYPES:
            refuse(
                _("“%(type)s” is not a module type; use one of %(types)s.")
                % {"type": kind_type, "types": ", ".join(MODULE_TYPES)}
            )
            continue
        node = {"module_type": module_type, "title": title, "children": [], "content": []}
        node.update(_kept(kept, ("module", module_type, title), ("description",)))
        parent[1]["children"].append(node)
        stack.append([indent, node, None])
        last_item_indent = None
    if errors:
        raise ValidationError(errors)
    return root
