"""An Open edX OLX course export read into a plan of what to create, touching no database.

The shape (Open edX's "OLX" docs): `course.xml` names the run (`url_name`) and carries `org`
and `course`; `course/<run>.xml` holds the course's `display_name`, `language` and its
chapters; chapters hold sequentials (subsections), sequentials hold verticals (units), and
verticals hold components: `html`, `video`, `problem` and others. Any element may be written
inline or as a pointer (`<chapter url_name="x"/>`) to `chapter/x.xml`; an html component's
markup is in `html/<filename>.html`. `static/` holds files, `about/overview.html` the course
description.

Chapters become units, sequentials chapters and verticals lessons (quizzes when they hold only
problems); html becomes text items, video video items (transcripts from `static/`), the mapped
capa problems of a vertical one quiz over a pool of their questions. Everything else is a
warning naming its file and the reason.
"""

import json
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, tostring

from django.utils.translation import gettext as _

from content.transcripts import TranscriptError, decode_caption_file, parse_captions
from interchange.archives import Package, PackageRefused
from interchange.courses.capa import MAPPED, UNMAPPED_REASONS, problem_questions, response_kinds
from interchange.courses.html_blocks import html_to_blocks, static_name
from interchange.questions.bank import BankRefused, ParsedQuestion
from interchange.questions.xmlsafe import parse_xml
from syllabus.models import ModuleType

LEVELS = {"chapter": ModuleType.UNIT, "sequential": ModuleType.CHAPTER, "vertical": None}
CHILD = {"course": "chapter", "chapter": "sequential", "sequential": "vertical"}
UNMAPPED_COMPONENTS = {
    "lti": "LTI tools are not imported",
    "lti_consumer": "LTI tools are not imported",
    "openassessment": "open response assessments (ORA) are not imported",
    "drag-and-drop-v2": "drag and drop problems are not imported",
    "discussion": "inline discussions are not imported",
    "library_content": "content library blocks are not imported",
    "word_cloud": "word clouds are not imported",
    "poll": "polls are not imported",
}
TITLE_MAX = 255


@dataclass
class ItemPlan:
    content_type: str  # "text", "video" or "quiz"
    title: str
    data: dict[str, Any]
    place: str
    questions: list[ParsedQuestion] = field(default_factory=list)


@dataclass
class ModulePlan:
    module_type: str
    title: str
    place: str
    children: list["ModulePlan"] = field(default_factory=list)
    items: list[ItemPlan] = field(default_factory=list)


@dataclass
class CoursePlan:
    title: str
    code: str
    description: str
    language: str
    modules: list[ModulePlan] = field(default_factory=list)
    statics: dict[str, bytes] = field(default_factory=dict)
    transcripts: int = 0
    warnings: list[str] = field(default_factory=list)

    def walk(self) -> list[ModulePlan]:
        out: list[ModulePlan] = []
        pending = list(reversed(self.modules))
        while pending:
            module = pending.pop()
            out.append(module)
            pending.extend(reversed(module.children))
        return out


