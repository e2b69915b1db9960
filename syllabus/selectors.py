from typing import TypedDict

from syllabus.models import Module


class OutlineRow(TypedDict):
    id: int
    parent_id: int | None
    title: str
    module_type: str
    depth: int
    sequence_index: int
    is_published: bool


def outline_rows(*, course_id: int, published_only: bool) -> list[OutlineRow]:
    """The course's module tree as plain rows in outline (pre-)order, in one query.

    With `published_only`, a module is kept only when it and every ancestor are published, so
    unpublishing a unit hides its whole subtree.
    """
    rows = (
        Module.objects.filter(course_id=course_id)
        .order_by("tree_id", "lft")
        .values_list(
            "id",
            "parent_id",
            "title",
            "module_type",
            "depth",
            "sequence_index",
            "is_published",
            "tree_id",
            "rght",
        )
    )
    result: list[OutlineRow] = []
    hidden: tuple[int, int] | None = None  # (tree_id, rght) of the subtree being skipped
    for id_, parent_id, title, module_type, depth, seq, published, tree_id, rght in rows:
        if hidden is not None and hidden[0] == tree_id and rght < hidden[1]:
            continue
        if published_only and not published:
            hidden = (tree_id, rght)
            continue
        result.append(
            OutlineRow(
                id=id_,
                parent_id=parent_id,
                title=title,
                module_type=module_type,
                depth=depth,
                sequence_index=seq,
                is_published=published,
            )
        )
    return result
