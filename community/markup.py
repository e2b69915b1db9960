"""The one renderer for user-written discussion text: a small Markdown with code and math.

What a post may contain: paragraphs, emphasis, lists, quotes, headings (shifted down two levels
so they sit below the page's own), links, fenced and inline code, and TeX math between `$...$`
(inline) or `$$...$$` (display), converted to MathML here on the server.

Two layers keep it safe. Markdown runs without its raw-HTML extensions, so any tag a user types
comes out as text; math is serialised by content.markup.mathml with every text escaped.
Then nh3 cleans the whole result against the shared allow-list of content.markup.policy: no
script or style, no event handler or style attributes, only http(s) and mailto links, each
given rel="nofollow noopener". Nothing reaches a page without passing through `render_markup`.
"""

import functools
import re
from html import escape

import markdown
from django.utils.safestring import SafeString
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from content.markup.mathml import latex_to_mathml
from content.markup.policy import sanitised_html

# `$$...$$` first, then `$...$`: the opening `$` followed and the closing `$` preceded by a
# non-space, the closing one not followed by a digit, so "costs $5 and $10" stays text.
DISPLAY_MATH = r"(?<!\\)\$\$(?P<display>.+?)\$\$"
INLINE_MATH = r"(?<![\\$])\$(?P<inline>[^\s$](?:[^$\n]*?[^\s\\$])?)\$(?!\d)"
MATH_PATTERN = f"{DISPLAY_MATH}|{INLINE_MATH}"
MAX_FORMULA_LENGTH = 2000

_HEADING = re.compile(r"<(/?)h([1-6])>")


def _formula_mathml(latex: str, *, display: bool) -> str | None:
    """MathML for a formula in a post, or None when it is too long or cannot be converted."""
    if len(latex) > MAX_FORMULA_LENGTH:
        return None
    return latex_to_mathml(latex, display=display, namespace=False)


class _MathProcessor(InlineProcessor):
    """Turns `$...$` and `$$...$$` into MathML; code spans are matched first and stay code."""

    def handleMatch(self, m: re.Match[str], data: str):
        display = m.group("display") is not None
        latex = (m.group("display") if display else m.group("inline")).strip()
        mathml = _formula_mathml(latex, display=display)
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


@functools.lru_cache(maxsize=2048)
def render_markup(text: str) -> SafeString:
    """Safe HTML for a post body. Cached: the same body renders the same way for everyone."""
    converter = markdown.Markdown(
        extensions=["fenced_code", "sane_lists", _SafeMarkupExtension()],
        output_format="html",
    )
    html = _HEADING.sub(_shift_heading, converter.convert(text))
    return sanitised_html(html)
