"""Rendering the course outline: nesting, progress, escaping, and the staff view."""

from content.rendering import render_outline
from content.selectors import OutlineItem

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
