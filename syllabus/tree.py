"""How the module tree is encoded (django-mptt's nested sets: `tree_id`, `lft`, `rght`), in
one place. Everything else asks for "in outline order", "within the subtree of" or "an
ancestor of" through these names, in the ORM or as SQL fragments it composes into its own
statements, so a query keeps its single round trip and the encoding can change here alone.

SQL fragments take table aliases: `sql_within("m", "h")` reads "module m lies in the subtree
of module h (h included)".
"""

from django.db.models import Max, Q

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
    """The field that orders siblings as the outline does: roots by tree, children by
    position within their tree."""
    return "tree_id" if roots else OUTLINE_POSITION


def new_tree_ids(rows) -> dict[int, int]:
    """For copying whole trees: a fresh tree id for each tree of `rows`, after every tree in
    the table. The caller holds the new-tree lock (syllabus.services.new_tree_lock)."""
    next_tree = last_tree_id() + 1
    tree_ids: dict[int, int] = {}
    for row in rows:
        if row.tree_id not in tree_ids:
            tree_ids[row.tree_id] = next_tree
            next_tree += 1
    return tree_ids


def copied_position(row, tree_ids: dict[int, int]) -> dict[str, int]:
    """The tree fields of an exact copy of `row` in the tree `tree_ids` maps its tree to."""
    return {"lft": row.lft, "rght": row.rght, "tree_id": tree_ids[row.tree_id]}


def sql_strictly_within(node: str, ancestor: str) -> str:
    """Module `node` lies under module `ancestor` (not itself), by the tree fields alone: what
    bulk loaders check their rows against."""
    same_tree = f"{ancestor}.tree_id = {node}.tree_id"
    return f"{same_tree} AND {ancestor}.lft < {node}.lft AND {node}.rght < {ancestor}.rght"


def last_tree_id() -> int:
    """The highest tree id in the table (0 when empty); new trees take the ids after it, under
    the new-tree lock (syllabus.services.new_tree_lock)."""
    from syllabus.models import Module

    return Module.objects.aggregate(m=Max("tree_id"))["m"] or 0
