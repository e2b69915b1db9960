"""How the module tree is encoded (django-mptt's nested sets: `tree_id`, `lft`, `rght`), in
one place. Everything else asks for "in outline order", "within the subtree of" or "an
ancestor of" through these names, in the ORM or as SQL fragments it composes into its own
statements, so a query keeps its single round trip and the encoding can change here alone.

SQL fragments take table aliases: `sql_within("m", "h")` reads "module m lies in the subtree
of module h (h included)".
"""

from collections.abc import Sequence

from django.db import connection
from django.db.models import Q
from mptt.managers import TreeManager

# Order of a course's modules as the outline shows them (pre-order), across its trees.
OUTLINE_ORDER: tuple[str, ...] = ("tree_id", "lft")
# Within one tree, this field alone gives the outline order.
OUTLINE_POSITION = "lft"
# The fields MPTT maintains for a node's place in the tree.
TREE_FIELDS: tuple[str, ...] = ("lft", "rght", "tree_id", "depth")
# The columns a subtree is bounded by, for a CTE of subtrees used with `sql_within`.
SQL_SUBTREE_COLUMNS = "tree_id, lft, rght"
# The columns that tell where a node's subtree ends, for `SubtreeSkip`.
SQL_SUBTREE_END_COLUMNS = "tree_id, rght"


def outline_order(prefix: str = "") -> tuple[str, ...]:
    """`OUTLINE_ORDER` through a relation, e.g. `outline_order("module__")`."""
    return tuple(f"{prefix}{name}" for name in OUTLINE_ORDER)


def subtree_q(module, prefix: str = "") -> Q:
    """Rows whose module (through `prefix`) lies in `module`'s subtree, itself included."""
    return Q(
        **{
            f"{prefix}tree_id": module.tree_id,
            f"{prefix}lft__gte": module.lft,
            f"{prefix}lft__lte": module.rght,
        }
    )


def sql_within(node: str, subtree: str) -> str:
    """Module `node` lies in the subtree of module `subtree` (itself included)."""
    same_tree = f"{subtree}.tree_id = {node}.tree_id"
    return f"{same_tree} AND {node}.lft BETWEEN {subtree}.lft AND {subtree}.rght"


def sql_subtree_columns(alias: str) -> str:
    """`SQL_SUBTREE_COLUMNS` of module `alias`, for a select list feeding `sql_within`."""
    return ", ".join(f"{alias}.{name.strip()}" for name in SQL_SUBTREE_COLUMNS.split(","))


def sql_ancestor_or_self(ancestor: str, node: str) -> str:
    """Module `ancestor` is `node` or one of its ancestors."""
    return (
        f"{ancestor}.tree_id = {node}.tree_id AND {ancestor}.lft <= {node}.lft "
        f"AND {ancestor}.rght >= {node}.rght"
    )


def sql_outline_key(alias: str) -> str:
    """A row value comparing modules by outline position, e.g. `key(m) < key(cm)`."""
    return f"({alias}.tree_id, {alias}.lft)"


def sql_outline_order(alias: str = "", direction: str = "ASC") -> str:
    """An ORDER BY list in outline order (`direction` ASC or DESC); `alias` may be empty."""
    column = f"{alias}." if alias else ""
    return f"{column}tree_id {direction}, {column}lft {direction}"


def sql_in_course_trees(alias: str, *, course_param: str, after: bool) -> str:
    """Bounds an outline walk to the course's trees: at or before its last tree (`after`,
    walking forward) or at or after its first one. `course_param` names the course id
    parameter, e.g. "%(course_id)s"."""
    cmp, bound = ("<=", "max") if after else (">=", "min")
    return (
        f"{alias}.tree_id {cmp} (SELECT {bound}(tree_id) FROM modules "
        f"WHERE course_id = {course_param})"
    )


def sql_from_course_start(alias: str, *, course: str) -> str:
    """Module `alias` is at or after the start of the outline of course `course` (an SQL
    expression), as a row comparison that walks the outline index from the course's first
    tree."""
    return (
        f"{sql_outline_key(alias)} >= ("
        f"(SELECT min(tree_id) FROM modules WHERE course_id = {course}), 0)"
    )


class SubtreeSkip:
    """While walking modules in outline order, skips the rows of a subtree once `start` is
    called with its root's `SQL_SUBTREE_END_COLUMNS` values."""

    def __init__(self) -> None:
        self._end: tuple[int, int] | None = None

    def start(self, end: tuple[int, int]) -> None:
        self._end = end

    def skips(self, end: tuple[int, int]) -> bool:
        return self._end is not None and self._end[0] == end[0] and end[1] < self._end[1]


def sibling_order(*, roots: bool) -> str:
    """The field that orders siblings as the outline does: a course's roots by its own
    numbering (their tree ids follow it, see `align_tree_ids`), children by position within
    their tree."""
    return "sequence_index" if roots else OUTLINE_POSITION


# Where new tree ids come from (created by syllabus migration 0006): a sequence hands each new
# tree an id above every existing one without a lock, so courses never wait for each other.
TREE_ID_SEQUENCE = "modules_tree_id_seq"


