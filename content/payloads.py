"""The JSONB payload of each content type, as JSON Schemas, and their validation.

The schemas follow the documented payloads of `content_items.data_json` in the schema contract.
Errors are reported per field path (``transcript.segments[0].start: ...``) so an editor can
see exactly what is wrong.
"""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from jsonschema import Draft202012Validator, FormatChecker

URL = {"type": "string", "minLength": 1, "maxLength": 2048, "pattern": r"^(https?://|/)\S+$"}
NON_EMPTY = {"type": "string", "minLength": 1}
POSITIVE_INT = {"type": "integer", "minimum": 1}
# Bounds of numbers that later become dates or database integers: past them a learner's
# attempt would fail when it adds the time limit to now or records the mastery points.
MAX_TIME_LIMIT_SECONDS = 30 * 24 * 3600
MAX_POINTS = 2**31 - 1

VIDEO = {
    "type": "object",
    "required": ["provider"],
    "properties": {
        "provider": {"enum": ["youtube", "vimeo", "internal"]},
        "video_id": {"type": ["string", "null"]},
        "url": {"anyOf": [URL, {"type": "null"}]},
        "duration_seconds": {"type": ["integer", "null"], "minimum": 0},
        "transcript": {
            "type": ["object", "null"],
            "required": ["language", "segments"],
            "properties": {
                "language": {"type": "string", "minLength": 2, "maxLength": 16},
                "segments": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["start", "end", "text"],
                        "properties": {
                            "start": {"type": "number", "minimum": 0},
                            "end": {"type": "number", "minimum": 0},
                            "text": {"type": "string"},
                        },
                        "additionalProperties": False,
                    },
                },
            },
            "additionalProperties": False,
        },
        "thumbnail_url": {"anyOf": [URL, {"type": "null"}]},
        "asset_id": {"type": ["integer", "null"], "minimum": 1},
    },
    "additionalProperties": False,
    "allOf": [
        {
            "if": {"properties": {"provider": {"enum": ["youtube", "vimeo"]}}},
            "then": {"anyOf": [{"required": ["video_id"]}, {"required": ["url"]}]},
        },
        {
            "if": {"properties": {"provider": {"const": "internal"}}},
            "then": {"anyOf": [{"required": ["asset_id"]}, {"required": ["url"]}]},
        },
    ],
}


class QuizReviewPolicy(models.TextChoices):
    """When a learner sees the correct answers and explanations of a quiz they took."""

    IMMEDIATELY = "immediately", _("Immediately (after each submission or practice check)")
    AFTER_LAST_ATTEMPT = "after_last_attempt", _("After the last attempt")
    AFTER_CLOSE = "after_close", _("After the quiz closes")
    NEVER = "never", _("Never")


def quiz_review_policy(data: dict[str, Any]) -> str:
    """The quiz's review policy; without one, exams keep their answers until the learner has
    no attempt left and practice quizzes show them at once."""
    policy = data.get("review_policy")
    if policy:
        return policy
    if data.get("quiz_mode") == "practice":
        return QuizReviewPolicy.IMMEDIATELY
    return QuizReviewPolicy.AFTER_LAST_ATTEMPT


QUIZ = {
    "type": "object",
    "required": ["question_pool_id", "quiz_mode", "num_questions_per_attempt"],
    "properties": {
        "question_pool_id": POSITIVE_INT,
        "quiz_mode": {"enum": ["practice", "exam"]},
        "num_questions_per_attempt": POSITIVE_INT,
        "randomize_order": {"type": "boolean"},
        "time_limit_seconds": {
            "type": ["integer", "null"],
            "minimum": 1,
            "maximum": MAX_TIME_LIMIT_SECONDS,
        },
        "review_policy": {"enum": list(QuizReviewPolicy.values)},
        "closes_at": {"type": ["string", "null"], "format": "date-time"},
        "mastery": {
            "type": ["object", "null"],
            "properties": {
                "points": {"type": "integer", "minimum": 0, "maximum": MAX_POINTS},
                "threshold_correct_in_row": POSITIVE_INT,
                "max_attempts": {"type": ["integer", "null"], "minimum": 1},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}

ENGINEERING_LAB = {
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

TEXT_BLOCK = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"enum": ["paragraph", "math", "image", "link_list"]}},
    "allOf": [
        {
            "if": {"properties": {"type": {"const": "paragraph"}}},
            "then": {
                "required": ["text"],
                "properties": {"type": True, "text": NON_EMPTY},
                "additionalProperties": False,
            },
        },
        {
            "if": {"properties": {"type": {"const": "math"}}},
            "then": {
                "required": ["latex"],
                "properties": {"type": True, "latex": NON_EMPTY, "display": {"type": "boolean"}},
                "additionalProperties": False,
            },
        },
        {
            "if": {"properties": {"type": {"const": "image"}}},
            "then": {
                "required": ["asset_id"],
                "properties": {
                    "type": True,
                    "asset_id": POSITIVE_INT,
                    "caption": {"type": "string"},
                    "alt": {"type": "string"},
                },
                "additionalProperties": False,
            },
        },
        {
            "if": {"properties": {"type": {"const": "link_list"}}},
            "then": {
                "required": ["items"],
                "properties": {
                    "type": True,
                    "items": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["label", "url"],
                            "properties": {"label": NON_EMPTY, "url": URL},
                            "additionalProperties": False,
                        },
                    },
                },
                "additionalProperties": False,
            },
        },
    ],
}

