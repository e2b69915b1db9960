"""HTML for a content item, through its type's renderer in content/types/, and the outline.

Everything a course author typed is escaped; the only markup that passes through is what the
renderers write themselves, plus MathML from content.markup.mathml. URLs are kept only when
content.markup.policy.safe_url accepts them (http(s) or relative).
"""

import logging
from dataclasses import dataclass
from html import escape
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from content.models import ContentType
from content.selectors import OutlineItem
from content.types import TYPES
from content.types.base import RenderContext
from syllabus.models import ModuleType
from syllabus.selectors import OutlineRow

logger = logging.getLogger(__name__)


def render_item(content_type: str, data: dict[str, Any], ctx: RenderContext) -> SafeString:
    """The item's HTML. A payload that got into the database without passing payload_errors
    (an import, a copy of old data, a hand-made row) must not take the page down with it: what
    a renderer cannot read is logged and shown as a notice, never a server error."""
    definition = TYPES.get(content_type)
    cannot = format_html('<p class="notice">{}</p>', _("This content cannot be displayed."))
    if definition is None or not isinstance(data, dict):
        return cannot
    try:
        return definition.render(data, ctx)
    except (AttributeError, KeyError, TypeError, ValueError, OverflowError):
        logger.exception("A %s payload could not be rendered.", content_type)
        return cannot


def asset_ids(content_type: str, data: dict[str, Any]) -> set[int]:
    """The asset ids a payload refers to, so the caller can load them in one query."""
    definition = TYPES.get(content_type)
    if definition is None or not isinstance(data, dict):
        return set()
    return definition.asset_ids(data)


def with_asset_ids(content_type: str, data: Any, mapping: dict[int, int]) -> Any:
    """The payload with the asset ids of `mapping` replaced (the ones asset_ids finds)."""
    definition = TYPES.get(content_type)
    if not mapping or definition is None or not isinstance(data, dict):
        return data
    return definition.with_asset_ids(data, mapping)


# Outline -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutlineFolding:
    """Which branches of a large outline are drawn open (see render_outline)."""

    expanded: frozenset[int]
    # URLs with `{id}` in place of a module id: the branch's fragment, and the page opened at it.
    fragment_url_template: str
    page_url_template: str
    root_id: int | None = None


def render_outline(
    *,
    rows: list[OutlineRow],
    items_by_module: dict[int, list[OutlineItem]],
    item_url_template: str,
    counts: tuple[dict[int, int], dict[int, int]] | None,
    completed: set[int],
    mark_hidden: bool,
    folding: OutlineFolding | None = None,
    current_id: int | None = None,
) -> SafeString:
    """The module tree as nested lists, in one pass over the pre-ordered rows.

    `item_url_template` is an item URL with `{id}` in place of the item id. `counts` is
    (completed, total) items of each module's subtree by module id (assessments'
    SubtreeCounts); None leaves progress out (staff). A course_root module is not drawn as a
    node: its items and children are the top level, and so are those of `folding.root_id` (a
    branch drawn on its own). With `mark_hidden`, unpublished modules and inactive items carry a
    badge.

    With `folding`, only the modules of `folding.expanded` show what is in them; every other
    module that has something in it is drawn closed, without its subtree: a `<details>` whose
    body links to the page opened at that branch (`folding.page_url_template`), which works
    without JavaScript, and names the branch's fragment (`folding.fragment_url_template`) for
    the script that loads it in place when the branch is opened.

    The link to item `current_id` (the page the outline sits beside) carries
    `aria-current="page"`.

    Speed matters here (a 5,000-module course is one page): every fixed piece of markup is
    built once up front, the markup is small (icons and bars come from player.css), and the
    loop only escapes titles and appends strings to one list.
    """
    url_prefix, url_suffix = (escape(part) for part in item_url_template.split("{id}", 1))
    done_note = f'<span class="vh"> ({escape(_("completed"))})</span>'
    current = '" aria-current="page">'
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

    fold = folding is not None
    expanded = folding.expanded if folding is not None else frozenset()
    root_id = folding.root_id if folding is not None else None
    if folding is not None:
        fragment_url = escape(folding.fragment_url_template)
        page_url = escape(folding.page_url_template)
        show_branch = escape(_("Show what is in this part"))

    out = ['<ol class="tree">']
    append = out.append

    def append_items(items: list[OutlineItem]) -> None:
        append('<ul class="items">')
        for id_, _module_id, title, content_type, is_active in items:
            done = id_ in completed
            here = current if id_ == current_id else '">'
            append(
                f"{item_open[content_type, done]}{id_}{url_suffix}{here}{item_label[content_type]}"
                f"{escape(title)}</a>{done_note if done else ''}"
                f"{inactive_close if mark_hidden and not is_active else '</li>'}"
            )
        append("</ul>")

    open_depths: list[int] = []
    next_depths = [row["depth"] for row in rows[1:]]
    next_depths.append(-1)
    folded_below = -1  # the depth of the closed branch whose subtree is being passed over
    for row, next_depth in zip(rows, next_depths, strict=False):
        depth = row["depth"]
        if folded_below >= 0:
            if depth > folded_below:
                continue
            folded_below = -1
        while open_depths and open_depths[-1] >= depth:
            open_depths.pop()
            append("</ol></details></li>")
        module_id = row["id"]
        items = items_by_module.get(module_id)
        if module_id == root_id or (depth == 0 and row["module_type"] == course_root):
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
        if fold:
            if module_id not in expanded:
                number = str(module_id)
                append(
                    f'<li class="{css}" id="m{module_id}"><details data-branch="'
                    f'{fragment_url.replace("{id}", number)}"><summary class="mh">{head}'
                    f'</summary><p class="branch-more"><a href="'
                    f'{page_url.replace("{id}", number)}">{show_branch}</a></p></details></li>'
                )
                folded_below = depth
                continue
            append(f'<li class="{css}" id="m{module_id}">')
        else:
            append(f'<li class="{css}">')
        append(f'<details open><summary class="mh">{head}</summary>')
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
