"""Rendering text items (paragraphs, math, images, links) and the URL filter every renderer uses."""

from html import escape

import pytest

from content.markup.mathml import latex_to_mathml
from content.markup.policy import safe_url
from content.selectors import AssetRow
from content.tests.rendering.support import XSS, ctx, text
from content.types.text import render_text

# URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.edu/a?b=c#d",
        "http://example.edu",
        "/static/notes.pdf",
        "notes/week1.html",
        "#section-2",
        "?page=2",
    ],
)
def test_safe_url_keeps_http_and_relative(url):
    assert safe_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "//evil.example/x",
        "/\\evil.example",
        "https://",
        "ftp://example.edu/file",
        "mailto:someone@example.edu",
        "",
        None,
        42,
    ],
)
def test_safe_url_drops_everything_else(url):
    assert safe_url(url) is None


# Text ------------------------------------------------------------------------------------


def test_paragraph_is_escaped_with_line_breaks_kept():
    html = render_text(
        text({"type": "paragraph", "text": f"Line one {XSS}\nline two\n\nSecond & last"}),
        ctx(title="Reading"),
    )
    assert html == (
        '<div class="prose"><p>Line one &lt;script&gt;alert(1)&lt;/script&gt;<br>line two</p>'
        "<p>Second &amp; last</p></div>"
    )


def test_subtitle_is_shown_when_it_differs_and_escaped():
    assert "<h2>&lt;i&gt;Why&lt;/i&gt;</h2>" in render_text(
        text({"type": "paragraph", "text": "x"}, title="<i>Why</i>"), ctx(title="Reading")
    )
    assert "<h2>" not in render_text(
        text({"type": "paragraph", "text": "x"}, title="Reading"), ctx(title="Reading")
    )


def test_math_becomes_mathml():
    html = render_text(text({"type": "math", "latex": r"\frac{1}{2} + x^2"}), ctx())
    assert html.startswith('<div class="prose"><div class="math-block"><math ')
    assert 'display="block"' in html
    assert "<mfrac><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></mfrac>" in html
    inline = render_text(text({"type": "math", "latex": "x", "display": False}), ctx())
    assert '<p><math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in inline


@pytest.mark.parametrize(
    "latex", [r"x^{", r"\left( x <b>", r"\begin{matrix} a \end{pmatrix}", r"\frac{1}{"]
)
def test_bad_latex_shows_the_escaped_source(latex):
    html = render_text(text({"type": "math", "latex": latex}), ctx())
    assert "<math" not in html
    assert html == (
        f'<div class="prose"><div class="math-error"><code>{escape(latex)}</code>'
        '<p class="muted small">This formula could not be displayed.</p></div></div>'
    )


@pytest.mark.parametrize(
    ("latex", "forbidden"),
    [
        (r"\text{<script>alert(1)</script>}", "<script"),
        (r"\text{</math><img src=x onerror=alert(1)>}", "<img"),
        (r"\href{javascript:alert(1)}{x}", "javascript:"),
        (r'\color{red" onclick="alert(1)}{y}', 'onclick="'),
        (r"a & b < c", " & "),
    ],
)
def test_mathml_from_hostile_latex_is_sanitised(latex, forbidden):
    html = render_text(text({"type": "math", "latex": latex}), ctx())
    assert forbidden not in html
    assert html.count("<math") == html.count("</math>")


def test_mathml_text_is_escaped_not_dropped():
    mathml = latex_to_mathml(r"\text{a<b & c} + 1")
    assert "<mtext>a&lt;b\xa0&amp;\xa0c</mtext><mo>+</mo><mn>1</mn>" in mathml


def test_image_uses_the_asset_with_caption_and_alt():
    asset = AssetRow(7, "/media/diagram.png", "image", {"alt": "Asset alt", "width": 640})
    html = render_text(
        text(
            {"type": "image", "asset_id": 7, "caption": f"Figure 1 {XSS}"},
            {"type": "image", "asset_id": 7, "alt": 'Block "alt"'},
        ),
        ctx(assets={7: asset}),
    )
    assert (
        '<figure class="figure"><img src="/media/diagram.png" alt="Asset alt" loading="lazy">'
        "<figcaption>Figure 1 &lt;script&gt;alert(1)&lt;/script&gt;</figcaption></figure>"
    ) in html
    assert 'alt="Block &quot;alt&quot;"' in html


def test_image_missing_or_with_a_bad_url_is_not_shown():
    bad = AssetRow(8, "javascript:alert(1)", "image", {})
    html = render_text(
        text({"type": "image", "asset_id": 8}, {"type": "image", "asset_id": 9}),
        ctx(assets={8: bad}),
    )
    assert "<img" not in html
    assert html.count("This image is not available.") == 2


def test_link_list_keeps_safe_links_only():
    html = render_text(
        text(
            {
                "type": "link_list",
                "items": [
                    {"label": "Notes <b>", "url": "https://example.edu/notes"},
                    {"label": "Evil", "url": "javascript:alert(1)"},
                    {"label": "Local", "url": "/static/a.html"},
                ],
            }
        ),
        ctx(),
    )
    assert html == (
        '<div class="prose"><ul class="link-list">'
        '<li><a href="https://example.edu/notes" rel="noopener" target="_blank">'
        "Notes &lt;b&gt;</a></li>"
        '<li><a href="/static/a.html" rel="noopener">Local</a></li></ul></div>'
    )


def test_link_list_with_only_bad_links_renders_nothing():
    html = render_text(
        text({"type": "link_list", "items": [{"label": "x", "url": "javascript:alert(1)"}]}),
        ctx(),
    )
    assert html == '<div class="prose"></div>'
