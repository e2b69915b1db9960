"""The one renderer of discussion text: what it keeps, and that nothing executable gets out."""

import re

import pytest

from community.markup import render_markup

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)></svg>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '[click](https://example.com" onmouseover="alert(1))',
    "![img](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "$\\text{<script>alert(1)</script>}$",
    "$\\href{javascript:alert(1)}{click}$",
    "$$\\style{color:red}{x}$$",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action=https://evil.example><button>Go</button></form>",
    "<!-- <script>alert(1)</script> -->",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`</code><script>alert(1)</script>`",
    '<a href="https://example.com" onclick="alert(1)">x</a>',
]


DANGEROUS_TAG = r"<\s*(script|iframe|style|img|svg|form|button|object|embed)\b"
DANGEROUS_URL = r"<[^>]*\s(href|src|action)\s*=\s*\"?\s*(javascript|data|vbscript):"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_executable_survives(payload):
    html = render_markup(payload)
    assert not re.search(DANGEROUS_TAG, html, re.I)
    assert not re.search(r"<[^>]*\son\w+\s*=", html, re.I)
    assert not re.search(DANGEROUS_URL, html, re.I)
    assert not re.search(r"<[^>]*\sstyle\s*=", html, re.I)


def test_markdown_basics():
    assert render_markup("**bold** and *it*\n\n- a\n- b") == (
        "<p><strong>bold</strong> and <em>it</em></p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    )


def test_typed_tags_come_out_as_text():
    assert render_markup("a <b>bold</b> claim & x < y") == (
        "<p>a &lt;b&gt;bold&lt;/b&gt; claim &amp; x &lt; y</p>"
    )


def test_links_get_nofollow_noopener():
    assert render_markup("[docs](https://example.edu/a?b=1&c=2)") == (
        '<p><a href="https://example.edu/a?b=1&amp;c=2" rel="nofollow noopener">docs</a></p>'
    )
    assert render_markup("[x](javascript:alert(1))") == '<p><a rel="nofollow noopener">x</a></p>'


def test_code_keeps_its_text_and_no_math():
    assert render_markup("```python\nif a < b and $x$:\n    pass\n```") == (
        "<pre><code>if a &lt; b and $x$:\n    pass\n</code></pre>"
    )
    assert render_markup("use `$PATH` here") == "<p>use <code>$PATH</code> here</p>"


def test_inline_and_display_math_become_mathml():
    assert render_markup("so $x^2$ holds") == (
        '<p>so <math display="inline"><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math>'
        " holds</p>"
    )
    html = render_markup("$$\\frac{a}{b}$$")
    assert html.startswith('<p><span class="math-display"><math display="block">')
    assert "<mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac>" in html


def test_dollar_amounts_and_escapes_stay_text():
    assert render_markup("it costs $5 and $10") == "<p>it costs $5 and $10</p>"
    assert render_markup("a \\$x\\$ b") == "<p>a $x$ b</p>"


def test_bad_latex_is_shown_as_code():
    assert render_markup("$\\frac{$") == '<p><code class="math-error">$\\frac{$</code></p>'


def test_math_text_is_escaped_not_dropped():
    html = render_markup("$\\text{a<b}$")
    assert "<mtext>a&lt;b</mtext>" in html


def test_headings_sit_below_the_page_headings():
    assert render_markup("# Big\n\n## Less") == "<h3>Big</h3>\n<h4>Less</h4>"
