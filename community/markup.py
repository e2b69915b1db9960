"""The one renderer for user-written discussion text: a small Markdown with code and math.

What a post may contain: paragraphs, emphasis, lists, quotes, headings (shifted down two levels
so they sit below the page's own), links, fenced and inline code, and TeX math between `$...$`
(inline) or `$$...$$` (display), converted to MathML here on the server.

Two layers keep it safe. Markdown runs without its raw-HTML extensions, so any tag a user types
comes out as text; math is serialised from latex2mathml's element tree with every text escaped.
Then nh3 cleans the whole result against an allow-list: no script or style, no event handler or
style attributes, only http(s) and mailto links, each given rel="nofollow noopener". Nothing
reaches a page without passing through `render_markup`.
"""

import functools
import re
from html import escape
from xml.etree.ElementTree import Element

import latex2mathml.converter
import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

MATHML_TAGS = frozenset(
    {
        "math",
        "mrow",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "msub",
        "msup",
        "msubsup",
        "mfrac",
        "msqrt",
        "mroot",
        "mstyle",
        "merror",
        "mpadded",
        "mphantom",
        "menclose",
        "munder",
        "mover",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mmultiscripts",
        "mprescripts",
        "none",
        "semantics",
        "annotation",
    }
)
MATHML_ATTRIBUTES = frozenset(
    {
        "display",
        "mathvariant",
        "stretchy",
        "fence",
        "separator",
        "lspace",
        "rspace",
        "form",
        "largeop",
        "movablelimits",
        "accent",
        "accentunder",
        "displaystyle",
        "scriptlevel",
        "columnalign",
        "rowalign",
        "columnspacing",
        "rowspacing",
        "columnlines",
        "rowlines",
        "frame",
        "width",
        "height",
        "depth",
        "linethickness",
        "notation",
        "minsize",
        "maxsize",
        "symmetric",
        "encoding",
    }
)
HTML_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "b",
        "i",
        "del",
        "s",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h3",
        "h4",
        "h5",
        "h6",
        "span",
    }
)
ALLOWED_TAGS = HTML_TAGS | MATHML_TAGS
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    **{tag: set(MATHML_ATTRIBUTES) for tag in MATHML_TAGS},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"

# `$$...$$` first, then `$...$`: the opening `$` followed and the closing `$` preceded by a
# non-space, the closing one not followed by a digit, so "costs $5 and $10" stays text.
DISPLAY_MATH = r"(?<!\\)\$\$(?P<display>.+?)\$\$"
INLINE_MATH = r"(?<![\\$])\$(?P<inline>[^\s$](?:[^$\n]*?[^\s\\$])?)\$(?!\d)"
MATH_PATTERN = f"{DISPLAY_MATH}|{INLINE_MATH}"
MAX_FORMULA_LENGTH = 2000

_CHAR_REF = re.compile(r"&#x([0-9a-fA-F]{1,6});")
_HEADING = re.compile(r"<(/?)h([1-6])>")
_EMPTY_CLASS = re.compile(r' class=""')


def _decode_refs(text: str) -> str:
    """latex2mathml writes symbols as `&#x...;` references; decode them so text is escaped once."""

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
        return chr(code) if valid else "\ufffd"

    return _CHAR_REF.sub(char, text)


def _serialise(element: Element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    keep = tag in MATHML_TAGS
    if keep:
        attrs = "".join(
            f' {name}="{escape(str(value), quote=True)}"'
            for name, value in element.attrib.items()
            if name in MATHML_ATTRIBUTES
        )
        out.append(f"<{tag}{attrs}>")
    if element.text:
        out.append(escape(_decode_refs(element.text), quote=False))
    for child in element:
        _serialise(child, out)
    if keep:
        out.append(f"</{tag}>")
    if element.tail:
        out.append(escape(_decode_refs(element.tail), quote=False))


@functools.lru_cache(maxsize=1024)
def latex_to_mathml(latex: str, *, display: bool) -> str | None:
    """MathML for `latex`, or None when it cannot be converted."""
    if len(latex) > MAX_FORMULA_LENGTH:
        return None
    try:
        tree = latex2mathml.converter.convert_to_element(
            latex, display="block" if display else "inline"
        )
    except Exception:  # latex2mathml raises many unrelated exception types on bad input
        return None
    out: list[str] = []
    _serialise(tree, out)
    mathml = "".join(out)
    return mathml if mathml.startswith("<math") else None


class _MathProcessor(InlineProcessor):
    """Turns `$...$` and `$$...$$` into MathML; code spans are matched first and stay code."""

    def handleMatch(self, m: re.Match[str], data: str):
        display = m.group("display") is not None
        latex = (m.group("display") if display else m.group("inline")).strip()
        mathml = latex_to_mathml(latex, display=display)
        if mathml is None:
            source = f"$${latex}$$" if display else f"${latex}$"
            html = f'<code class="math-error">{escape(source)}</code>'
        elif display:
            html = f'<span class="math-display">{mathml}</span>'
        else:
            html = mathml
        return self.md.htmlStash.store(html), m.start(0), m.end(0)


class _SafeMarkupExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.ESCAPED_CHARS = [*md.ESCAPED_CHARS, "$"]
        # After code spans (190) and escapes (180), before links and emphasis.
        md.inlinePatterns.register(_MathProcessor(MATH_PATTERN, md), "math", 175)


def _shift_heading(match: re.Match[str]) -> str:
    return f"<{match.group(1)}h{min(int(match.group(2)) + 2, 6)}>"


def sanitise(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes of `html`."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        allowed_classes={"span": {"math-display"}, "code": {"math-error"}},
    )


@functools.lru_cache(maxsize=2048)
def render_markup(text: str) -> SafeString:
    """Safe HTML for a post body. Cached: the same body renders the same way for everyone."""
    converter = markdown.Markdown(
        extensions=["fenced_code", "sane_lists", _SafeMarkupExtension()],
        output_format="html",
    )
    html = _HEADING.sub(_shift_heading, converter.convert(text))
    return mark_safe(_EMPTY_CLASS.sub("", sanitise(html)))
