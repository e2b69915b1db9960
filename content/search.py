"""Search inside one course: item titles, descriptions, text blocks, resource labels and video
transcript lines, in the course's language.

Why this shape:

- One statement whatever the course size: the searchable documents are built in a CTE (one per
  item, plus one per transcript line so a hit can say at which second it was spoken), matched
  with full-text search in the text-search configuration of the course's language, and
  highlighted with ts_headline only for the rows shown.
- Misspellings are caught the way the catalog catches them (catalog.search): trigram word
  similarity, and only as a fallback when full-text search finds nothing, so "statics" does
  not pull in "statistics". The fallback lives in the same statement (`NOT EXISTS` over the
  full-text hits) so the page's query count stays fixed.
- Visibility is content.selectors' one rule (`sql_hidden_modules`, `sql_learner_sees`).
- ts_headline returns raw text: matches come back between catalog.search's sentinels, and
  `catalog.search.highlighted` escapes everything before turning them into <mark> tags.
- `search_sql` is shared with community's post search, which brings its own documents.
"""

import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from catalog.search import (
    FUZZY_MIN_LENGTH,
    MAX_QUERY_LENGTH,
    START_SEL,
    STOP_SEL,
    as_excerpt,
    highlighted,
    mark_similar,
)
from content.selectors import sql_hidden_modules, sql_learner_sees

MAX_HITS = 30
SNIPPET_WORDS = 30

# Course language (the primary subtag of its code) -> PostgreSQL text-search configuration.
# Japanese has no stemmer in PostgreSQL, and an unknown language gets none either.
_CONFIGS = {
    "en": "english",
    "de": "german",
    "pt": "portuguese",
    "es": "spanish",
    "fr": "french",
}

_WORD = re.compile(r"\w")

# ts_headline leaves out whatever its parser takes for an HTML tag ("<script>" in a title):
# every "<" goes in as a word of its own and comes back out as "<" before the text is escaped
# (marked, should the query be a prefix of it).
_LESS_THAN_WORD = f"lt{secrets.token_hex(8)}"
_LESS_THAN = f" {_LESS_THAN_WORD} "
_LESS_THAN_BACK = re.compile(f" ?(?:{START_SEL})?{_LESS_THAN_WORD}(?:{STOP_SEL})? ?")


def search_config(language_code: str | None) -> str:
    """The text-search configuration for a course in `language_code` ("de", "pt-br", ...)."""
    primary = (language_code or "").lower().replace("_", "-").split("-")[0]
    return _CONFIGS.get(primary, "simple")


@dataclass(frozen=True)
class SearchTerms:
    """What the person typed, checked: `text` is the query to run, or `problem` says why
    there is none."""

    text: str
    problem: str = ""

    @classmethod
    def parse(cls, raw: str | None) -> "SearchTerms":
        text = " ".join((raw or "").split())
        if not text:
            return cls("", _("Type a word or phrase to search this course for."))
        if len(text) > MAX_QUERY_LENGTH:
            return cls(
                "",
                _("That search is too long: use at most %(n)d characters.")
                % {"n": MAX_QUERY_LENGTH},
            )
        if not _WORD.search(text):
            return cls("", _("Search for words or numbers: punctuation alone matches nothing."))
        return cls(text)

    def __bool__(self) -> bool:
        return bool(self.text)


def search_sql(documents: str, *, ctes: str = "") -> str:
    """A statement that searches `documents` (SQL selecting `key`, `title`, `body` and any
    further columns, which come back as they are; it may use the parameters of `search_params`
    and the CTE `params`, with the tsquery `query` and the lower-cased `words`) and returns
    its best MAX_HITS rows with `score`, `headline` and `fuzzy` appended.

    `ctes` are further CTEs (each followed by a comma) that `documents` reads.
    Full-text hits first; when there are none, trigram word similarity (see the module
    docstring). Rows are ordered by score, then `key`.
    """
    return f"""
WITH params AS (
    SELECT regexp_replace(
               plainto_tsquery(%(config)s::regconfig, %(q)s)::text, '''(\\s|$)', ''':*\\1', 'g'
           )::tsquery AS query,
           lower(%(q)s) AS words
),
{ctes} docs AS MATERIALIZED ({documents}),
fts AS (
    SELECT d.*, ts_rank(to_tsvector(%(config)s::regconfig, d.body), p.query)::float8 AS score,
           false AS fuzzy
    FROM docs d, params p
    WHERE p.query::text <> '' AND to_tsvector(%(config)s::regconfig, d.body) @@ p.query
),
fuzzy AS (
    SELECT d.*, word_similarity(p.words, lower(d.body))::float8 AS score, true AS fuzzy
    FROM docs d, params p
    WHERE %(may_be_similar)s AND NOT EXISTS (SELECT 1 FROM fts)
      AND p.words <%% lower(d.body)
),
best AS (
    SELECT * FROM (SELECT * FROM fts UNION ALL SELECT * FROM fuzzy) found
    ORDER BY score DESC, key
    LIMIT {MAX_HITS}
)
SELECT b.*,
       CASE WHEN b.fuzzy THEN NULL ELSE ts_headline(
           %(config)s::regconfig, replace(b.body, '<', %(less_than)s), p.query,
           %(headline_options)s
       ) END AS headline
FROM best b, params p
ORDER BY b.score DESC, b.key
"""


