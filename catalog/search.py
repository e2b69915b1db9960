"""Search expressions over the columns that migration 0004_add_course_search maintains.

Why this shape:

- Full-text search runs against `courses.search_document`, a weighted tsvector (title and code
  A, subject names B, description C) that database triggers keep current, with a GIN index.
  A stored column rather than an expression index, because subject names live in other tables
  and an index expression cannot read them; triggers rather than service calls, because the
  admin and the bulk loaders write courses too.
- The user's words go through `plainto_tsquery` in the same `catalog_search` configuration
  (unaccent, then English stemming), so accents, case and word endings are normalised alike on
  both sides and the query can never be a tsquery syntax error; every lexeme then becomes a
  prefix (`:*`), so "thermo" finds "Thermodynamics".
- When no course matches the words, the search falls back to trigram word similarity against
  `courses.search_text` (title, code and subject names, unaccented and lower-cased; GIN trigram
  index), which finds misspellings such as "thermodinamics". Only as a fallback: mixed into
  every search it would pull "Statistics" into a search for "statics". The two are separate
  queries rather than one OR, so each can use its own index.
- Matches are highlighted with ts_headline between random sentinels; the text is escaped and
  only then are the sentinels turned into <mark> tags, so nothing from the data is ever
  rendered as markup.
"""

import re
import secrets
import unicodedata
from difflib import SequenceMatcher

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQueryField,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db.models import BooleanField, Expression, F, Func, TextField, Value
from django.db.models.functions import Coalesce, Lower
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "catalog_search"
MAX_QUERY_LENGTH = 200
FUZZY_MIN_LENGTH = 4

# Letters and digits only, so escaping leaves them alone and ts_headline takes them verbatim.
_TOKEN = secrets.token_hex(8)
START_SEL = f"hl{_TOKEN}a"
STOP_SEL = f"hl{_TOKEN}z"

_WORD = re.compile(r"\w+")


class CourseColumn(Expression):
    """A column of `courses` that the database maintains and the model does not declare."""

    def __init__(self, column: str, output_field) -> None:
        super().__init__(output_field=output_field)
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name(compiler.query.base_table)
        return f"{alias}.{connection.ops.quote_name(self.column)}", []


def search_document() -> CourseColumn:
    return CourseColumn("search_document", SearchVectorField())


def search_text() -> CourseColumn:
    return CourseColumn("search_text", TextField())


class PrefixQuery(Func):
    """The words of `text` as a tsquery whose every lexeme is a prefix."""

    template = (
        "regexp_replace(plainto_tsquery('" + CONFIG + "', %(expressions)s)::text, "
        r"'''(\s|$)', ''':*\1', 'g')::tsquery"
    )
    output_field = SearchQueryField()


class Matches(Func):
    """`vector @@ query`."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class WordSimilar(Func):
    """`words <% text`: some extent of `text` is trigram-similar to `words` (GIN-indexable)."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def normalised(text: str | Expression) -> Func:
    """`text` as search_text stores it: unaccented and lower-cased, by the database."""
    if not hasattr(text, "resolve_expression"):
        text = Value(text)
    return Lower(Func(text, function="unaccent", output_field=TextField()))


def clean_query(text: str) -> str:
    return " ".join((text or "").split())[:MAX_QUERY_LENGTH]


class CourseSearch:
    """The SQL pieces of one search for `text` over courses."""

    def __init__(self, text: str) -> None:
        self.text = clean_query(text)

    def __bool__(self) -> bool:
        return bool(self.text)

    def query(self) -> PrefixQuery:
        return PrefixQuery(Value(self.text))

    def matches(self) -> Matches:
        """The words match the course's search document."""
        return Matches(search_document(), self.query())

    def may_be_similar(self) -> bool:
        """Fewer than four letters look like too much to search by similarity."""
        return len(self.text) >= FUZZY_MIN_LENGTH

    def similar(self) -> WordSimilar:
        """The words look like some words of the course's title, code or subject names."""
        return WordSimilar(normalised(self.text), search_text())

    def rank(self) -> SearchRank:
        return SearchRank(search_document(), self.query())

    def similarity(self) -> TrigramWordSimilarity:
        return TrigramWordSimilarity(normalised(self.text), search_text())

    def title_similarity(self) -> TrigramWordSimilarity:
        return TrigramWordSimilarity(normalised(self.text), normalised(F("title")))

    def field_matches(self, field: str) -> Matches:
        """The words match the model field `field` (subject names, for instance)."""
        return Matches(SearchVector(field, config=CONFIG), self.query())

    def headline(self, field: str, **options) -> Coalesce:
        """`field` with the matching words between the sentinels (see `highlighted`)."""
        return Coalesce(
            SearchHeadline(
                F(field),
                self.query(),
                config=CONFIG,
                start_sel=START_SEL,
                stop_sel=STOP_SEL,
                **options,
            ),
            Value(""),
            output_field=TextField(),
        )

    def words(self) -> list[str]:
        """The query's words of three letters or more, folded like search_text."""
        return [_fold(w) for w in _WORD.findall(self.text) if len(w) >= 3]


def highlighted(text: str | None) -> SafeString:
    """ts_headline output as HTML: everything escaped, then the sentinels made <mark> tags."""
    html = str(escape(text or ""))
    return mark_safe(html.replace(START_SEL, "<mark>").replace(STOP_SEL, "</mark>"))


def as_excerpt(fragment: str | None, text: str | None) -> str:
    """A ts_headline fragment of `text` with an ellipsis where it cuts the text short."""
    if not fragment:
        return ""
    shown = _WORD.findall(fragment.replace(START_SEL, " ").replace(STOP_SEL, " "))
    whole = _WORD.findall(text or "")
    if shown[:3] != whole[:3]:
        fragment = f"… {fragment.lstrip()}"
    if shown[-3:] != whole[-3:]:
        fragment = f"{fragment.rstrip()} …"
    return fragment


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _similar(word: str, terms: list[str]) -> bool:
    folded = _fold(word)
    return any(
        folded.startswith(term) or SequenceMatcher(None, folded, term).ratio() >= 0.75
        for term in terms
    )


def mark_similar(text: str | None, terms: list[str]) -> SafeString:
    """`text` escaped, with the words that look like one of `terms` marked.

    For results found by trigram similarity, where ts_headline has nothing to mark.
    """
    text = text or ""
    parts: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        parts.append(str(escape(text[last : match.start()])))
        word = str(escape(match.group()))
        parts.append(f"<mark>{word}</mark>" if _similar(match.group(), terms) else word)
        last = match.end()
    parts.append(str(escape(text[last:])))
    return mark_safe("".join(parts))
