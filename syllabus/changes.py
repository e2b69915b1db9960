"""What a write to the syllabus tree, or to the items in it, changed about what modules show.

Apps above syllabus and content keep facts derived from the tree (learners' module progress,
grades). The writes here cannot call them (imports flow upwards only), so each write returns a
`TreeChange` and the caller that composes the apps (assessments.progress.tree_changes) applies
it inside the same transaction.
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TreeChange:
    """`module_ids`: modules whose subtree gained or lost items (an item's old and new module,
    a moved or deleted module's old parent; their ancestors are affected too). `subtree_ids`:
    modules whose whole subtree may have changed visibility (published, unpublished, moved,
    copied in). `item_ids`: items that started or stopped counting in their module, or moved (a
    deleted item's id names a row that is gone). `payload_item_ids`: items whose payload
    changed, such as the points a lab or an assignment is out of. `reshaped`: modules moved,
    were published or unpublished, deleted or copied in, which changes what counts in every
    grade of the course."""

    course_id: int | None = None
    module_ids: frozenset[int] = frozenset()
    subtree_ids: frozenset[int] = frozenset()
    item_ids: frozenset[int] = frozenset()
    payload_item_ids: frozenset[int] = frozenset()
    reshaped: bool = False

    def __bool__(self) -> bool:
        return bool(self.module_ids or self.subtree_ids or self.item_ids or self.payload_item_ids)

    def __or__(self, other: "TreeChange") -> "TreeChange":
        """Both changes, as one: a write made of several writes (a template instantiated, a
        module archived) reports what all of them changed."""
        if not other:
            return self
        if not self:
            return other
        if self.course_id != other.course_id:
            raise ValueError("Changes of two courses cannot be combined.")
        return TreeChange(
            course_id=self.course_id,
            module_ids=self.module_ids | other.module_ids,
            subtree_ids=self.subtree_ids | other.subtree_ids,
            item_ids=self.item_ids | other.item_ids,
            payload_item_ids=self.payload_item_ids | other.payload_item_ids,
            reshaped=self.reshaped or other.reshaped,
        )


NO_CHANGE = TreeChange()


def modules_reshaped(
    *, course_id: int, module_ids: Iterable[int] = (), subtree_ids: Iterable[int] = ()
) -> TreeChange:
    """The change of a write that reshaped the tree of modules."""
    return TreeChange(
        course_id=course_id,
        module_ids=frozenset(module_ids),
        subtree_ids=frozenset(subtree_ids),
        reshaped=True,
    )