class _Reader:
    def __init__(self, package: Package) -> None:
        self.package = package
        self.warnings: list[str] = []
        self.transcripts = 0

    def xml(self, path: str) -> Element:
        data = self.package.read(path)
        if data is None:
            raise PackageRefused(_("The package has no %(path)s.") % {"path": path})
        try:
            return parse_xml(data)
        except BankRefused as refused:
            raise PackageRefused(f"{path}: {refused.message}") from None

    def resolve(self, element: Element) -> tuple[Element, str]:
        """A pointer element's own file, or the element itself when written inline."""
        name = element.get("url_name")
        path = f"{element.tag}/{name}.xml"
        if name and len(element) == 0 and self.package.read(path) is not None:
            target = self.xml(path)
            for key, value in element.attrib.items():
                target.attrib.setdefault(key, value)
            target.set("url_name", name)
            return target, path
        return element, f"{element.tag}/{name or '(inline)'}"

    def text(self, path: str) -> str | None:
        data = self.package.read(path)
        return None if data is None else data.decode("utf-8", "replace")

    def module(self, element: Element, place: str) -> ModulePlan:
        kind = element.tag
        title = (element.get("display_name") or kind.title()).strip()[:TITLE_MAX]
        plan = ModulePlan(LEVELS[kind] or ModuleType.LESSON, title or kind.title(), place)
        for child in element:
            node, where = self.resolve(child)
            if kind in CHILD and node.tag == CHILD[kind]:
                plan.children.append(self.module(node, where))
            elif kind == "vertical":
                self.component(plan, node, where)
            else:
                self.warnings.append(f"{where}: a <{node.tag}> inside a {kind} is not imported")
        if kind == "vertical" and plan.items and all(i.content_type == "quiz" for i in plan.items):
            plan.module_type = ModuleType.QUIZ
        return plan

    def component(self, vertical: ModulePlan, node: Element, where: str) -> None:
        title = (node.get("display_name") or "").strip()[:TITLE_MAX]
        if node.tag == "html":
            self.html(vertical, node, where, title or vertical.title)
        elif node.tag == "video":
            self.video(vertical, node, where, title or _("Video"))
        elif node.tag == "problem":
            self.problem(vertical, node, where, title or vertical.title)
        else:
            reason = UNMAPPED_COMPONENTS.get(node.tag, f"<{node.tag}> components are not supported")
            self.warnings.append(f"{where}: {reason}")

    def html(self, vertical: ModulePlan, node: Element, where: str, title: str) -> None:
        filename = node.get("filename")
        if filename:
            where = f"html/{filename}.html"
            markup = self.text(where)
            if markup is None:
                self.warnings.append(f"{where}: the file is missing, the component is left out")
                return
        else:
            markup = (node.text or "") + "".join(_serialise(child) for child in node)
        text = html_to_blocks(markup)
        self.warnings += [f"{where}: {warning}" for warning in text.warnings]
        if not text.blocks:
            self.warnings.append(f"{where}: the component has no text and is left out")
            return
        data = {"layout": "rich_text_v1", "title": title, "blocks": text.blocks}
        vertical.items.append(ItemPlan("text", title, data, where))

    def transcript(self, node: Element, where: str) -> dict[str, Any] | None:
        tracks = {t.get("language") or "en": t.get("src") for t in node if t.tag == "transcript"}
        try:
            listed = json.loads(node.get("transcripts") or "{}")
        except ValueError:
            listed = {}
        if isinstance(listed, dict):
            tracks = {**{str(k): str(v) for k, v in listed.items()}, **tracks}
        tracks = {lang: src for lang, src in tracks.items() if src}
        if node.get("sub") and "en" not in tracks:
            tracks["en"] = f"subs_{node.get('sub')}.srt.sjson"
        if not tracks:
            return None
        language = "en" if "en" in tracks else sorted(tracks)[0]
        for other in sorted(set(tracks) - {language}):
            self.warnings.append(f"{where}: the {other} transcript is not kept (one per video)")
        path = f"static/{tracks[language]}"
        raw = self.package.read(path)
        if raw is None:
            self.warnings.append(f"{where}: transcript {path} is missing")
            return None
        try:
            segments = (
                _sjson(raw) if path.endswith(".sjson") else parse_captions(decode_caption_file(raw))
            )
        except (TranscriptError, ValueError) as error:
            self.warnings.append(f"{path}: transcript not imported ({error})")
            return None
        self.transcripts += 1
        return {"language": language[:16] if len(language) >= 2 else "en", "segments": segments}

    def video(self, vertical: ModulePlan, node: Element, where: str, title: str) -> None:
        youtube = node.get("youtube_id_1_0") or ""
        if not youtube and node.get("youtube"):
            speeds = dict(p.split(":", 1) for p in node.get("youtube", "").split(",") if ":" in p)
            youtube = speeds.get("1.00") or speeds.get("1.0") or ""
        sources = [s.get("src") for s in node if s.tag == "source" and s.get("src")]
        try:
            listed = json.loads(node.get("html5_sources") or "[]")
        except ValueError:
            listed = []
        sources += [s for s in listed if isinstance(s, str)]
        data: dict[str, Any]
        if youtube.strip():
            data = {"provider": "youtube", "video_id": youtube.strip()}
        elif sources and f"static/{static_name(sources[0])}" in self.package.files:
            data = {"provider": "internal", "static": static_name(sources[0])}
        elif sources and sources[0].startswith(("https://", "http://")):
            data = {"provider": "internal", "url": sources[0]}
        else:
            self.warnings.append(f"{where}: the video has no YouTube id or web address")
            return
        transcript = self.transcript(node, where)
        if transcript is not None:
            data["transcript"] = transcript
        vertical.items.append(ItemPlan("video", title, data, where))

    def problem(self, vertical: ModulePlan, node: Element, where: str, title: str) -> None:
        kinds = response_kinds(node)
        unmapped = [k for k in kinds if k not in MAPPED]
        if not kinds:
            self.warnings.append(f"{where}: the problem has no response to grade")
            return
        if unmapped:
            reason = UNMAPPED_REASONS.get(unmapped[0], "this problem type is not supported")
            self.warnings.append(f"{where}: {unmapped[0]}: {reason}")
            return
        questions = problem_questions(node, place=where, title=title)
        quiz = next((i for i in vertical.items if i.content_type == "quiz"), None)
        if quiz is None:
            quiz = ItemPlan("quiz", vertical.title, {}, where)
            vertical.items.append(quiz)
        quiz.questions += questions


