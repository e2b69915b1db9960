"""Each content type's renderer, and that nothing an author typed reaches the page unescaped."""

import re
from html import escape

import pytest

from content.markup.mathml import latex_to_mathml
from content.markup.policy import safe_url
from content.rendering import asset_ids, render_item, render_outline
from content.selectors import AssetRow, OutlineItem, assets_for_university
from content.tests.factories import AssetFactory
from content.types.assignment import render_assignment
from content.types.base import RenderContext
from content.types.engineering_lab import render_engineering_lab
from content.types.quiz import render_quiz
from content.types.resource_list import render_resource
from content.types.text import render_text
from content.types.video import render_video, transcript_webvtt
from tenancy.tests.factories import UniversityFactory

XSS = "<script>alert(1)</script>"


def text(*blocks, title=None):
    payload = {"layout": "rich_text_v1", "blocks": list(blocks)}
    if title is not None:
        payload["title"] = title
    return payload


def ctx(**kwargs):
    return RenderContext(**kwargs)


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


# Video -----------------------------------------------------------------------------------

TRANSCRIPT = {
    "language": "en",
    "segments": [
        {"start": 0.0, "end": 4.5, "text": f"Hello {XSS}"},
        {"start": 65.25, "end": 70, "text": "Later"},
        {"start": 3725, "end": 3730, "text": "Much later"},
    ],
}


