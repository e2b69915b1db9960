"""What the input fuzz sends and how it judges the answer: strategies of malformed values,
the fields of a page's own form, and a fingerprint of every table of the site's apps."""

from functools import cache
from html.parser import HTMLParser

from django.apps import apps
from django.contrib.messages import constants, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from hypothesis import strategies as st

# Values a sender may put in any field or query parameter. Surrogates cannot travel in HTTP
# (they do not encode as UTF-8), so they are left out.
ODD_VALUES = [
    # numbers that are not what a view expects
    "²",
    "٣",
    "١٢",
    "Ⅻ",
    "\U0001d7d7",  # a bold 9
    "9" * 20,
    str(2**63),
    str(2**31),
    "-1",
    "-0",
    "0",
    "-9223372036854775809",
    "1.5",
    "1e309",
    "-1e309",
    "nan",
    "NaN",
    "inf",
    "-Infinity",
    "1e-400",
    "0x1A",
    "1_000",
    "+1",
    " 1 ",
    # empty and blank
    "",
    " ",
    "\t\n",
    "\u00a0",
    "\u3000",
    # long
    "a" * 10_000,
    "9" * 10_000,
    "<" * 10_000,
    # control characters, NUL, direction marks
    "\x00",
    "1\x00",
    "\x01\x02",
    "\x1b[31m",
    "\r\n",
    "\x7f",
    "\u2028",
    "\u202e",
    "\ufeff",
    # SQL-, HTML- and template-ish text
    "' OR 1=1 --",
    '"; DROP TABLE users; --',
    "<script>alert(1)</script>",
    "%",
    "_",
    "\\",
    "%00",
    "%s%s%s",
    "{0}",
    "{{7*7}}",
    "&amp;&#0;",
    # dates that do not exist or do not parse
    "2026-02-30",
    "2026-13-01T25:61",
    "0000-00-00",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "31/12/2026",
    "1-1-1",
    "2026-01-01T00:00:00+99:00",
    # JSON-ish
    "{}",
    "[]",
    '{"a":',
    "null",
    "true",
    "[1,2]",
    '{"__proto__": 1}',
    # addresses of odd shapes
    "https://[x]/1",
    "http://[::1",
    "javascript:alert(1)",
    "//evil.example",
    "/\\evil.example",
    "http://",
    "https://a b",
    "data:text/html,x",
    "ftp://x",
    "http://%zz",
    "mailto:a@b",
    "/" + "a" * 3000,
    # e-mail addresses of odd shapes
    "a@b",
    "@",
    "a@[x]",
    "ü@ü.ü",
    "a" * 300 + "@example.org",
]

odd_text = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.tuples(st.sampled_from(ODD_VALUES), st.sampled_from(ODD_VALUES)).map("".join),
)

# A value for one key: a scalar, the key repeated (a list where a scalar is expected), or the
# key left out altogether.
MISSING = object()
odd_value = st.one_of(
    odd_text,
    st.lists(odd_text, min_size=2, max_size=3),
    st.just(MISSING),
)

FILE_NAMES = [
    "notes.csv",
    "work.zip",
    "image.png",
    "program.exe",
    "noextension",
    ".htaccess",
    "../../etc/passwd",
    "a" * 250 + ".txt",
    "ünïcødé ñame.pdf",
    "report.csv.exe",
    "x.ZIP",
    'semi;colon".txt',
]
FILE_BODIES = [
    b"",
    b"PK\x03\x04" + b"\x00" * 40,
    b"PK\x05\x06" + b"\x00" * 18,
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
    b"GIF89a",
    b"%PDF-1.4\n",
    b"email,name\nstudent@demo.lms,Someone\n",
    b"email\n\xff\xfe\x00bad",
    b"\xef\xbb\xbfemail,name\n" + b"x@y," * 500,
    b"email,name\n" + b"a@b.c,\x00\n" * 3,
]
odd_file = st.builds(
    lambda name, body, kind: SimpleUploadedFile(name, body, content_type=kind),
    st.sampled_from(FILE_NAMES),
    st.one_of(st.sampled_from(FILE_BODIES), st.binary(max_size=2048)),
    st.sampled_from(["application/octet-stream", "text/csv", "image/png", "application/zip"]),
)
odd_files = st.one_of(
    odd_file, st.lists(odd_file, min_size=2, max_size=3), st.just(MISSING), odd_text
)