def _serialise(element: Element) -> str:
    return tostring(element, encoding="unicode")


def _sjson(raw: bytes) -> list[dict[str, Any]]:
    """Open edX's own transcript format: parallel lists of start and end (ms) and text."""
    data = json.loads(raw.decode("utf-8-sig"))
    starts, ends, texts = data["start"], data["end"], data["text"]
    segments = [
        {
            "start": round(s / 1000, 3),
            "end": round(max(e, s) / 1000, 3),
            "text": " ".join(str(t).split()),
        }
        for s, e, t in zip(starts, ends, texts, strict=True)
        if str(t).strip()
    ]
    if not segments:
        raise ValueError("no captions")
    return segments


def _description(markup: str) -> str:
    """about/overview.html as the course's plain-text description, a paragraph per block."""
    blocks = html_to_blocks(markup).blocks
    return "\n\n".join(b["text"] for b in blocks if b["type"] == "paragraph")


def _root(package: Package) -> Package:
    """Open edX puts the export in one top folder (`course/course.xml`): look there too."""
    candidates = sorted(
        (n for n in package.files if n == "course.xml" or n.endswith("/course.xml")),
        key=lambda n: n.count("/"),
    )
    if not candidates:
        raise PackageRefused(_("This is not an Open edX course export: there is no course.xml."))
    return package.rooted_at(candidates[0].rpartition("/")[0])


def olx_plan(package: Package) -> CoursePlan:
    """What the OLX package would create; PackageRefused when it is not one or XML is hostile."""
    package = _root(package)
    reader = _Reader(package)
    pointer = reader.xml("course.xml")
    if pointer.tag != "course":
        raise PackageRefused(_("course.xml does not describe a course."))
    course, _where = reader.resolve(pointer)
    overview = reader.text("about/overview.html")
    plan = CoursePlan(
        title=(course.get("display_name") or course.get("course") or _("Imported course"))[
            :TITLE_MAX
        ],
        code=(course.get("course") or course.get("url_name") or "")[:128],
        description=_description(overview or ""),
        language=(course.get("language") or "en")[:8],
    )
    for child in course:
        node, where = reader.resolve(child)
        if node.tag == "chapter":
            plan.modules.append(reader.module(node, where))
        elif node.tag not in ("wiki",):
            reader.warnings.append(f"{where}: a <{node.tag}> in the course is not imported")
    subs = {name for name in package.under("static") if name.endswith((".srt", ".sjson", ".vtt"))}
    plan.statics = {n: package.files[n] for n in package.under("static") if n not in subs}
    plan.transcripts = reader.transcripts
    plan.warnings = reader.warnings
    return plan