def new_tree_ids(count: int) -> list[int]:
    """`count` fresh tree ids, increasing, each above every tree id in the table."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s) ORDER BY 1", [TREE_ID_SEQUENCE, count]
        )
        return [row[0] for row in cursor.fetchall()]


class ModuleTreeManager(TreeManager):
    """django-mptt's manager with two changes that keep every course's trees its own.

    New trees (a node saved without a parent, a child made a root) take their id from
    `TREE_ID_SEQUENCE` instead of max + 1, which needed a lock over the whole table. Placing a
    node beside a root ("left"/"right" of a root, or saving a child with its parent cleared)
    is refused: mptt does it by shifting the tree ids of every tree after the target, other
    courses' included. A course orders its roots by `sequence_index` and `align_tree_ids`.
    """

    def _get_next_tree_id(self) -> int:
        return new_tree_ids(1)[0]

    def _create_tree_space(self, target_tree_id, num_trees=1):
        raise RuntimeError("Roots are ordered by their course (syllabus.services), not by mptt.")

    def _make_sibling_of_root_node(self, node, target, position):
        raise RuntimeError("Roots are ordered by their course (syllabus.services), not by mptt.")


def align_tree_ids(*, course_id: int, root_ids: Sequence[int]) -> None:
    """Give the course's trees its own tree ids again, in the order of `root_ids` (all its
    roots, in outline order), so ordering by tree id stays the outline order. Only the rows of
    this course change: the ids are permuted among its trees."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH wanted AS (
                SELECT r.tree_id AS old, o.n
                FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS o(id, n)
                JOIN modules r ON r.id = o.id AND r.course_id = %(course)s
            ), owned AS (
                SELECT old AS new, row_number() OVER (ORDER BY old) AS n FROM wanted
            )
            UPDATE modules m SET tree_id = owned.new
            FROM wanted JOIN owned USING (n)
            WHERE m.course_id = %(course)s AND m.tree_id = wanted.old
              AND wanted.old <> owned.new
            """,
            {"ids": list(root_ids), "course": course_id},
        )


def copied_tree_ids(rows) -> dict[int, int]:
    """For copying whole trees: a fresh tree id for each tree of `rows` (in outline order),
    increasing in the order the trees come."""
    trees = list(dict.fromkeys(row.tree_id for row in rows))
    return dict(zip(trees, new_tree_ids(len(trees)), strict=True))


def copied_position(row, tree_ids: dict[int, int]) -> dict[str, int]:
    """The tree fields of an exact copy of `row` in the tree `tree_ids` maps its tree to."""
    return {"lft": row.lft, "rght": row.rght, "tree_id": tree_ids[row.tree_id]}


# The tree columns of a bulk-built row, in the order `bulk_tree_columns` gives their values.
BULK_TREE_COLUMNS: tuple[str, ...] = ("lft", "rght", "tree_id")


def bulk_tree_columns(parents: Sequence[int | None], *, new_tree: int) -> list[tuple[int, ...]]:
    """The `BULK_TREE_COLUMNS` values of each node of one tree built in bulk (for COPY or a
    multi-row insert), the nodes given in pre-order as the index of each one's parent (None
    for the root, which comes first), in the tree `new_tree` (an id from `new_tree_ids`)."""
    if not parents or parents[0] is not None:
        raise ValueError("A tree in pre-order starts with its root.")
    links: list[int] = []
    depths = [0]
    for index, parent in enumerate(parents[1:], 1):
        if parent is None or not 0 <= parent < index:
            raise ValueError("In pre-order every node but the root follows its parent.")
        links.append(parent)
        depths.append(depths[parent] + 1)
    sizes = [1] * len(parents)
    for index in range(len(parents) - 1, 0, -1):
        sizes[links[index - 1]] += sizes[index]
    # Before a node in pre-order, each node that is not one of its ancestors has closed (two
    # numbers) and each ancestor has opened (one).
    rows: list[tuple[int, ...]] = []
    for index, (size, depth) in enumerate(zip(sizes, depths, strict=True)):
        left = 2 * index - depth + 1
        rows.append((left, left + 2 * size - 1, new_tree))
    return rows


def sql_not_one_nested_set(alias: str, *, size: str) -> str:
    """For a GROUP BY over one course's modules `alias`: true unless they form a single tree
    numbered 1..2 * `size` (an SQL expression), what bulk loaders check their rows against."""
    return (
        f"min({alias}.lft) <> 1 OR max({alias}.rght) <> 2 * {size} "
        f"OR count(DISTINCT {alias}.tree_id) <> 1"
    )


def sql_strictly_within(node: str, ancestor: str) -> str:
    """Module `node` lies under module `ancestor` (not itself), by the tree fields alone: what
    bulk loaders check their rows against."""
    same_tree = f"{ancestor}.tree_id = {node}.tree_id"
    return f"{same_tree} AND {ancestor}.lft < {node}.lft AND {node}.rght < {ancestor}.rght"
