"""HTML for content items, one renderer per content type, and the course outline.

Everything a course author typed is escaped; the only markup that passes through is what these
functions write themselves, plus MathML from content.markup.mathml. URLs are kept only when
content.markup.policy.safe_url accepts them (http(s) or relative).
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from content.markup.mathml import latex_to_mathml
from content.markup.policy import safe_url
from content.models import ContentType
from content.payloads import QuizReviewPolicy, quiz_review_policy
from content.selectors import AssetRow, OutlineItem
from lms.dates import display_datetime
from syllabus.models import ModuleType
from syllabus.selectors import OutlineRow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderContext:
    """What a renderer may need besides the payload: the assets it refers to (already scoped
    to the item's university), the reader's time zone and the item's caption track URL."""

    assets: dict[int, AssetRow] = field(default_factory=dict)
    time_zone: str = "UTC"
    captions_url: str = ""
    title: str = ""


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _link(url: str, label: str) -> str:
    external = urlsplit(url).scheme != ""
    target = ' target="_blank"' if external else ""
    return f'<a href="{_e(url)}" rel="noopener"{target}>{_e(label)}</a>'


def _text_paragraphs(text: str, css: str = "") -> str:
    """Plain text as paragraphs: blank lines separate paragraphs, single newlines stay breaks."""
    cls = f' class="{css}"' if css else ""
    chunks = [c.strip("\n") for c in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        f"<p{cls}>{'<br>'.join(_e(line) for line in chunk.split(chr(10)))}</p>"
        for chunk in chunks
        if chunk.strip()
    )


def _zone(name: str) -> ZoneInfo:
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


def _timestamp(seconds: float) -> str:
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _dl(rows: Iterable[tuple[str, str]]) -> str:
    """A definition list; values are already-escaped HTML."""
    body = "".join(f"<div><dt>{_e(term)}</dt><dd>{value}</dd></div>" for term, value in rows)
    return f'<dl class="facts">{body}</dl>'


# Video -------------------------------------------------------------------------------------

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
            f'data-end="{end:g}"><span class="ts">{_timestamp(start)}</span> '
            f'<span class="tx">{_e(seg.get("text", ""))}</span></button></li>'
        )
    lang = _e(transcript.get("language") or "en")
    return (
        f'<section class="transcript" aria-labelledby="transcript-heading" lang="{lang}">'
        f'<h2 id="transcript-heading">{_e(_("Transcript"))}</h2>'
        f'<p class="muted small">{_e(_("Select a line to jump to that moment."))}</p>'
        f'<ol class="transcript-lines">{"".join(lines)}</ol></section>'
    )


