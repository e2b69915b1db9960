"""Indenting the rows of a tree in an admin changelist (subjects, modules)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString

# static/css/admin-site.css defines tree-indent-0 to tree-indent-15; deeper rows stay at 15.
DEEPEST_INDENT = 15


def indented_label(label: object, depth: int) -> SafeString:
    """`label` indented by `depth` through a class of the admin's stylesheet, not an inline
    style, which the site's Content-Security-Policy does not allow."""
    return format_html(
        '<span class="tree-indent-{}">{}</span>', min(max(depth, 0), DEEPEST_INDENT), label
    )
