"""Reads of content items for the course player.

Visibility is one rule everywhere: a learner sees an item when it is active and its module and
every ancestor of that module are published; staff (`include_hidden`) see everything. The rule
is applied in SQL through the course's unpublished subtrees (syllabus.tree), so a check
costs one anti-join whatever the tree size.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, NamedTuple
from urllib.parse import unquote

from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.http import Http404
from django.utils.encoding import filepath_to_uri

from content.models import Asset, AssetType, ContentType, CourseImage
from syllabus import tree
from syllabus.selectors import OutlineRow, outline_rows


class OutlineItem(NamedTuple):
    id: int
    module_id: int
    title: str
    content_type: str
    is_active: bool


class Crumb(NamedTuple):
    id: int
    title: str
    module_type: str


class Neighbour(NamedTuple):
    id: int
    title: str
    content_type: str


@dataclass(frozen=True)
class ItemPage:
    """One content item with what its page shows around it."""

    id: int
    content_type: str
    title: str
    description: str | None
    data: dict[str, Any]
    estimated_duration_seconds: int | None
    is_active: bool
    module_id: int
    module_is_visible: bool
    university_id: int
    ancestors: list[Crumb]
    previous: Neighbour | None
    next: Neighbour | None

    @property
    def hidden_from_students(self) -> bool:
        return not self.is_active or not self.module_is_visible

    @property
    def type_label(self) -> str:
        return str(dict(ContentType.choices).get(self.content_type, self.content_type))


def outline_items(*, course_id: int, include_inactive: bool) -> dict[int, list[OutlineItem]]:
    """The course's items by module id, in sequence order, in one query.

    Items of unpublished modules are still returned; the outline only asks for the modules it
    shows. Plain SQL rather than the ORM: a large course has thousands of items and this sits
    on the outline's hot path.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT id, module_id, title, content_type, is_active
            FROM content_items
            WHERE course_id = %s AND (is_active OR %s) AND archived_at IS NULL
            ORDER BY module_id, sequence_index
            """,
            [course_id, include_inactive],
        )
        rows = cursor.fetchall()
    by_module: dict[int, list[OutlineItem]] = {}
    make = OutlineItem._make
    for row in rows:
        item = make(row)
        if item.module_id in by_module:
            by_module[item.module_id].append(item)
        else:
            by_module[item.module_id] = [item]
    return by_module


@dataclass(frozen=True)
class Outline:
    """A course's visible modules (pre-order rows) and their items. Shared between requests
    through the outline cache: treat it as read-only."""

    rows: list[OutlineRow]
    items_by_module: dict[int, list[OutlineItem]]


# The version of a course's outline: the course's row of outline_versions, which triggers raise
# on every insert, update and delete of its modules and items, whatever wrote them (save(), the
# bulk UPDATEs of MPTT moves and publish toggles, raw SQL), and that row's `xmin` (the
# transaction that wrote it last). The counter changes with every write; the `xmin` tells apart
# two courses that had the same id and counter (a database emptied and filled again, as the
# tests do), as transaction ids only grow. One row read by its key, whatever the course's size.
_OUTLINE_VERSION_SQL = """
SELECT version, xmin::text FROM outline_versions WHERE course_id = %(course_id)s
"""


class _OutlineCache:
    """Outlines by (course id, include_hidden) with the version they were read at; least
    recently used first out once the modules and items held pass `max_rows` (about 1 kB each).
    """

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self._entries: OrderedDict[tuple[int, bool], tuple[tuple, Outline, int]] = OrderedDict()
        self._rows = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[int, bool], version: tuple) -> Outline | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple[int, bool], version: tuple, outline: Outline) -> None:
        size = len(outline.rows) + sum(len(items) for items in outline.items_by_module.values())
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._rows -= previous[2]
            self._entries[key] = (version, outline, size)
            self._rows += size
            while self._rows > self.max_rows and len(self._entries) > 1:
                _key, (_version, _outline, dropped) = self._entries.popitem(last=False)
                self._rows -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._rows = 0


_outline_cache = _OutlineCache(max_rows=60_000)


def outline_version(*, course_id: int) -> tuple[int, str]:
    """A value that changes with every write to the course's modules and items (see
    _OUTLINE_VERSION_SQL): what is derived from the outline can be cached under it. A course
    that never had a module or an item is at (0, "")."""
    with connection.cursor() as cursor:
        cursor.execute(_OUTLINE_VERSION_SQL, {"course_id": course_id})
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, "")


def course_outline(*, course_id: int, include_hidden: bool) -> Outline:
    """The outline of a course: learners get published modules and active items only
    (`outline_rows` with published_only), staff everything.

    Kept in a small per-process cache and checked against the outline's version on every
    call, so a change to any module or item of the course is seen by the very next request;
    progress is never part of it. One query when the version matches, three when it does not.
    """
    version = outline_version(course_id=course_id)
    key = (course_id, include_hidden)
    outline = _outline_cache.get(key, version)
    if outline is None:
        outline = Outline(
            rows=outline_rows(course_id=course_id, published_only=not include_hidden),
            items_by_module=outline_items(course_id=course_id, include_inactive=include_hidden),
        )
        _outline_cache.put(key, version, outline)
    return outline


def outline_cache_clear() -> None:
    _outline_cache.clear()


def sql_hidden_modules(course_condition: str) -> str:
    """The modules that hide their subtree from learners (unpublished ones), among those
    `course_condition` (an SQL condition on `modules`) selects: the body of the MATERIALIZED
    CTE named `hidden` that `sql_learner_sees` reads. One course or several, one statement."""
    return (
        f"SELECT {tree.SQL_SUBTREE_COLUMNS} FROM modules "
        f"WHERE {course_condition} AND NOT is_published"
    )


def sql_learner_sees(item: str, module: str) -> str:
    """The one visibility rule as SQL: item `item`, in module `module`, is active and no
    module of the `hidden` CTE (`sql_hidden_modules`) has the module in its subtree."""
    return (
        f"{item}.is_active AND NOT EXISTS (SELECT 1 FROM hidden h "
        f"WHERE {tree.sql_within(module, 'h')})"
    )


# The neighbours are found by walking the outline-order index from the item's module in
# each direction and stopping at the first visible item, instead of numbering every item of
# the course; the walk is bounded by the course's first and last tree.
_NEIGHBOUR_SQL = """
    SELECT i.id, i.title, i.content_type
    FROM modules m JOIN content_items i ON i.module_id = m.id
    WHERE {key_m} {cmp}= {key_cm}
      AND ({key_m} {cmp} {key_cm}
           OR i.sequence_index {cmp} ci.sequence_index)
      AND {in_course_trees}
      AND m.course_id = %(course_id)s
      AND (%(include_hidden)s OR ({learner_sees}))
    ORDER BY {order}, i.sequence_index {direction}
    LIMIT 1
