"""How the subject tree is encoded (django-mptt's nested sets: `tree_id`, `lft`, `rght`), in
one place; the rest of catalog asks for "in tree order" and "within the subtree of"."""

from django.db.models import Q

# Subjects as the tree lists them (pre-order), across every tree.
TREE_ORDER: tuple[str, ...] = ("tree_id", "lft")
# The fields a subject needs for `subtree_q` and for showing its depth.
TREE_FIELDS: tuple[str, ...] = ("depth", "tree_id", "lft", "rght")


def subtree_q(subject, prefix: str = "") -> Q:
    """Rows whose subject (through `prefix`) is `subject` or lies under it."""
    return Q(
        **{
            f"{prefix}tree_id": subject.tree_id,
            f"{prefix}lft__gte": subject.lft,
            f"{prefix}lft__lte": subject.rght,
        }
    )
