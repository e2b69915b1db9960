"""Where the learner pages show a thing, for the code below them.

A mail about a reply links to the thread, an invitation mail to the page that accepts it, the
moderation admin to the reported post: the apps that send or list these (catalog, community)
sit below the learner pages and must not name their routes. So the pages say where each kind
of thing is shown: `portal` registers one builder per kind in its AppConfig.ready(), and the
lower apps ask for a kind by name with the ids they own. A kind nobody registered is a
programming error and raises LookupError at once rather than mailing a dead link.
"""

from collections.abc import Callable

from django.conf import settings

# An id no real row has, for `page_paths` to find where the varying id goes in a path.
_MARKER = 987654321

_builders: dict[str, Callable[..., str]] = {}


def register(kind: str, builder: Callable[..., str]) -> None:
    """`builder(**ids)` returns the site-relative path of the page that shows a `kind`."""
    _builders[kind] = builder


def page_path(kind: str, **ids: int | str) -> str:
    try:
        builder = _builders[kind]
    except KeyError:
        raise LookupError(f"No page shows {kind!r}: the pages register it on start.") from None
    return builder(**ids)


def page_paths(kind: str, vary: str, **ids: int | str) -> Callable[[int], str]:
    """The paths of many `kind` pages that differ only in the id `vary` (every item of one
    offering, say): the builder runs once, with a marker in place of that id, instead of
    reversing a URL per link."""
    head, tail = page_path(kind, **ids, **{vary: _MARKER}).rsplit(str(_MARKER), 1)
    return lambda value: f"{head}{value}{tail}"


def page_url(kind: str, **ids: int | str) -> str:
    """The absolute address (SITE_URL) of the page, for mail."""
    return absolute_url(page_path(kind, **ids))


def absolute_url(path: str) -> str:
    """The absolute address (SITE_URL) of a site-relative path stored earlier."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"
