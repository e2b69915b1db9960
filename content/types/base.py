"""What every content type shares: the definition the registry holds, the schema fragments
payloads are built from, and the small helpers the renderers write their markup with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.template.loader import render_to_string
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.dates import display_datetime

if TYPE_CHECKING:  # content.selectors imports the models, which validate through here
    from content.selectors import AssetRow

URL = {"type": "string", "minLength": 1, "maxLength": 2048, "pattern": r"^(https?://|/)\S+$"}
NON_EMPTY = {"type": "string", "minLength": 1}
POSITIVE_INT = {"type": "integer", "minimum": 1}
# Bounds of numbers that later become dates or database integers: past them a learner's
# attempt would fail when it adds the time limit to now or records the mastery points.
MAX_TIME_LIMIT_SECONDS = 30 * 24 * 3600
MAX_POINTS = 2**31 - 1


@dataclass(frozen=True)
class RenderContext:
    """What a renderer may need besides the payload: the assets it refers to (already scoped
    to the item's university), the reader's time zone, the item's caption track URL and the
    second a video should start at (a search hit in its transcript links there)."""

    assets: dict[int, AssetRow] = field(default_factory=dict)
    time_zone: str = "UTC"
    captions_url: str = ""
    title: str = ""
    start_seconds: int = 0


def paragraphs(text: str) -> list[list[str]]:
    """Plain text as paragraphs of lines: blank lines separate paragraphs, single newlines stay
    breaks (templates/content/items/_paragraphs.html draws them)."""
    chunks = [c.strip("\n") for c in text.replace("\r\n", "\n").split("\n\n")]
    return [chunk.split("\n") for chunk in chunks if chunk.strip()]


def link_data(url: str, label: str) -> dict[str, Any]:
    """What templates/content/items/_link.html needs; addresses elsewhere open in a new tab."""
    return {"url": url, "label": label, "external": urlsplit(url).scheme != ""}


def render_template(name: str, context: dict[str, Any]) -> SafeString:
    """An item's HTML from templates/content/items/<name>.html, autoescaped."""
    return render_to_string(f"content/items/{name}.html", context)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def format_duration(seconds: int | float | None) -> str:
    if seconds is None:
        return ""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    if secs and not hours:
        parts.append(ngettext("%(n)d second", "%(n)d seconds", secs) % {"n": secs})
    return " ".join(parts) or _("0 seconds")


def timestamp(seconds: float) -> str:
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def local_datetime(value: str, tz_name: str) -> tuple[str, str] | None:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        return None
    local: datetime = parsed.astimezone(zone(tz_name))
    text = f"{display_datetime(local, local.tzinfo)} ({local.tzname()})"
    return parsed.isoformat(), text


def time_element(value: Any, tz_name: str) -> SafeString | None:
    """A payload's date and time as a <time> element in the reader's zone; None without one."""
    local = local_datetime(value, tz_name) if value else None
    if local is None:
        return None
    return format_html('<time datetime="{}">{}</time>', local[0], local[1])


def no_asset_ids(data: dict[str, Any]) -> set[int]:
    return set()


def same_payload(data: dict[str, Any], mapping: dict[int, int]) -> dict[str, Any]:
    return data


def no_semantic_errors(data: dict[str, Any]) -> list[str]:
    return []


@dataclass(frozen=True)
class ContentTypeDefinition:
    """Everything that makes a content type what it is: its payload schema and draft, its
    renderer, its admin editor, the assets it refers to. `asset_ids` and `with_asset_ids` get a
    dict payload; `semantic_errors` one that already matches `schema`."""

    name: str
    schema: dict[str, Any]
    draft: dict[str, Any]
    render: Callable[[dict[str, Any], RenderContext], SafeString]
    # The admin's form for the type, a content.types.editing.ItemEditorForm.
    editor: type
    semantic_errors: Callable[[dict[str, Any]], list[str]] = no_semantic_errors
    asset_ids: Callable[[dict[str, Any]], set[int]] = no_asset_ids
    with_asset_ids: Callable[[dict[str, Any], dict[int, int]], dict[str, Any]] = same_payload
