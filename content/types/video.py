"""Video: a YouTube or Vimeo embed or an uploaded file, with an optional transcript."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from content.markup.policy import safe_url
from content.types.base import (
    URL,
    ContentTypeDefinition,
    RenderContext,
    e,
    format_duration,
    timestamp,
)

if TYPE_CHECKING:  # content.selectors imports the models, which validate through here
    from content.selectors import AssetRow

SCHEMA = {
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

DRAFT = {"provider": "youtube", "video_id": None}


def semantic_errors(data: dict[str, Any]) -> list[str]:
    problems = []
    if data.get("transcript"):
        for i, seg in enumerate(data["transcript"]["segments"]):
            if seg["end"] < seg["start"]:
                problems.append(f"transcript.segments[{i}].end: ends before it starts")
    return problems


_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com"}
_YOUTUBE_HOSTS |= {"www.youtube-nocookie.com"}


def _valid_youtube_id(value: Any) -> str | None:
    if (
        isinstance(value, str)
        and 6 <= len(value) <= 64
        and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in value)
    ):
        return value
    return None


def url_parts(value: Any):
    """`value` split into its parts, or None when it is not a string urlsplit can read (it
    raises on `https://[x]/1`, an address with brackets that is not an IPv6 host)."""
    if not isinstance(value, str):
        return None
    try:
        return urlsplit(value)
    except ValueError:
        return None


def youtube_id(data: dict[str, Any]) -> str | None:
    found = _valid_youtube_id(data.get("video_id"))
    parts = url_parts(data.get("url"))
    if found or parts is None:
        return found
    host = parts.netloc.lower()
    path = parts.path.strip("/").split("/")
    if host in ("youtu.be", "www.youtu.be"):
        return _valid_youtube_id(path[0])
    if host in _YOUTUBE_HOSTS:
        if path[0] == "watch":
            return _valid_youtube_id((parse_qs(parts.query).get("v") or [None])[0])
        if path[0] in ("embed", "shorts", "live") and len(path) > 1:
            return _valid_youtube_id(path[1])
    return None


_VIMEO_HOSTS = ("vimeo.com", "www.vimeo.com", "player.vimeo.com")


def vimeo_id(data: dict[str, Any]) -> str | None:
    candidates = [data.get("video_id")]
    parts = url_parts(data.get("url"))
    if parts is not None and parts.netloc.lower() in _VIMEO_HOSTS:
        candidates.extend(parts.path.strip("/").split("/"))
    for value in candidates:
        if isinstance(value, str | int) and str(value).isdigit() and str(value).isascii():
            return str(value)
    return None


def internal_video_url(data: dict[str, Any], assets: dict[int, AssetRow]) -> str | None:
    asset = assets.get(data.get("asset_id") or 0)
    if asset is not None and safe_url(asset.url):
        return asset.url
    return safe_url(data.get("url"))


def _transcript(data: dict[str, Any]) -> str:
    transcript = data.get("transcript") or {}
    segments = transcript.get("segments") or []
    if not segments:
        return ""
    lines = []
    for seg in segments:
        start = float(seg.get("start") or 0)
        end = float(seg.get("end") or start)
        lines.append(
            f'<li><button type="button" class="transcript-line" data-start="{start:g}" '
            f'data-end="{end:g}"><span class="ts">{timestamp(start)}</span> '
            f'<span class="tx">{e(seg.get("text", ""))}</span></button></li>'
        )
    lang = e(transcript.get("language") or "en")
    return (
        f'<section class="transcript" aria-labelledby="transcript-heading" lang="{lang}">'
        f'<h2 id="transcript-heading">{e(_("Transcript"))}</h2>'
        f'<p class="muted small">{e(_("Select a line to jump to that moment."))}</p>'
        f'<ol class="transcript-lines">{"".join(lines)}</ol></section>'
    )


def render_video(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    provider = data.get("provider")
    label = e(_("Video: %(title)s") % {"title": ctx.title}) if ctx.title else e(_("Video"))
    player = ""
    if provider == "youtube" and (vid := youtube_id(data)):
        src = f"https://www.youtube-nocookie.com/embed/{vid}?enablejsapi=1&rel=0"
        player = (
            f'<iframe class="video-embed" src="{e(src)}" title="{label}" '
            'allow="encrypted-media; picture-in-picture; fullscreen" '
            'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>'
        )
    elif provider == "vimeo" and (vid := vimeo_id(data)):
        src = f"https://player.vimeo.com/video/{vid}?dnt=1"
        player = (
            f'<iframe class="video-embed" src="{e(src)}" title="{label}" '
            'allow="fullscreen; picture-in-picture" allowfullscreen></iframe>'
        )
    elif provider == "internal" and (src := internal_video_url(data, ctx.assets)):
        poster = safe_url(data.get("thumbnail_url"))
        poster_attr = f' poster="{e(poster)}"' if poster else ""
        transcript = data.get("transcript") or {}
        track = ""
        if transcript.get("segments") and ctx.captions_url:
            lang = e(transcript.get("language") or "en")
            track = (
                f'<track kind="captions" src="{e(ctx.captions_url)}" srclang="{lang}" '
                f'label="{e(_("Captions"))} ({lang})" default>'
            )
        player = (
            f'<video class="video-embed" controls preload="metadata" playsinline '
            f'src="{e(src)}"{poster_attr} aria-label="{label}">{track}'
            f"{e(_('Your browser cannot play this video.'))}</video>"
        )
    if not player:
        player = f'<p class="notice">{e(_("This video is not available."))}</p>'
        provider = "none"
    duration = data.get("duration_seconds")
    meta = (
        f'<p class="muted small">{e(_("Length: %(d)s") % {"d": format_duration(duration)})}</p>'
        if duration
        else ""
    )
    return mark_safe(
        f'<div class="video-layout" data-video-provider="{e(provider)}">'
        f'<div class="video-main"><div class="video-frame">{player}</div>{meta}</div>'
        f"{_transcript(data)}</div>"
    )


def transcript_webvtt(data: dict[str, Any]) -> str:
    """The transcript as WebVTT captions; text is flattened to one line and entity-escaped, so
    no cue text can end a cue or smuggle markup."""

    def stamp(seconds: float) -> str:
        millis = round(seconds * 1000)
        hours, rest = divmod(millis, 3_600_000)
        minutes, rest = divmod(rest, 60_000)
        secs, ms = divmod(rest, 1000)
        return f"{hours:02d}:{minutes:02d}:{secs:02d}.{ms:03d}"

    out = ["WEBVTT", ""]
    segments = ((data.get("transcript") or {}).get("segments")) or []
    number = 0
    for seg in segments:
        text = " ".join(str(seg.get("text", "")).split())
        if not text:
            continue
        start = float(seg.get("start") or 0)
        end = max(float(seg.get("end") or 0), start + 0.5)
        number += 1
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out += [str(number), f"{stamp(start)} --> {stamp(end)}", text, ""]
    return "\n".join(out)


def asset_ids(data: dict[str, Any]) -> set[int]:
    return {data["asset_id"]} if isinstance(data.get("asset_id"), int) else set()


def with_asset_ids(data: dict[str, Any], mapping: dict[int, int]) -> dict[str, Any]:
    if data.get("asset_id") in mapping:
        return {**data, "asset_id": mapping[data["asset_id"]]}
    return data


DEFINITION = ContentTypeDefinition(
    name="video",
    schema=SCHEMA,
    draft=DRAFT,
    render=render_video,
    semantic_errors=semantic_errors,
    asset_ids=asset_ids,
    with_asset_ids=with_asset_ids,
)
