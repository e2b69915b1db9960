"""The one HTML allow-list: which tags, attributes and URL schemes user-written markup may keep.

`sanitise` applies it with nh3 to whole fragments (discussion posts); `safe_url` applies the
same schemes to a single URL that a content item writes into an attribute itself.
"""

import re
from typing import Any
from urllib.parse import urlsplit

import nh3
from django.utils.safestring import SafeString, mark_safe

from content.markup.mathml import MATHML_ATTRIBUTES, MATHML_TAGS

HTML_TAGS = frozenset(
    [
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
    ]
)
ALLOWED_TAGS = HTML_TAGS | MATHML_TAGS
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "ol": {"start"},
    **{tag: set(MATHML_ATTRIBUTES) for tag in MATHML_TAGS},
}
ALLOWED_CLASSES: dict[str, set[str]] = {"span": {"math-display"}, "code": {"math-error"}}
# Web addresses: the only schemes an item may embed or link to. A written link may also mail.
WEB_SCHEMES = frozenset({"http", "https"})
URL_SCHEMES = WEB_SCHEMES | {"mailto"}
LINK_REL = "nofollow noopener"
# What nh3 leaves of a class attribute none of whose classes are allowed.
_EMPTY_CLASS = re.compile(r' class=""')


def sanitise(html: str) -> str:
    """Keep only the allow-listed tags, attributes, classes and URL schemes of `html`."""
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        allowed_classes=ALLOWED_CLASSES,
    )
    return _EMPTY_CLASS.sub("", cleaned)


def sanitised_html(html: str) -> SafeString:
    """`sanitise(html)` marked safe for a template: the one place cleaned markup becomes page
    markup."""
    return mark_safe(sanitise(html))


def safe_url(url: Any) -> str | None:
    """`url` when it is a web URL (WEB_SCHEMES) with a host or a relative reference, else None.

    Whitespace, control characters and backslashes are refused outright: browsers drop or
    reinterpret them, which is how `java\\tscript:` and `/\\evil.example` get through naive
    checks.
    """
    if not isinstance(url, str) or not url or len(url) > 2048:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in WEB_SCHEMES:
        return url if parts.netloc else None
    if scheme or parts.netloc or url.startswith("//"):
        return None
    return url