"""


def _neighbour_sql(*, after: bool) -> str:
    direction = "ASC" if after else "DESC"
    return _NEIGHBOUR_SQL.format(
        key_m=tree.sql_outline_key("m"),
        key_cm=tree.sql_outline_key("cm"),
        cmp=">" if after else "<",
        in_course_trees=tree.sql_in_course_trees("m", course_param="%(course_id)s", after=after),
        learner_sees=sql_learner_sees("i", "m"),
        order=tree.sql_outline_order("m", direction),
        direction=direction,
    )


_PREVIOUS_SQL = _neighbour_sql(after=False)
_NEXT_SQL = _neighbour_sql(after=True)

_ITEM_PAGE_SQL = f"""
WITH hidden AS MATERIALIZED ({sql_hidden_modules("course_id = %(course_id)s")})
SELECT ci.id, ci.content_type, ci.title, ci.description, ci.data_json::json,
       ci.estimated_duration_seconds, ci.is_active, ci.module_id, ci.university_id,
       NOT EXISTS (
           SELECT 1 FROM hidden h
           WHERE {tree.sql_within("cm", "h")}
       ) AS module_is_visible,
       prev.id, prev.title, prev.content_type, next.id, next.title, next.content_type,
       (
           SELECT json_agg(
               json_build_array(a.id, a.title, a.module_type) ORDER BY a.{tree.OUTLINE_POSITION}
           )
           FROM modules a
           WHERE {tree.sql_ancestor_or_self("a", "cm")}
       ) AS ancestors
FROM content_items ci
JOIN modules cm ON cm.id = ci.module_id
LEFT JOIN LATERAL ({_PREVIOUS_SQL}) prev ON true
LEFT JOIN LATERAL ({_NEXT_SQL}) next ON true
WHERE ci.id = %(item_id)s AND ci.course_id = %(course_id)s
  AND (%(include_hidden)s OR ({sql_learner_sees("ci", "cm")}))
