"""Video: a YouTube or Vimeo embed or an uploaded file, with an optional transcript."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.markup.policy import safe_url
from content.models import (
    Asset,
    AssetType,
    VideoItem,
)
from content.transcripts import TranscriptError, decode_caption_file, parse_captions
from content.types.base import (
    URL,
    ContentTypeDefinition,
    RenderContext,
    format_duration,
    render_template,
    timestamp,
)
from content.types.editing import (
    ItemEditorForm,
    url_field,
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


def _url_parts(value: Any):
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
    parts = _url_parts(data.get("url"))
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
    parts = _url_parts(data.get("url"))
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


def _segments(data: dict[str, Any]) -> list[dict[str, str]]:
    segments = []
    for seg in (data.get("transcript") or {}).get("segments") or []:
        start = float(seg.get("start") or 0)
        end = float(seg.get("end") or start)
        segments.append(
            {
                "start": f"{start:g}",
                "end": f"{end:g}",
                "stamp": timestamp(start),
                "text": str(seg.get("text", "")),
            }
        )
    return segments


def _player(data: dict[str, Any], ctx: RenderContext) -> dict[str, Any]:
    """The embed the payload asks for, or provider "none" when it cannot be shown."""
    provider = data.get("provider")
    start = max(0, int(ctx.start_seconds))
    if provider == "youtube" and (vid := youtube_id(data)):
        at = f"&start={start}" if start else ""
        return {
            "provider": provider,
            "src": f"https://www.youtube-nocookie.com/embed/{vid}?enablejsapi=1&rel=0{at}",
        }
    if provider == "vimeo" and (vid := vimeo_id(data)):
        at = f"#t={start}s" if start else ""
        return {"provider": provider, "src": f"https://player.vimeo.com/video/{vid}?dnt=1{at}"}
    if provider == "internal" and (src := internal_video_url(data, ctx.assets)):
        transcript = data.get("transcript") or {}
        has_track = transcript.get("segments") and ctx.captions_url
        return {
            "provider": provider,
            "src": f"{src.split('#')[0]}#t={start}" if start else src,
            "poster": safe_url(data.get("thumbnail_url")),
            "track_language": str(transcript.get("language") or "en") if has_track else "",
            "captions_url": ctx.captions_url,
            "captions_label": _("Captions"),
        }
    return {"provider": "none"}


def render_video(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    duration = data.get("duration_seconds")
    transcript = data.get("transcript") or {}
    context = {
        **_player(data, ctx),
        "start": max(0, int(ctx.start_seconds)),
        "label": _("Video: %(title)s") % {"title": ctx.title} if ctx.title else _("Video"),
        "length": _("Length: %(d)s") % {"d": format_duration(duration)} if duration else "",
        "segments": _segments(data),
        "transcript_language": str(transcript.get("language") or "en"),
    }
    return render_template("video", context)


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


# Editor ----------------------------------------------------------------------------------


class VideoEditorForm(ItemEditorForm):
    provider = forms.ChoiceField(
        label=gettext_lazy("Provider"),
        choices=[
            ("youtube", "YouTube"),
            ("vimeo", "Vimeo"),
            ("internal", gettext_lazy("Uploaded file")),
        ],
    )
    video_id = forms.CharField(
        label=gettext_lazy("Video id"),
        required=False,
        max_length=128,
        help_text=gettext_lazy("The id on YouTube or Vimeo; or give the URL instead."),
    )
    url = url_field(label=gettext_lazy("Video URL"), required=False)
    asset = forms.ModelChoiceField(
        label=gettext_lazy("Video from the asset library"),
        queryset=Asset.objects.none(),
        required=False,
    )
    duration_seconds = forms.IntegerField(
        label=gettext_lazy("Duration (seconds)"), min_value=0, required=False
    )
    thumbnail_url = url_field(label=gettext_lazy("Thumbnail URL"), required=False)
    transcript_file = forms.FileField(
        label=gettext_lazy("Transcript file"),
        required=False,
        help_text=gettext_lazy("WebVTT (.vtt) or SubRip (.srt); replaces the current transcript."),
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,.srt,text/vtt"}),
    )
    transcript_language = forms.CharField(
        label=gettext_lazy("Transcript language"),
        initial="en",
        min_length=2,
        max_length=16,
        required=False,
    )
    remove_transcript = forms.BooleanField(
        label=gettext_lazy("Remove the transcript"), required=False
    )

    payload_fields = {
        "provider": "provider",
        "video_id": "video_id",
        "url": "url",
        "asset_id": "asset",
        "duration_seconds": "duration_seconds",
        "thumbnail_url": "thumbnail_url",
        "transcript": "transcript_file",
    }

    class Meta(ItemEditorForm.Meta):
        model = VideoItem

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = self.assets.filter(asset_type=AssetType.VIDEO)

    def initial_from_payload(self, payload):
        initial = super().initial_from_payload(payload)
        initial["asset"] = payload.get("asset_id")
        transcript = payload.get("transcript") or {}
        initial["transcript_language"] = transcript.get("language") or "en"
        initial.pop("transcript_file")
        return initial

    @property
    def current_transcript(self) -> dict[str, Any] | None:
        stored = self.instance.data_json if self.instance.pk else None
        return (stored or {}).get("transcript") if isinstance(stored, dict) else None

    def clean_transcript_file(self):
        upload = self.cleaned_data.get("transcript_file")
        if not upload:
            return None
        try:
            return parse_captions(decode_caption_file(upload.read()))
        except TranscriptError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = self.cleaned_data
        provider = cleaned.get("provider")
        if provider in ("youtube", "vimeo") and not (cleaned.get("video_id") or cleaned.get("url")):
            self.add_error("video_id", gettext_lazy("Give the video id or its URL."))
        if provider == "internal" and not (cleaned.get("asset") or cleaned.get("url")):
            self.add_error("asset", gettext_lazy("Pick an uploaded video or give its URL."))
        if cleaned.get("transcript_file") and not cleaned.get("transcript_language"):
            self.add_error(
                "transcript_language", gettext_lazy("Say which language the transcript is in.")
            )
        return super().clean()

    def build_payload(self, cleaned, rows):
        payload: dict[str, Any] = {"provider": cleaned["provider"]}
        for key in ("video_id", "url", "duration_seconds", "thumbnail_url"):
            if cleaned.get(key) not in (None, ""):
                payload[key] = cleaned[key]
        if cleaned.get("asset"):
            payload["asset_id"] = cleaned["asset"].pk
        segments = cleaned.get("transcript_file")
        if segments:
            payload["transcript"] = {
                "language": cleaned["transcript_language"],
                "segments": segments,
            }
        elif self.current_transcript and not cleaned.get("remove_transcript"):
            transcript = dict(self.current_transcript)
            if cleaned.get("transcript_language"):
                transcript["language"] = cleaned["transcript_language"]
            payload["transcript"] = transcript
        return payload


DEFINITION = ContentTypeDefinition(
    editor=VideoEditorForm,
    name="video",
    schema=SCHEMA,
    draft=DRAFT,
    render=render_video,
    semantic_errors=semantic_errors,
    asset_ids=asset_ids,
    with_asset_ids=with_asset_ids,
)
