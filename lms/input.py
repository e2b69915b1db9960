"""Reading ids, numbers and return addresses out of what a request sent.

Whatever arrives in a query string or a form is text chosen by the sender. `str.isdigit()`
accepts "²" and other Unicode digits that `int()` then refuses, and `int()` itself accepts
Arabic-Indic digits and numbers far beyond PostgreSQL's bigint, which the database refuses:
both ended as server errors. These helpers accept only ASCII digits within the range a column
holds, and treat anything else as absent, so a view answers as for a missing value.
"""

import re
from collections.abc import Iterable

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# PostgreSQL's bigint, the type of every id column.
BIGINT_MAX = 2**63 - 1
# PostgreSQL's integer, the type of counts and positions.
INT_MAX = 2**31 - 1

_DIGITS = re.compile(r"\A[0-9]{1,19}\Z")
_SIGNED = re.compile(r"\A-?[0-9]{1,19}\Z")


def parse_int(value: object, *, minimum: int = -INT_MAX - 1, maximum: int = INT_MAX) -> int | None:
    """`value` as an int when it is ASCII digits (an optional leading minus) within
    `minimum`..`maximum`; None for anything else, lists and None included."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _SIGNED.match(value):
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None


def parse_id(value: object) -> int | None:
    """A row id as sent: ASCII digits from 1 to BIGINT_MAX, else None."""
    if isinstance(value, str) and not _DIGITS.match(value):
        return None
    return parse_int(value, minimum=1, maximum=BIGINT_MAX)


def parse_ids(values: Iterable[object]) -> list[int]:
    """The valid ids among `values`, in order and without repeats; the others are dropped."""
    ids: list[int] = []
    for value in values:
        number = parse_id(value)
        if number is not None and number not in ids:
            ids.append(number)
    return ids


def safe_next(request: HttpRequest, value: object, fallback: str) -> str:
    """`value` when it is a path on this site (`/...`), else `fallback`.

    Only paths pass: a full address, a scheme-relative `//host`, a backslash, a control
    character or a bare word (which `redirect()` would try to reverse as a URL name) falls
    back, so a crafted `next` can neither send the user elsewhere nor break the redirect.
    """
    if not isinstance(value, str) or not value.startswith("/") or len(value) > 2048:
        return fallback
    if value.startswith("//") or any(ch == "\\" or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return fallback
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    return value