"""


def item_page(*, course_id: int, item_id: int, include_hidden: bool) -> ItemPage:
    """Item `item_id` of course `course_id` with its breadcrumbs (the module and its ancestors,
    root first) and its previous and next items in outline order, in one query.

    Raises Http404 alike for a missing item, another course's item and, without
    `include_hidden`, an item the learner may not see.
    """
    params = {"course_id": course_id, "item_id": item_id, "include_hidden": include_hidden}
    with connection.cursor() as cursor:
        cursor.execute(_ITEM_PAGE_SQL, params)
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such item.")
    (
        id_,
        content_type,
        title,
        description,
        data,
        duration,
        is_active,
        module_id,
        university_id,
        module_is_visible,
        prev_id,
        prev_title,
        prev_type,
        next_id,
        next_title,
        next_type,
        ancestors,
    ) = row
    return ItemPage(
        id=id_,
        content_type=content_type,
        title=title,
        description=description,
        data=data,
        estimated_duration_seconds=duration,
        is_active=is_active,
        module_id=module_id,
        module_is_visible=module_is_visible,
        university_id=university_id,
        ancestors=[Crumb(*a) for a in ancestors or []],
        previous=Neighbour(prev_id, prev_title, prev_type) if prev_id else None,
        next=Neighbour(next_id, next_title, next_type) if next_id else None,
    )


class AssetRow(NamedTuple):
    id: int
    url: str
    asset_type: str
    meta: dict[str, Any]


def assets_for_university(*, ids: set[int], university_id: int) -> dict[int, AssetRow]:
    """The assets among `ids` that content of `university_id` may use: its own and the
    platform-wide ones (no university). Another university's asset is simply absent."""
    if not ids:
        return {}
    rows = (
        Asset.objects.filter(pk__in=ids)
        .filter(Q(university_id=university_id) | Q(university__isnull=True))
        .values_list("id", "url", "asset_type", "meta_json")
    )
    return {r[0]: AssetRow(r[0], r[1], r[2], r[3] or {}) for r in rows}


def asset_address(name: str) -> str:
    """The lasting address a library row records for an uploaded file: its storage name under
    MEDIA_URL, whatever the storage. A bucket's own address for it is a signed link that expires
    (and names the bucket), so it is never written down; downloads go through the views, which
    sign a fresh one."""
    return "/" + settings.MEDIA_URL.strip("/") + "/" + filepath_to_uri(name)


def asset_file_name(*, url: str, meta: dict[str, Any], thumbnail: bool = False) -> str | None:
    """The storage name of an uploaded asset's file (or of its thumbnail), None for an asset
    that lives elsewhere (a static file, another site). Rows from before names were recorded
    are recognised by their MEDIA_URL address."""
    key, address = (
        ("thumbnail_name", meta.get("thumbnail_url")) if thumbnail else ("storage_name", url)
    )
    name = meta.get(key)
    if isinstance(name, str) and name:
        return name
    if thumbnail and isinstance(meta.get("storage_name"), str) and address:
        return f"{PurePosixPath(meta['storage_name']).parent}/thumbnail.png"
    media = "/" + settings.MEDIA_URL.strip("/") + "/"
    if isinstance(address, str) and address.startswith(media):
        return unquote(address.removeprefix(media)) or None
    return None


def assets_linked(
    assets: dict[int, AssetRow], link: Callable[[AssetRow], str]
) -> dict[int, AssetRow]:
    """`assets` with every uploaded file pointed at `link(row)`, the address of a view that
    checks who is asking; assets stored elsewhere keep their own address."""
    return {
        pk: row._replace(url=link(row)) if asset_file_name(url=row.url, meta=row.meta) else row
        for pk, row in assets.items()
    }


class CourseImageRow(NamedTuple):
    course_id: int
    asset: AssetRow
    alt_text: str

    @property
    def width(self) -> int | None:
        return self.asset.meta.get("width")

    @property
    def height(self) -> int | None:
        return self.asset.meta.get("height")


def course_images(*, course_ids: Iterable[int]) -> dict[int, CourseImageRow]:
    """The images of the courses among `course_ids` that have one, in one query. An asset that
    is no longer an image of the course's own university (changed since) is left out."""
    ids = sorted(set(course_ids))
    if not ids:
        return {}
    rows = CourseImage.objects.filter(
        course_id__in=ids,
        asset__asset_type=AssetType.IMAGE,
        asset__university_id=F("course__university_id"),
    ).values_list("course_id", "asset_id", "asset__url", "asset__meta_json", "alt_text")
    return {
        course_id: CourseImageRow(
            course_id, AssetRow(asset_id, url, AssetType.IMAGE, meta or {}), alt
        )
        for course_id, asset_id, url, meta, alt in rows
    }


class ItemRef(NamedTuple):
    id: int
    content_type: str
    data: dict[str, Any]


_ITEM_REF_SQL = f"""
SELECT ci.id, ci.content_type, ci.data_json::json
FROM content_items ci
JOIN modules m ON m.id = ci.module_id
WHERE ci.id = %(item_id)s AND ci.course_id = %(course_id)s
  AND (%(include_hidden)s OR (
      ci.is_active
      AND NOT EXISTS (
          SELECT 1 FROM modules h
          WHERE h.course_id = %(course_id)s AND NOT h.is_published
            AND {tree.sql_within("m", "h")}
      )
  ))
"""


def item_ref(*, course_id: int, item_id: int, include_hidden: bool) -> ItemRef:
    """The item with the visibility check of item_page but without its neighbours, for the
    endpoints that act on an item. Raises Http404 alike for missing, foreign and hidden."""
    params = {"course_id": course_id, "item_id": item_id, "include_hidden": include_hidden}
    with connection.cursor() as cursor:
        cursor.execute(_ITEM_REF_SQL, params)
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such item.")
    return ItemRef(*row)
