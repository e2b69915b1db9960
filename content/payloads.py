"""Validation of the JSONB payload of every content type against its schema.

Each type's schema and the rules a schema cannot say live in its module under content/types/;
what is shared sits here: the JSON Schema validators, the per-field error paths
(``transcript.segments[0].start: ...``) an editor shows, and the address rules (no raw /media/
addresses, no unreadable ones) that hold for every type.
"""

import functools
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from jsonschema import Draft202012Validator, FormatChecker

if TYPE_CHECKING:
    from content.types.base import ContentTypeDefinition

_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    """An ISO 8601 date and time with an offset, as Django's own parser reads it."""
    if not isinstance(value, str):
        return True
    parsed = parse_datetime(value)
    return parsed is not None and parsed.tzinfo is not None


@functools.cache
def _types() -> "dict[str, ContentTypeDefinition]":
    """The registry, looked up on first use: the type modules hold the admin editors, which
    validate through this module."""
    from content.types import TYPES

    return TYPES


@functools.cache
def _validators() -> dict[str, Draft202012Validator]:
    return {
        name: Draft202012Validator(t.schema, format_checker=_FORMATS)
        for name, t in _types().items()
    }


def _path(error) -> str:
    parts: list[str] = []
    for part in error.absolute_path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else str(part))
    return "".join(parts) or "(payload)"


def _leaf_errors(error):
    """The most specific errors under an `if/then`, `anyOf` or `allOf`, not their summary."""
    if error.context:
        for sub in error.context:
            yield from _leaf_errors(sub)
    else:
        yield error


def payload_errors(content_type: str, data: Any) -> list[str]:
    """Human-readable problems with `data` for `content_type`; empty when it is valid."""
    validator = _validators().get(content_type)
    if validator is None:
        return [f"unknown content type {content_type!r}"]
    messages: list[str] = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        for leaf in _leaf_errors(error) if error.validator == "anyOf" else [error]:
            message = f"{_path(leaf)}: {leaf.message}"
            if message not in messages:
                messages.append(message)
    messages.extend(_semantic_errors(content_type, data) if not messages else [])
    return messages


def is_raw_media_url(value: object) -> bool:
    """An address under MEDIA_URL: nothing serves those, uploads are reached only through the
    views that check who may open them (an asset is picked from the library instead)."""
    media = "/" + settings.MEDIA_URL.strip("/") + "/"
    return isinstance(value, str) and value.startswith(media)


RAW_MEDIA_URL_MESSAGE = _(
    "Addresses under /media/ are not served; upload the file to the asset library and pick it."
)


UNREADABLE_URL_MESSAGE = _("This is not a web address that can be opened.")


def _unreadable_url(value: object) -> bool:
    """An address the schema's pattern lets through but no browser (and not urlsplit, which
    raises) can read: brackets around a host that is not IPv6 (`https://[x]/1`), an http(s)
    address without a host, a port out of range."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        return True
    return parts.scheme in ("http", "https") and not parts.hostname


def _raw_media_url_errors(data: Any, path: str = "") -> list[str]:
    """Every address field (`url`, `thumbnail_url`, ...) anywhere in the payload that points
    under MEDIA_URL or cannot be read as an address at all."""
    problems = []
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if key.endswith("url") and is_raw_media_url(value):
                problems.append(f"{where}: {RAW_MEDIA_URL_MESSAGE}")
            elif key.endswith("url") and _unreadable_url(value):
                problems.append(f"{where}: {UNREADABLE_URL_MESSAGE}")
            else:
                problems.extend(_raw_media_url_errors(value, where))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            problems.extend(_raw_media_url_errors(value, f"{path}[{i}]"))
    return problems


def _semantic_errors(content_type: str, data: dict) -> list[str]:
    """The type's own rules a schema cannot say, after the address rules every type shares."""
    return _raw_media_url_errors(data) + _types()[content_type].semantic_errors(data)