# The page's own form -------------------------------------------------------------------------


class _FormFields(HTMLParser):
    """The fields of each POST form of a page, with the values the page would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self._current: dict[str, list[str]] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        if tag == "form":
            if (attr.get("method") or "get").lower() == "post":
                self._current = {}
                self.forms.append(self._current)
            return
        if self._current is None or not attr.get("name"):
            if tag == "option" and self._select is not None:
                self._option(attr)
            return
        name = attr["name"]
        if tag == "input":
            kind = (attr.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attr:
                self._current.setdefault(name, [])
                return
            self._current.setdefault(name, []).append(attr.get("value") or "")
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = name, None, False
            self._current.setdefault(name, [])
        elif tag == "textarea":
            self._textarea, self._text = name, []
        elif tag == "button" and attr.get("value") is not None:
            self._current.setdefault(name, [])

    def _option(self, attr):
        value = attr.get("value") or ""
        if self._select_first is None and value:
            self._select_first = value
        if "selected" in attr and self._current is not None:
            self._current[self._select].append(value)
            self._select_chosen = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first and self._current is not None:
                self._current[self._select].append(self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._current is not None:
            self._current.setdefault(self._textarea, []).append("".join(self._text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


SKIPPED_FIELDS = {"csrfmiddlewaretoken"}


def page_form_fields(html: str) -> dict[str, list[str]]:
    """The largest POST form of the page: its field names and the values it would send."""
    parser = _FormFields()
    parser.feed(html)
    forms = [f for f in parser.forms if set(f) - SKIPPED_FIELDS]
    if not forms:
        return {}
    form = max(forms, key=len)
    return {name: values for name, values in form.items() if name not in SKIPPED_FIELDS}


# Judging an answer ----------------------------------------------------------------------------

ACCEPTED_LEVELS = {constants.SUCCESS, constants.INFO}


def outcome(response: HttpResponse) -> str:
    """ "accepted" when the page says the write went through (a success or info message, a
    JSON answer saying so, or a plain redirect), else "rejected"."""
    levels = {m.level for m in get_messages(response.wsgi_request)}
    if levels & ACCEPTED_LEVELS:
        return "accepted"
    if response.status_code >= 400:
        return "rejected"
    if response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        claims = [body.get(key) for key in ("recorded", "ok", "saved") if key in body]
        return "accepted" if any(claims) else "rejected"
    if levels:
        return "rejected"  # only warnings and errors
    if response.status_code in (301, 302, 303):
        return "accepted"
    content = getattr(response, "content", b"")
    if b'class="errorlist' in content or b'class="errornote' in content:
        return "rejected"
    return "rejected"  # a page shown again, a confirmation: nothing may have been written


# The site's own apps (whose admin views count as custom) and the object permissions.
PROJECT_APPS = ("tenancy", "catalog", "syllabus", "content", "assessments", "community")
SNAPSHOT_APPS = (*PROJECT_APPS, "guardian")


@cache
def _tables() -> list[str]:
    tables: set[str] = set()
    for label in SNAPSHOT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return sorted(tables)


_SNAPSHOT_SQL: str | None = None


def snapshot() -> dict[str, tuple[int, int]]:
    """Row count and a sum of row hashes of every table of the site's apps, in one query."""
    global _SNAPSHOT_SQL
    if _SNAPSHOT_SQL is None:
        quote = connection.ops.quote_name
        _SNAPSHOT_SQL = " UNION ALL ".join(
            f"SELECT '{table}', count(*), coalesce(sum(hashtextextended(t::text, 0)), 0) "
            f"FROM {quote(table)} t"
            for table in _tables()
        )
    with connection.cursor() as cursor:
        cursor.execute(_SNAPSHOT_SQL)
        return {name: (count, int(digest)) for name, count, digest in cursor.fetchall()}


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


def write_counts() -> tuple:
    """Rows this transaction inserted, updated and deleted so far, per table of the site's
    apps: a cheap first look (no table is read) before the fingerprint of `snapshot`, which
    also sees through writes that were rolled back within the request."""
    tables = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables "
            "WHERE relname = ANY(%s) ORDER BY relname",
            [tables],
        )
        return tuple(cursor.fetchall())