def search_params(terms: SearchTerms, *, config: str, **more: Any) -> dict[str, Any]:
    return {
        "q": terms.text,
        "config": config,
        "may_be_similar": len(terms.text) >= FUZZY_MIN_LENGTH,
        "less_than": _LESS_THAN,
        "headline_options": (
            f"StartSel={START_SEL}, StopSel={STOP_SEL}, MaxWords={SNIPPET_WORDS}, MinWords=12, "
            "MaxFragments=1"
        ),
        **more,
    }


def snippet(*, headline: str | None, body: str, fuzzy: bool, terms: SearchTerms) -> SafeString:
    """The row's text around the match, escaped, with the matching words marked."""
    if fuzzy:
        words = [w.lower() for w in re.findall(r"\w+", terms.text) if len(w) >= 3]
        return mark_similar(Truncator(body).words(SNIPPET_WORDS), words)
    return highlighted(as_excerpt(_LESS_THAN_BACK.sub("<", headline or ""), body))


# Documents of the course's items: one per item (title, description, text blocks, resource
# labels), one per transcript line of a video (with the second it starts at). Candidates are
# found first through the indexes of migration 0006_add_item_search_indexes (the item's whole
# text, transcripts included, in the course's configuration or by trigrams), so only they are
# taken apart.
_SEARCH_TEXT = "content_item_search_text(ci.title, ci.description, ci.data_json)"

_VISIBLE_ITEMS = f"""
    SELECT ci.id, ci.title, ci.description, ci.content_type, ci.data_json
    FROM content_items ci JOIN modules m ON m.id = ci.module_id
    WHERE ci.course_id = %(course_id)s AND ci.archived_at IS NULL
      AND (%(include_hidden)s OR ({sql_learner_sees("ci", "m")}))"""

# Trigram candidates only when no item matches by full-text search: "lecture 2454" is
# trigram-similar to every "lecture 24xx" and would take every video apart.
_CANDIDATES = f"""
matching AS MATERIALIZED ({_VISIBLE_ITEMS}
      AND to_tsvector(%(config)s::regconfig, {_SEARCH_TEXT}) @@ (SELECT query FROM params)
),
lookalike AS MATERIALIZED ({_VISIBLE_ITEMS}
      AND %(may_be_similar)s AND NOT EXISTS (SELECT 1 FROM matching)
      AND (SELECT words FROM params) <%% lower({_SEARCH_TEXT})
),
candidates AS (SELECT * FROM matching UNION ALL SELECT * FROM lookalike),"""

_ITEM_TEXT = """concat_ws(E'\\n', ci.title, ci.description,
    (SELECT string_agg(t #>> '{}', E'\\n')
     FROM jsonb_path_query(ci.data_json, 'lax $.blocks[*].text') t),
    (SELECT string_agg(t #>> '{}', E'\\n')
     FROM jsonb_path_query(ci.data_json, 'lax $.resources[*].label') t))"""

_ITEM_DOCUMENTS = f"""
    SELECT ci.id::text AS key, ci.id AS item_id, ci.title, ci.content_type,
           NULL::float8 AS start, {_ITEM_TEXT} AS body
    FROM candidates ci
    UNION ALL
    SELECT ci.id || '-' || lpad(seg.n::text, 6, '0'), ci.id, ci.title, ci.content_type,
           (seg.value ->> 'start')::float8, seg.value ->> 'text'
    FROM candidates ci
    CROSS JOIN LATERAL jsonb_array_elements(
        CASE WHEN jsonb_typeof(ci.data_json #> '{{transcript,segments}}') = 'array'
             THEN ci.data_json #> '{{transcript,segments}}' ELSE '[]'::jsonb END
    ) WITH ORDINALITY AS seg(value, n)
    WHERE ci.content_type = 'video' AND jsonb_typeof(seg.value -> 'text') = 'string'
"""

_ITEM_SEARCH_SQL = search_sql(
    _ITEM_DOCUMENTS,
    ctes=f"hidden AS MATERIALIZED ({sql_hidden_modules('course_id = %(course_id)s')}),"
    + _CANDIDATES,
)


@dataclass(frozen=True)
class ItemHit:
    item_id: int
    title: str
    content_type: str
    start_seconds: int | None  # set for a transcript line: where the video should start
    snippet: SafeString
    fuzzy: bool


def course_item_hits(
    *, course_id: int, language_code: str, terms: SearchTerms, include_hidden: bool
) -> list[ItemHit]:
    """The items of course `course_id` that match `terms`, best first, in one query; only what
    a learner sees unless `include_hidden`."""
    if not terms:
        return []
    params = search_params(
        terms,
        config=search_config(language_code),
        course_id=course_id,
        include_hidden=include_hidden,
    )
    with connection.cursor() as cursor:
        cursor.execute(_ITEM_SEARCH_SQL, params)
        rows = cursor.fetchall()
    hits = []
    for _key, item_id, title, content_type, start, body, _score, fuzzy, headline in rows:
        hits.append(
            ItemHit(
                item_id=item_id,
                title=title,
                content_type=content_type,
                start_seconds=None if start is None else max(0, int(start)),
                snippet=snippet(headline=headline, body=body, fuzzy=fuzzy, terms=terms),
                fuzzy=fuzzy,
            )
        )
    return hits
