"""Search the discussion posts of one offering, with content.search's statement and snippets.

Only readers of the offering's discussions (community.discussions.selectors) get hits, and only
posts that are not deleted, in threads of that offering.
"""

from dataclasses import dataclass

from django.db import connection
from django.utils.safestring import SafeString

from community.discussions.selectors import READING_STATUSES
from content.search import SearchTerms, search_config, search_params, search_sql, snippet

_POST_DOCUMENTS = """
    SELECT lpad(p.id::text, 12, '0') AS key, p.id AS post_id, t.id AS thread_id,
           coalesce(t.title, '') AS title, concat_ws(E'\\n', t.title, p.body) AS body
    FROM discussion_posts p JOIN discussion_threads t ON t.id = p.thread_id
    WHERE t.course_offering_id = %(offering_id)s AND NOT p.is_deleted
"""

_POST_SEARCH_SQL = search_sql(_POST_DOCUMENTS)


@dataclass(frozen=True)
class PostHit:
    post_id: int
    thread_id: int
    thread_title: str
    snippet: SafeString
    fuzzy: bool


def reads_discussions(*, is_staff: bool, enrollment_status: str | None) -> bool:
    """The rule of `discussion_access`, for a caller that already knows the relation."""
    return is_staff or enrollment_status in READING_STATUSES


def offering_post_hits(
    *, offering_id: int, language_code: str, terms: SearchTerms
) -> list[PostHit]:
    """The posts of offering `offering_id` that match `terms`, best first, in one query. The
    caller checks `reads_discussions` first."""
    if not terms:
        return []
    params = search_params(terms, config=search_config(language_code), offering_id=offering_id)
    with connection.cursor() as cursor:
        cursor.execute(_POST_SEARCH_SQL, params)
        rows = cursor.fetchall()
    return [
        PostHit(
            post_id=post_id,
            thread_id=thread_id,
            thread_title=title,
            snippet=snippet(headline=headline, body=body, fuzzy=fuzzy, terms=terms),
            fuzzy=fuzzy,
        )
        for _key, post_id, thread_id, title, body, _score, fuzzy, headline in rows
    ]
