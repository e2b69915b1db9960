"""Open edX HTML components turned into the text type's blocks (content/types/text.py).

The markup goes through the one sanitiser (content.markup.policy) first; what survives is read
into paragraphs of plain text, images that name a file of the package's `static/` folder, the
links of each paragraph as a link list, and math written as `\\( \\)`, `\\[ \\]`,
`[mathjaxinline]` or `[mathjax]` as math blocks (display or inline).
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from content.markup.policy import safe_url, sanitise

_BREAKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre", "ul"}
_BREAKS |= {"ol", "table", "section", "article", "figure", "figcaption", "dd", "dt"}
_IMAGE_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_MATH = re.compile(
    r"\[\[olx-image-(?P<img>\d+)\]\]"
    r"|\\\[(?P<d1>.+?)\\\]|\[mathjax\](?P<d2>.+?)\[/mathjax\]"
    r"|\\\((?P<i1>.+?)\\\)|\[mathjaxinline\](?P<i2>.+?)\[/mathjaxinline\]",
    re.DOTALL,
)


def static_name(src: str) -> str | None:
    """The file under static/ that an Open edX address names (`/static/a.png`,
    `static/a.png`), or None for an address elsewhere."""
    for prefix in ("/static/", "static/", "/c4x/"):
        if src.startswith(prefix):
            return (
                src[len(prefix) :].split("?", 1)[0] if prefix != "/c4x/" else src.rsplit("/", 1)[-1]
            )
    return None


@dataclass
class TextPlan:
    """Blocks, with images still naming their static file (`static` instead of `asset_id`)."""

    blocks: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, plan: TextPlan, images: list[dict[str, Any]]) -> None:
        super().__init__(convert_charrefs=True)
        self.plan = plan
        self.images = images
        self.text: list[str] = []
        self.links: list[dict[str, str]] = []
        self.href: str | None = None
        self.label: list[str] = []

    def flush(self) -> None:
        text = "".join(self.text)
        self.text = []
        _add_text(self.plan, text, self.images)
        if self.links:
            self.plan.blocks.append({"type": "link_list", "items": self.links})
            self.links = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in _BREAKS:
            self.flush()
        elif tag == "br":
            self.text.append("\n")
        elif tag == "a":
            self.href, self.label = values.get("href"), []

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAKS:
            self.flush()
        elif tag == "a" and self.href is not None:
            label = " ".join("".join(self.label).split())
            url = self.href
            if (name := static_name(url)) is not None:
                self.plan.warnings.append(f"link to static file {name!r} kept as its label")
            elif safe_url(url):
                self.links.append({"label": label or url, "url": url})
            self.href = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.href is not None:
            self.label.append(data)


def _add_text(plan: TextPlan, text: str, images: list[dict[str, Any]]) -> None:
    """Paragraph, image and math blocks of one run of text, in order."""
    at = 0
    for found in _MATH.finditer(text):
        _add_paragraph(plan, text[at : found.start()])
        at = found.end()
        if found.group("img") is not None:
            index = int(found.group("img"))
            if index < len(images):
                plan.blocks.append(images[index])
            continue
        display = bool(found.group("d1") or found.group("d2"))
        latex = next(g for g in found.group("d1", "d2", "i1", "i2") if g).strip()
        if latex:
            plan.blocks.append({"type": "math", "latex": latex, "display": display})
    _add_paragraph(plan, text[at:])


def _add_paragraph(plan: TextPlan, text: str) -> None:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    body = "\n".join(line for line in lines if line)
    if body:
        plan.blocks.append({"type": "paragraph", "text": body})


class _ImageAttributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found = {k: v or "" for k, v in attrs}


def _image_block(tag: str, plan: TextPlan) -> dict[str, Any] | None:
    """The image block an <img> names (its file still to become an asset), or None with a
    warning for an image outside the package (a text item shows only the university's assets)."""
    reader = _ImageAttributes()
    reader.feed(tag)
    src = reader.found.get("src", "")
    name = static_name(src)
    if name is None:
        plan.warnings.append(f"image {src!r} is not in the package and was left out")
        return None
    block = {"type": "image", "static": name}
    if reader.found.get("alt", "").strip():
        block["alt"] = " ".join(reader.found["alt"].split())
    return block


def html_to_blocks(markup: str) -> TextPlan:
    """The sanitiser does not keep <img>, so each image is read first and stands in the text
    as a placeholder that becomes its image block."""
    plan = TextPlan()
    images: list[dict[str, Any]] = []

    def placeholder(found: re.Match[str]) -> str:
        block = _image_block(found.group(0), plan)
        if block is None:
            return ""
        images.append(block)
        return f"<p>[[olx-image-{len(images) - 1}]]</p>"

    reader = _Reader(plan, images)
    reader.feed(sanitise(_IMAGE_TAG.sub(placeholder, markup)))
    reader.close()
    reader.flush()
    return plan