@pytest.mark.parametrize(
    "data",
    [
        {"provider": "youtube", "video_id": "dQw4w9WgXcQ"},
        {"provider": "youtube", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3"},
        {"provider": "youtube", "url": "https://youtu.be/dQw4w9WgXcQ"},
        {"provider": "youtube", "url": "https://www.youtube.com/embed/dQw4w9WgXcQ"},
    ],
)
def test_youtube_uses_the_privacy_enhanced_embed(data):
    html = render_video(data, ctx(title="Lecture"))
    assert (
        '<iframe class="video-embed" '
        'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?enablejsapi=1&amp;rel=0" '
        'title="Video: Lecture"'
    ) in html
    assert 'data-video-provider="youtube"' in html


def test_vimeo_embed_sets_do_not_track():
    for data in (
        {"provider": "vimeo", "video_id": "76979871"},
        {"provider": "vimeo", "url": "https://vimeo.com/76979871"},
    ):
        html = render_video(data, ctx())
        assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in html


@pytest.mark.parametrize(
    "data",
    [
        {"provider": "youtube", "video_id": '"><script>'},
        {"provider": "youtube", "url": "https://evil.example/watch?v=dQw4w9WgXcQ"},
        {"provider": "vimeo", "video_id": "12ab"},
        {"provider": "internal", "url": "javascript:alert(1)"},
        {"provider": "internal", "asset_id": 99},
    ],
)
def test_unusable_video_sources_show_a_notice(data):
    html = render_video(data, ctx())
    assert "This video is not available." in html
    assert "<iframe" not in html and "<video" not in html
    assert "<script" not in html


def test_internal_video_from_the_asset_library_with_captions_and_transcript():
    asset = AssetRow(3, "/media/lecture.mp4", "video", {})
    html = render_video(
        {
            "provider": "internal",
            "asset_id": 3,
            "url": "/media/fallback.mp4",
            "thumbnail_url": "/media/poster.jpg",
            "duration_seconds": 2700,
            "transcript": TRANSCRIPT,
        },
        ctx(assets={3: asset}, captions_url="/learn/1/items/2/captions.vtt", title="L1"),
    )
    assert (
        '<video class="video-embed" controls preload="metadata" playsinline '
        'src="/media/lecture.mp4" poster="/media/poster.jpg" aria-label="Video: L1">'
        '<track kind="captions" src="/learn/1/items/2/captions.vtt" srclang="en" '
        'label="Captions (en)" default>'
    ) in html
    assert "Length: 45 minutes" in html
    lines = re.findall(r'data-start="([^"]+)".*?<span class="ts">([^<]+)</span>', html)
    assert lines == [("0", "0:00"), ("65.25", "1:05"), ("3725", "1:02:05")]
    assert "Hello &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_internal_video_falls_back_to_the_payload_url_and_skips_captions_without_transcript():
    html = render_video({"provider": "internal", "url": "/media/a.mp4"}, ctx(captions_url="/c"))
    assert 'src="/media/a.mp4"' in html
    assert "<track" not in html
    assert "transcript" not in html


def test_webvtt_from_transcript():
    vtt = transcript_webvtt(
        {
            "transcript": {
                "language": "en",
                "segments": [
                    {"start": 0, "end": 2.5, "text": "A <b>bold</b> & --> claim\n\nnext"},
                    {"start": 3, "end": 3, "text": "Instant"},
                    {"start": 4, "end": 5, "text": "   "},
                    {"start": 3725.125, "end": 3726, "text": "Late"},
                ],
            }
        }
    )
    assert vtt == (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:00:02.500\nA &lt;b&gt;bold&lt;/b&gt; &amp; --&gt; claim next\n\n"
        "2\n00:00:03.000 --> 00:00:03.500\nInstant\n\n"
        "3\n01:02:05.125 --> 01:02:06.000\nLate\n"
    )


# Resource, assignment, quiz, lab ---------------------------------------------------------


def test_resource_list_with_kinds():
    html = render_resource(
        {
            "resources": [
                {"label": "Slides", "url": "https://example.edu/s.pdf", "kind": "pdf"},
                {"label": XSS, "url": "/read", "kind": "article"},
                {"label": "Bad", "url": "javascript:alert(1)", "kind": "video"},
            ]
        },
        ctx(),
    )
    assert html == (
        '<ul class="resource-list">'
        '<li><span class="badge kind kind-pdf">PDF</span> '
        '<a href="https://example.edu/s.pdf" rel="noopener" target="_blank">Slides</a></li>'
        '<li><span class="badge kind kind-article">Article</span> '
        '<a href="/read" rel="noopener">&lt;script&gt;alert(1)&lt;/script&gt;</a></li></ul>'
    )


def test_assignment_due_date_in_the_readers_time_zone():
    data = {
        "instructions": f"Do it {XSS}",
        "due_at": "2026-12-01T23:59:00Z",
        "max_points": 20,
        "submission_types": ["file", "url"],
        "allow_late": True,
    }
    html = render_assignment(data, ctx(time_zone="Asia/Tokyo"))
    assert '<time datetime="2026-12-01T23:59:00+00:00">Dec. 2, 2026, 8:59 a.m. (JST)</time>' in html
    assert "<dd>20</dd>" in html
    assert "<dd>File upload, Web address</dd>" in html
    assert "<dd>Accepted</dd>" in html
    assert "Do it &lt;script&gt;" in html
    utc = render_assignment({"instructions": "x", "due_at": "2026-12-01T23:59:00Z"}, ctx())
    assert "Dec. 1, 2026, 11:59 p.m. (UTC)" in utc
    assert "<dd>No due date</dd>" in render_assignment({"instructions": "x"}, ctx())


def test_one_correct_answer_in_a_row_is_singular():
    html = render_quiz(
        {
            "question_pool_id": 1,
            "quiz_mode": "practice",
            "num_questions_per_attempt": 1,
            "mastery": {"threshold_correct_in_row": 1},
        },
        ctx(),
    )

    assert "<dt>Mastery</dt><dd>1 correct answer in a row</dd>" in html


def test_quiz_overview():
    html = render_quiz(
        {
            "question_pool_id": 1,
            "quiz_mode": "practice",
            "num_questions_per_attempt": 10,
            "randomize_order": True,
            "time_limit_seconds": 5400,
            "mastery": {"points": 50, "threshold_correct_in_row": 3, "max_attempts": None},
        },
        ctx(),
    )
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", html))
    assert facts == {
        "Mode": "Practice",
        "Questions per attempt": "10",
        "Time limit": "1 hour 30 minutes",
        "Attempts allowed": "Unlimited",
        "Question order": "Shuffled for each attempt",
        "Mastery": "3 correct answers in a row",
        "Points": "50",
        "Correct answers shown": "Immediately (after each submission or practice check)",
    }


def test_quiz_overview_says_when_it_closes_and_when_answers_are_shown():
    data = {
        "question_pool_id": 1,
        "quiz_mode": "exam",
        "num_questions_per_attempt": 10,
        "closes_at": "2026-12-01T23:59:00Z",
        "review_policy": "after_close",
    }
    html = render_quiz(data, ctx())
    assert '<dt>Closes</dt><dd><time datetime="2026-12-01T23:59:00+00:00">' in html, html
    assert "<dt>Correct answers shown</dt><dd>After the quiz closes</dd>" in html
    exam = render_quiz({**data, "closes_at": None, "review_policy": None}, ctx())
    assert "<dt>Correct answers shown</dt><dd>After the last attempt</dd>" in exam
    assert "Closes" not in exam


def test_lab_overview_shows_student_files_and_hides_tests_and_secrets():
    html = render_engineering_lab(
        {
            "lab_type": "code",
            "runtime": "matlab",
            "container_image": "registry/matlab:r2024a",
            "cpu_limit": "2",
            "memory_limit": "4Gi",
            "timeout_seconds": 5400,
            "entrypoint": "matlab -desktop",
            "env": {"LICENSE_KEY": "top-secret"},
            "files": [
                {"path": "work/<start>.m", "role": "student_visible"},
                {"path": "tests/hidden_test.m", "role": "hidden_test"},
            ],
            "grading": {"type": "unit_tests", "max_points": 40},
        },
        ctx(),
    )
    assert "<dd>MATLAB</dd>" in html
    assert '<ul class="file-list"><li><code>work/&lt;start&gt;.m</code></li></ul>' in html
    assert "<dd>2 CPU, 4Gi memory, 1 hour 30 minutes per session</dd>" in html
    assert "<dd>Automatic (unit tests), 40 points</dd>" in html
    assert "hidden_test" not in html
    assert "top-secret" not in html and "LICENSE_KEY" not in html


def test_the_lab_overview_promises_no_environment_that_does_not_open():
    html = render_engineering_lab(
        {
            "lab_type": "code",
            "runtime": "python-datascience",
            "container_image": "python:3.12",
            "timeout_seconds": 600,
            "entrypoint": "jupyter-lab",
            "files": [{"path": "solution.py", "role": "student_visible"}],
            "grading": {"type": "unit_tests", "max_points": 10},
        },
        ctx(),
    )

    assert "will open soon" not in html
    assert "Opens in" not in html
    assert "<dt>Entry point</dt><dd><code>jupyter-lab</code></dd>" in html
    assert (
        '<p class="notice">Download the starter files, work on them on your own computer, then '
        "upload your files on the lab page to have them graded.</p>"
    ) in html


@pytest.mark.parametrize("instructions", ["", "   \n  "])
def test_an_assignment_without_instructions_has_no_empty_heading(instructions):
    html = render_assignment({"instructions": instructions, "max_points": 5}, ctx())

    assert "Instructions" not in html
    assert "<dd>5</dd>" in html


def test_an_assignments_instructions_have_their_heading():
    html = render_assignment({"instructions": "Solve 1-5."}, ctx())

    assert '<section class="prose"><h2>Instructions</h2><p>Solve 1-5.</p></section>' in html


def test_unknown_type_or_broken_payload_does_not_raise():
    assert "cannot be displayed" in render_item("podcast", {}, ctx())
    assert "cannot be displayed" in render_item("text", None, ctx())


def test_asset_ids_of_payloads():
    assert asset_ids("video", {"provider": "internal", "asset_id": 4}) == {4}
    assert asset_ids("text", text({"type": "image", "asset_id": 5}, {"type": "math"})) == {5}
    assert asset_ids("quiz", {}) == set()


@pytest.mark.django_db
def test_assets_are_scoped_to_the_items_university():
    home, other = UniversityFactory(), UniversityFactory()
    own = AssetFactory(university=home)
    shared = AssetFactory(university=None)
    foreign = AssetFactory(university=other)
    found = assets_for_university(ids={own.pk, shared.pk, foreign.pk}, university_id=home.pk)
    assert set(found) == {own.pk, shared.pk}
    assert found[own.pk].meta["alt"] == "A diagram"


# Outline ---------------------------------------------------------------------------------


def row(id_, parent, depth, title, module_type="unit", published=True):
    return {
        "id": id_,
        "parent_id": parent,
        "title": title,
        "module_type": module_type,
        "depth": depth,
        "sequence_index": 1,
        "is_published": published,
    }


def test_outline_markup_nesting_progress_and_escaping():
    rows = [
        row(1, None, 0, "Course", "course_root"),
        row(2, 1, 1, "Unit <1>"),
        row(3, 2, 2, "Lesson", "lesson"),
        row(4, 1, 1, "Empty unit"),
    ]
    items = {
        1: [OutlineItem(10, 1, "Welcome", "text", True)],
        3: [
            OutlineItem(11, 3, "Watch & <learn>", "video", True),
            OutlineItem(12, 3, "Quiz", "quiz", True),
        ],
    }
    html = render_outline(
        rows=rows,
        items_by_module=items,
        item_url_template="/learn/5/items/{id}/",
        counts=({1: 2, 2: 1, 3: 1, 4: 0}, {1: 3, 2: 2, 3: 2, 4: 0}),
        completed={10, 11},
        mark_hidden=False,
    )
    assert html == (
        '<ol class="tree">'
        '<li class="root-items"><ul class="items">'
        '<li class="i text done"><a href="/learn/5/items/10/"><span class="vh">Text: </span>'
        'Welcome</a><span class="vh"> (completed)</span></li></ul></li>'
        '<li class="m"><details open><summary class="mh"><span class="mt">Unit &lt;1&gt;</span>'
        ' <small>Unit</small><span class="mp pct-50">50%</span></summary>'
        '<ol class="tree">'
        '<li class="m"><details open><summary class="mh"><span class="mt">Lesson</span>'
        ' <small>Lesson</small><span class="mp pct-50">50%</span></summary>'
        '<ul class="items">'
        '<li class="i video done"><a href="/learn/5/items/11/"><span class="vh">Video: </span>'
        'Watch &amp; &lt;learn&gt;</a><span class="vh"> (completed)</span></li>'
        '<li class="i quiz"><a href="/learn/5/items/12/"><span class="vh">Quiz: </span>Quiz</a>'
        "</li></ul></details></li>"
        "</ol></details></li>"
        '<li class="m empty"><div class="mh"><span class="mt">Empty unit</span>'
        " <small>Unit</small></div></li>"
        "</ol>"
    )


def test_outline_for_staff_marks_hidden_content_and_has_no_progress():
    rows = [row(2, None, 0, "Draft unit", published=False)]
    items = {2: [OutlineItem(20, 2, "Old", "text", False)]}
    html = render_outline(
        rows=rows,
        items_by_module=items,
        item_url_template="/x/{id}/",
        counts=None,
        completed=set(),
        mark_hidden=True,
    )
    assert '<span class="badge warn">Unpublished</span>' in html
    assert '<span class="badge warn">Inactive</span>' in html
    assert 'class="mp"' not in html


def test_outline_of_nothing():
    html = render_outline(
        rows=[],
        items_by_module={},
        item_url_template="/x/{id}/",
        counts=None,
        completed=set(),
        mark_hidden=False,
    )
    assert html == '<ol class="tree"></ol>'