def render_video(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    provider = data.get("provider")
    label = _e(_("Video: %(title)s") % {"title": ctx.title}) if ctx.title else _e(_("Video"))
    player = ""
    if provider == "youtube" and (vid := youtube_id(data)):
        src = f"https://www.youtube-nocookie.com/embed/{vid}?enablejsapi=1&rel=0"
        player = (
            f'<iframe class="video-embed" src="{_e(src)}" title="{label}" '
            'allow="encrypted-media; picture-in-picture; fullscreen" '
            'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>'
        )
    elif provider == "vimeo" and (vid := vimeo_id(data)):
        src = f"https://player.vimeo.com/video/{vid}?dnt=1"
        player = (
            f'<iframe class="video-embed" src="{_e(src)}" title="{label}" '
            'allow="fullscreen; picture-in-picture" allowfullscreen></iframe>'
        )
    elif provider == "internal" and (src := internal_video_url(data, ctx.assets)):
        poster = safe_url(data.get("thumbnail_url"))
        poster_attr = f' poster="{_e(poster)}"' if poster else ""
        transcript = data.get("transcript") or {}
        track = ""
        if transcript.get("segments") and ctx.captions_url:
            lang = _e(transcript.get("language") or "en")
            track = (
                f'<track kind="captions" src="{_e(ctx.captions_url)}" srclang="{lang}" '
                f'label="{_e(_("Captions"))} ({lang})" default>'
            )
        player = (
            f'<video class="video-embed" controls preload="metadata" playsinline '
            f'src="{_e(src)}"{poster_attr} aria-label="{label}">{track}'
            f"{_e(_('Your browser cannot play this video.'))}</video>"
        )
    if not player:
        player = f'<p class="notice">{_e(_("This video is not available."))}</p>'
        provider = "none"
    duration = data.get("duration_seconds")
    meta = (
        f'<p class="muted small">{_e(_("Length: %(d)s") % {"d": format_duration(duration)})}</p>'
        if duration
        else ""
    )
    return mark_safe(
        f'<div class="video-layout" data-video-provider="{_e(provider)}">'
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


# Text --------------------------------------------------------------------------------------


def _math_block(block: dict[str, Any]) -> str:
    latex = str(block.get("latex", ""))
    display = block.get("display", True) is not False
    mathml = latex_to_mathml(latex, display=display)
    if mathml is None:
        return (
            f'<div class="math-error"><code>{_e(latex)}</code>'
            f'<p class="muted small">{_e(_("This formula could not be displayed."))}</p></div>'
        )
    return f'<div class="math-block">{mathml}</div>' if display else f"<p>{mathml}</p>"


def _image_block(block: dict[str, Any], ctx: RenderContext) -> str:
    asset = ctx.assets.get(block.get("asset_id") or 0)
    url = safe_url(asset.url) if asset is not None else None
    if asset is None or url is None:
        return f'<p class="notice">{_e(_("This image is not available."))}</p>'
    alt = block.get("alt") or (asset.meta or {}).get("alt") or ""
    size = ""
    width, height = (asset.meta or {}).get("width"), (asset.meta or {}).get("height")
    if isinstance(width, int) and isinstance(height, int):
        size = f' width="{width}" height="{height}"'
    caption = block.get("caption")
    figcaption = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
    return (
        f'<figure class="figure"><img src="{_e(url)}" alt="{_e(alt)}"{size} loading="lazy">'
        f"{figcaption}</figure>"
    )


def _link_list_block(block: dict[str, Any]) -> str:
    links = [
        f"<li>{_link(url, item.get('label') or url)}</li>"
        for item in block.get("items") or []
        if (url := safe_url(item.get("url")))
    ]
    return f'<ul class="link-list">{"".join(links)}</ul>' if links else ""


def render_text(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    parts = []
    subtitle = data.get("title")
    if subtitle and subtitle != ctx.title:
        parts.append(f"<h2>{_e(subtitle)}</h2>")
    for block in data.get("blocks") or []:
        kind = block.get("type")
        if kind == "paragraph":
            parts.append(_text_paragraphs(str(block.get("text", ""))))
        elif kind == "math":
            parts.append(_math_block(block))
        elif kind == "image":
            parts.append(_image_block(block, ctx))
        elif kind == "link_list":
            parts.append(_link_list_block(block))
    return mark_safe(f'<div class="prose">{"".join(parts)}</div>')


# Resource, assignment, quiz, lab -----------------------------------------------------------


def render_resource(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    kinds = {"pdf": _("PDF"), "article": _("Article"), "video": _("Video")}
    rows = []
    for res in data.get("resources") or []:
        url = safe_url(res.get("url"))
        if url is None:
            continue
        kind = res.get("kind", "")
        rows.append(
            f'<li><span class="badge kind kind-{_e(kind)}">{_e(kinds.get(kind, kind))}</span> '
            f"{_link(url, res.get('label') or url)}</li>"
        )
    if not rows:
        return mark_safe(f'<p class="notice">{_e(_("No resources are available."))}</p>')
    return mark_safe(f'<ul class="resource-list">{"".join(rows)}</ul>')


def _local_datetime(value: str, tz_name: str) -> tuple[str, str] | None:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        return None
    local: datetime = parsed.astimezone(_zone(tz_name))
    text = f"{display_datetime(local, local.tzinfo)} ({local.tzname()})"
    return parsed.isoformat(), text


def _time_element(value: Any, tz_name: str) -> str | None:
    """A payload's date and time as a <time> element in the reader's zone; None without one."""
    local = _local_datetime(value, tz_name) if value else None
    if local is None:
        return None
    return f'<time datetime="{_e(local[0])}">{_e(local[1])}</time>'


def render_assignment(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    facts = []
    due = _time_element(data.get("due_at"), ctx.time_zone)
    if due:
        facts.append((_("Due"), due))
    else:
        facts.append((_("Due"), _e(_("No due date"))))
    if data.get("max_points") is not None:
        facts.append((_("Points"), _e(f"{data['max_points']:g}")))
    labels = {"file": _("File upload"), "text": _("Text"), "url": _("Web address")}
    if data.get("submission_types"):
        kinds = ", ".join(labels.get(k, k) for k in data["submission_types"])
        facts.append((_("Submit as"), _e(kinds)))
    if "allow_late" in data:
        late = _("Accepted") if data["allow_late"] else _("Not accepted")
        facts.append((_("Late submissions"), _e(late)))
    paragraphs = _text_paragraphs(str(data.get("instructions") or ""))
    if not paragraphs:
        return mark_safe(_dl(facts))
    return mark_safe(
        f'{_dl(facts)}<section class="prose"><h2>{_e(_("Instructions"))}</h2>{paragraphs}</section>'
    )


def render_quiz(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    modes = {"practice": _("Practice"), "exam": _("Exam")}
    mastery = data.get("mastery") or {}
    limit = data.get("time_limit_seconds")
    attempts = mastery.get("max_attempts")
    facts = [
        (_("Mode"), _e(modes.get(data.get("quiz_mode"), data.get("quiz_mode", "")))),
        (_("Questions per attempt"), _e(data.get("num_questions_per_attempt", ""))),
        (_("Time limit"), _e(format_duration(limit) if limit else _("No time limit"))),
        (_("Attempts allowed"), _e(attempts if attempts else _("Unlimited"))),
        (
            _("Question order"),
            _e(_("Shuffled for each attempt") if data.get("randomize_order") else _("Fixed")),
        ),
    ]
    if mastery.get("threshold_correct_in_row"):
        facts.append(
            (
                _("Mastery"),
                _e(
                    ngettext(
                        "%(n)s correct answer in a row",
                        "%(n)s correct answers in a row",
                        mastery["threshold_correct_in_row"],
                    )
                    % {"n": mastery["threshold_correct_in_row"]}
                ),
            )
        )
    if mastery.get("points") is not None:
        facts.append((_("Points"), _e(mastery["points"])))
    closes = _time_element(data.get("closes_at"), ctx.time_zone)
    if closes:
        facts.append((_("Closes"), closes))
    policy = QuizReviewPolicy(quiz_review_policy(data))
    facts.append((_("Correct answers shown"), _e(policy.label)))
    return mark_safe(_dl(facts))


def render_engineering_lab(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    runtimes = {"python-datascience": _("Python (data science)"), "matlab": _("MATLAB")}
    grading_types = {"unit_tests": _("Automatic (unit tests)"), "manual": _("Graded by staff")}
    files = [f["path"] for f in data.get("files") or [] if f.get("role") == "student_visible"]
    file_items = "".join(f"<li><code>{_e(path)}</code></li>" for path in files)
    file_list = f'<ul class="file-list">{file_items}</ul>' if files else _e(_("None"))
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
    facts = [
        (_("Runtime"), _e(runtimes.get(data.get("runtime"), data.get("runtime", "")))),
        (_("Files you work on"), file_list),
        (_("Limits"), _e(", ".join(limits) or _("None"))),
        (_("Grading"), _e(grading_text)),
    ]
    if data.get("entrypoint"):
        facts.insert(1, (_("Entry point"), f"<code>{_e(data['entrypoint'])}</code>"))
    note = _(
        "Download the starter files, work on them on your own computer, then upload your files "
        "on the lab page to have them graded."
    )
    return mark_safe(f'{_dl(facts)}<p class="notice">{_e(note)}</p>')


RENDERERS: dict[str, Callable[[dict[str, Any], RenderContext], SafeString]] = {
    "video": render_video,
    "text": render_text,
    "resource": render_resource,
    "assignment": render_assignment,
    "quiz": render_quiz,
    "engineering_lab": render_engineering_lab,
}


def render_item(content_type: str, data: dict[str, Any], ctx: RenderContext) -> SafeString:
    """The item's HTML. A payload that got into the database without passing payload_errors
    (an import, a copy of old data, a hand-made row) must not take the page down with it: what
    a renderer cannot read is logged and shown as a notice, never a server error."""
    renderer = RENDERERS.get(content_type)
    cannot = mark_safe(f'<p class="notice">{_e(_("This content cannot be displayed."))}</p>')
    if renderer is None or not isinstance(data, dict):
        return cannot
    try:
        return renderer(data, ctx)
    except (AttributeError, KeyError, TypeError, ValueError, OverflowError):
        logger.exception("A %s payload could not be rendered.", content_type)
        return cannot


def asset_ids(content_type: str, data: dict[str, Any]) -> set[int]:
    """The asset ids a payload refers to, so the caller can load them in one query."""
    if not isinstance(data, dict):
        return set()
    if content_type == "video" and isinstance(data.get("asset_id"), int):
        return {data["asset_id"]}
    blocks = data.get("blocks") if content_type == "text" else None
    if isinstance(blocks, list):
        return {
            b["asset_id"]
            for b in blocks
            if isinstance(b, dict)
            and b.get("type") == "image"
            and isinstance(b.get("asset_id"), int)
        }
    return set()


def with_asset_ids(content_type: str, data: Any, mapping: dict[int, int]) -> Any:
    """The payload with the asset ids of `mapping` replaced (the ones asset_ids finds)."""
    if not mapping or not isinstance(data, dict):
        return data
    if content_type == "video" and data.get("asset_id") in mapping:
        return {**data, "asset_id": mapping[data["asset_id"]]}
    if content_type == "text" and isinstance(data.get("blocks"), list):
        blocks = [
            {**b, "asset_id": mapping[b["asset_id"]]}
            if isinstance(b, dict) and b.get("type") == "image" and b.get("asset_id") in mapping
            else b
            for b in data["blocks"]
        ]
        return {**data, "blocks": blocks}
    return data


# Outline -----------------------------------------------------------------------------------


def render_outline(
    *,
    rows: list[OutlineRow],
    items_by_module: dict[int, list[OutlineItem]],
    item_url_template: str,
    counts: tuple[dict[int, int], dict[int, int]] | None,
    completed: set[int],
    mark_hidden: bool,
) -> SafeString:
    """The module tree as nested lists, in one pass over the pre-ordered rows.

    `item_url_template` is an item URL with `{id}` in place of the item id. `counts` is
    (completed, total) items of each module's subtree by module id (assessments'
    SubtreeCounts); None leaves progress out (staff). A course_root module is not drawn as a
    node: its items and children are the top level. With `mark_hidden`, unpublished modules and
    inactive items carry a badge.

    Speed matters here (a 5,000-module course is one page): every fixed piece of markup is
    built once up front, the markup is small (icons and bars come from player.css), and the
    loop only escapes titles and appends strings to one list.
    """
    url_prefix, url_suffix = (escape(part) for part in item_url_template.split("{id}", 1))
    done_note = f'<span class="vh"> ({escape(_("completed"))})</span>'
    unpublished = f' <span class="badge warn">{escape(_("Unpublished"))}</span>'
    inactive_close = f' <span class="badge warn">{escape(_("Inactive"))}</span></li>'
    item_open: dict[tuple[str, bool], str] = {}
    item_label: dict[str, str] = {}
    for value, label in ContentType.choices:
        item_label[value] = f'<span class="vh">{escape(str(label))}: </span>'
        item_open[value, False] = f'<li class="i {value}"><a href="{url_prefix}'
        item_open[value, True] = f'<li class="i {value} done"><a href="{url_prefix}'
    type_small = {k: f" <small>{escape(str(v))}</small>" for k, v in ModuleType.choices}
    course_root = ModuleType.COURSE_ROOT
    done_counts, total_counts = counts if counts is not None else ({}, {})

    out = ['<ol class="tree">']
    append = out.append

    def append_items(items: list[OutlineItem]) -> None:
        append('<ul class="items">')
        for id_, _module_id, title, content_type, is_active in items:
            done = id_ in completed
            append(
                f'{item_open[content_type, done]}{id_}{url_suffix}">{item_label[content_type]}'
                f"{escape(title)}</a>{done_note if done else ''}"
                f"{inactive_close if mark_hidden and not is_active else '</li>'}"
            )
        append("</ul>")

    open_depths: list[int] = []
    next_depths = [row["depth"] for row in rows[1:]]
    next_depths.append(-1)
    for row, next_depth in zip(rows, next_depths, strict=False):
        depth = row["depth"]
        while open_depths and open_depths[-1] >= depth:
            open_depths.pop()
            append("</ol></details></li>")
        module_id = row["id"]
        items = items_by_module.get(module_id)
        if depth == 0 and row["module_type"] == course_root:
            if items:
                append('<li class="root-items">')
                append_items(items)
                append("</li>")
            continue
        css = "m"
        progress = ""
        total = total_counts.get(module_id)
        if total:
            done = done_counts[module_id]
            pct = done * 100 // total
            progress = f'<span class="mp pct-{pct}">{pct}%</span>'
            if done == total:
                css = "m done"
                progress += done_note
        head = (
            f'<span class="mt">{escape(row["title"])}</span>{type_small[row["module_type"]]}'
            f"{unpublished if mark_hidden and not row['is_published'] else ''}{progress}"
        )
        if next_depth <= depth and not items:
            append(f'<li class="{css} empty"><div class="mh">{head}</div></li>')
            continue
        append(f'<li class="{css}"><details open><summary class="mh">{head}</summary>')
        if items:
            append_items(items)
        if next_depth > depth:
            append('<ol class="tree">')
            open_depths.append(depth)
        else:
            append("</details></li>")
    append("</ol></details></li>" * len(open_depths))
    append("</ol>")
    return mark_safe("".join(out))
