"""Caption files (WebVTT and SubRip) read into the transcript segments of a video payload.

Authors upload whatever their captioning tool produced, so the reader is lenient where the
formats disagree (comma or dot before the milliseconds, hours optional, cue numbers optional)
and strict where a mistake would reach students: a timing line that does not parse, a cue that
ends before it starts or a file without a single cue is an error naming the line.
"""

import html
import re
from typing import TypedDict

MAX_BYTES = 2 * 1024 * 1024

_TIME = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s+.*)?$")
_TAG = re.compile(r"<[^>]*>")


class Segment(TypedDict):
    start: float
    end: float
    text: str


class TranscriptError(ValueError):
    """A caption file that cannot be read; the message says where and why."""


def _seconds(hours: str | None, minutes: str, seconds: str, fraction: str) -> float:
    if int(minutes) > 59 or int(seconds) > 59:
        raise ValueError
    millis = int(fraction.ljust(3, "0"))
    return round(int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + millis / 1000, 3)


def _cue_text(lines: list[str]) -> str:
    """One line of plain text: voice and styling tags dropped, entities decoded."""
    text = " ".join(_TAG.sub("", line).strip() for line in lines)
    return " ".join(html.unescape(text).split())


def decode_caption_file(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise TranscriptError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TranscriptError("The file is not text in UTF-8.")


def parse_captions(text: str) -> list[Segment]:
    """Segments of a WebVTT or SubRip document, in file order."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    is_vtt = bool(lines) and lines[0].lstrip("\ufeff").startswith("WEBVTT")
    # Blocks of consecutive non-blank lines, each with the number of its first line.
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start_line = 1
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start_line = number
            current.append(line)
        elif current:
            blocks.append((start_line, current))
            current = []
    if current:
        blocks.append((start_line, current))
    if is_vtt and blocks:
        blocks = blocks[1:]  # the WEBVTT header block
    segments: list[Segment] = []
    for first_line, block in blocks:
        if is_vtt and block[0].split(" ", 1)[0] in ("NOTE", "STYLE", "REGION"):
            continue
        timing_at = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
        if timing_at is None:
            raise TranscriptError(
                f"Line {first_line}: expected a timing line like 00:00:01.000 --> 00:00:04.000."
            )
        line_number = first_line + timing_at
        match = _TIMING.match(block[timing_at])
        if match is None:
            raise TranscriptError(f"Line {line_number}: the timing line cannot be read.")
        try:
            start = _seconds(*match.groups()[:4])
            end = _seconds(*match.groups()[4:])
        except ValueError:
            raise TranscriptError(f"Line {line_number}: minutes and seconds go up to 59.") from None
        if end < start:
            raise TranscriptError(f"Line {line_number}: the cue ends before it starts.")
        cue = _cue_text(block[timing_at + 1 :])
        if cue:
            segments.append(Segment(start=start, end=end, text=cue))
    if not segments:
        raise TranscriptError("The file contains no captions.")
    return segments