TEXT = {
    "type": "object",
    "required": ["layout", "blocks"],
    "properties": {
        "layout": {"enum": ["rich_text_v1"]},
        "title": {"type": "string"},
        "blocks": {"type": "array", "minItems": 1, "items": TEXT_BLOCK},
    },
    "additionalProperties": False,
}

ASSIGNMENT = {
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

RESOURCE = {
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

SCHEMAS: dict[str, dict[str, Any]] = {
    "video": VIDEO,
    "quiz": QUIZ,
    "engineering_lab": ENGINEERING_LAB,
    "text": TEXT,
    "assignment": ASSIGNMENT,
    "resource": RESOURCE,
}

# What an item made from a template stub without a payload starts with: valid for its type,
# plainly unfinished, and created inactive so no student sees it before staff fill it in. A
# draft quiz points at no pool of the course, so it refuses to start until one is chosen.
DRAFT_PAYLOADS: dict[str, dict[str, Any]] = {
    "video": {"provider": "youtube", "video_id": None},
    "quiz": {"question_pool_id": 1, "quiz_mode": "practice", "num_questions_per_attempt": 1},
    "engineering_lab": {
        "lab_type": "code",
        "runtime": "python-datascience",
        "container_image": "python:3.12",
        "timeout_seconds": 600,
        "files": [],
        "grading": {"type": "manual", "max_points": 100},
    },
    "text": {"layout": "rich_text_v1", "blocks": [{"type": "paragraph", "text": "To be written."}]},
    "assignment": {"instructions": "To be written."},
    "resource": {
        "resources": [{"label": "To be chosen", "url": "https://example.org/", "kind": "article"}]
    },
}

_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    """An ISO 8601 date and time with an offset, as Django's own parser reads it."""
    if not isinstance(value, str):
        return True
    parsed = parse_datetime(value)
    return parsed is not None and parsed.tzinfo is not None


_VALIDATORS = {
    name: Draft202012Validator(schema, format_checker=_FORMATS) for name, schema in SCHEMAS.items()
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
    validator = _VALIDATORS.get(content_type)
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
    """Rules a schema cannot say: a segment ends after it starts, a lab has a hidden test, no
    address points under /media/."""
    problems = _raw_media_url_errors(data)
    if content_type == "video" and data.get("transcript"):
        for i, seg in enumerate(data["transcript"]["segments"]):
            if seg["end"] < seg["start"]:
                problems.append(f"transcript.segments[{i}].end: ends before it starts")
    if (
        content_type == "engineering_lab"
        and data["grading"]["type"] == "unit_tests"
        and not any(f["role"] == "hidden_test" for f in data["files"])
    ):
        problems.append("files: unit-test grading needs at least one hidden_test file")
    if content_type == "quiz":
        mastery = data.get("mastery") or {}
        threshold = mastery.get("threshold_correct_in_row")
        if threshold and threshold > data["num_questions_per_attempt"] * (
            mastery.get("max_attempts") or 10**6
        ):
            problems.append("mastery.threshold_correct_in_row: can never be reached")
        policy = data.get("review_policy")
        if policy == QuizReviewPolicy.AFTER_CLOSE and not data.get("closes_at"):
            problems.append(
                "review_policy: showing answers after the quiz closes needs a closing time"
            )
        if (
            policy == QuizReviewPolicy.AFTER_LAST_ATTEMPT
            and not mastery.get("max_attempts")
            and not data.get("closes_at")
        ):
            problems.append(
                "review_policy: with unlimited attempts and no closing time"
                " there is no last attempt"
            )
    return problems
