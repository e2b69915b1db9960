"""Writes to the syllabus tree.

A change that can change which items a module's subtree shows (a move to another parent,
publishing, deleting) returns a `syllabus.changes.TreeChange` with what it returns otherwise:
the caller that composes the apps above applies it in the same transaction
(assessments.progress.tree_changes), so what they derive from the tree (learners' module
progress, grades) changes with it or not at all.

Every change locks the course row first, so two staff editing one course take turns and the
MPTT fields, `depth` and `sequence_index` never interleave; nothing else is locked, so
different courses never wait for each other (a new tree takes its id from a sequence,
syllabus.tree.new_tree_ids). `sequence_index` is renumbered 1..n among the siblings of every
parent a change touched, in two set-based statements that never collide with the
(non-deferrable) unique index on (course, parent, sequence_index).

A course's roots are ordered by their `sequence_index`, never with mptt's root-sibling moves
(which renumber the trees of every course after the target): after a change among them, the
course's own tree ids are handed out again in that order (syllabus.tree.align_tree_ids), so
the outline order by tree id holds.
"""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from catalog.models import Course
from syllabus import tree
from syllabus.changes import NO_CHANGE, TreeChange, modules_reshaped
from syllabus.models import Module, ModuleTemplate, ModuleType

# Parks a moving node outside 1..n and outside the values renumbering uses (-2 and below).
_PARKED = -1


def course_lock(*, course_id: int) -> None:
    """Lock the course row for the rest of the transaction: every write to a course's syllabus
    and content order takes this lock first, so they run one after the other."""
    Course.objects.select_for_update().filter(pk=course_id).values_list("pk").get()


def _lock_course(course_id: int) -> None:
    course_lock(course_id=course_id)


_CHILDREN_ORDER = f"""
    SELECT id, row_number() OVER (ORDER BY {tree.sibling_order(roots=False)}) AS rn
    FROM modules
    WHERE course_id = %(course)s AND parent_module_id = %(parent)s
"""
_GIVEN_ORDER = "SELECT id, rn FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS o(id, rn)"


def renumber_children(
    *,
    course_id: int,
    parent_id: int | None,
    place: Module | None = None,
    position: int | None = None,
) -> None:
    """Give the children of `parent_id` sequence 1..n in tree order. The roots of the course
    (`parent_id` None) keep their order, with the parked `place` (a root just created or made
    one) put at 1-based `position` (last when None), and their trees' ids follow."""
    if parent_id is None:
        roots = list(
            Module.objects.filter(course_id=course_id, parent=None, sequence_index__gt=0)
            .order_by(tree.sibling_order(roots=True))
            .values_list("pk", flat=True)
        )
        if place is not None:
            roots.insert(len(roots) if position is None else position - 1, place.pk)
        _number(course_id, None, _GIVEN_ORDER, roots)
        tree.align_tree_ids(course_id=course_id, root_ids=roots)
    else:
        _number(course_id, parent_id, _CHILDREN_ORDER, [])


def _number(course_id: int, parent_id: int | None, ordered: str, ids: list[int]) -> None:
    """Set sequence_index to the `rn` the `ordered` query gives each sibling, in two
    statements that never hold two siblings at one number."""
    params = {"course": course_id, "parent": parent_id, "ids": ids}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH ordered AS ({ordered})
            UPDATE modules m SET sequence_index = -(o.rn + 1)
            FROM ordered o
            WHERE m.id = o.id AND m.sequence_index <> o.rn
            """,
            params,
        )
        cursor.execute(
            """
            UPDATE modules SET sequence_index = -sequence_index - 1
            WHERE course_id = %(course)s AND parent_module_id IS NOT DISTINCT FROM %(parent)s
              AND sequence_index < -1
            """,
            params,
        )


def _check_parent(course_id: int, parent: Module | None) -> None:
    if parent is not None and parent.course_id != course_id:
        raise ValidationError({"parent": "The parent module belongs to another course."})


@transaction.atomic
def module_create(
    *,
    course: Course,
    parent: Module | None,
    module_type: str,
    title: str,
    description: str | None = None,
    is_published: bool = False,
    module_template: ModuleTemplate | None = None,
    position: int | None = None,
) -> Module:
    """Add a module under `parent` (a course root when None) at 1-based `position`
    (last when None)."""
    _lock_course(course.pk)
    if parent is not None:
        parent = Module.objects.get(pk=parent.pk)
    _check_parent(course.pk, parent)
    module = Module(
        course_id=course.pk,
        parent=parent,
        module_type=module_type,
        title=title,
        description=description,
        is_published=is_published,
        module_template=module_template,
        sequence_index=_PARKED,
    )
    module.full_clean(exclude=["parent", "course"])
    if position is not None and position < 1:
        raise ValidationError({"position": "Positions start at 1."})
    module.save()
    if parent is None:
        renumber_children(course_id=course.pk, parent_id=None, place=module, position=position)
    else:
        if position is not None:
            _place(module, parent, position)
        renumber_children(course_id=course.pk, parent_id=parent.pk)
    module.refresh_from_db()
    return module


def _siblings(course_id: int, parent: Module, exclude_id: int) -> list[Module]:
    qs = Module.objects.filter(course_id=course_id, parent=parent).exclude(pk=exclude_id)
    return list(qs.order_by(tree.sibling_order(roots=False)))


def _place(module: Module, parent: Module, position: int) -> None:
    """Move `module` (already a child of `parent`) to 1-based `position` among its siblings."""
    siblings = _siblings(module.course_id, parent, module.pk)
    if position > len(siblings):
        return
    module.refresh_from_db()
    module.move_to(siblings[position - 1], "left")


@transaction.atomic
def module_move(
    *, module: Module, parent: Module | None, position: int | None = None
) -> tuple[Module, TreeChange]:
    """Move `module` (with its subtree) under `parent` at 1-based `position` (last when None);
    returns it with what the move changed."""
    _lock_course(module.course_id)
    module = Module.objects.get(pk=module.pk)
    if parent is not None:
        parent = Module.objects.get(pk=parent.pk)
    _check_parent(module.course_id, parent)
    if parent is not None and (parent.pk == module.pk or parent.is_descendant_of(module)):
        raise ValidationError({"parent": "A module cannot move into itself or its own subtree."})
    old_parent_id = module.parent_id
    Module.objects.filter(pk=module.pk).update(sequence_index=_PARKED)
    module.refresh_from_db()
    if position is not None and position < 1:
        raise ValidationError({"position": "Positions start at 1."})
    if parent is None:
        if module.parent_id is not None:
            module.move_to(None)  # a tree of its own, its id from the sequence
        renumber_children(
            course_id=module.course_id, parent_id=None, place=module, position=position
        )
    else:
        siblings = _siblings(module.course_id, parent, module.pk)
        if position is None or position > len(siblings):
            module.move_to(parent, "last-child")
        else:
            module.move_to(siblings[position - 1], "left")
    new_parent_id = parent.pk if parent else None
    if new_parent_id is not None or old_parent_id is not None:
        renumber_children(course_id=module.course_id, parent_id=old_parent_id)
    change = NO_CHANGE
    if new_parent_id != old_parent_id and new_parent_id is not None:
        renumber_children(course_id=module.course_id, parent_id=new_parent_id)
    if new_parent_id != old_parent_id:
        change = modules_reshaped(
            course_id=module.course_id,
            module_ids=[old_parent_id] if old_parent_id else [],
            subtree_ids=[module.pk],
        )
    module.refresh_from_db()
    return module, change


@transaction.atomic
def module_delete(*, module: Module) -> TreeChange:
    """Delete a module with its subtree and content, closing the gap among its siblings;
    returns what the deletion changed."""
    _lock_course(module.course_id)
    module = Module.objects.get(pk=module.pk)
    course_id, parent_id = module.course_id, module.parent_id
    module.delete()
    renumber_children(course_id=course_id, parent_id=parent_id)
    if parent_id is None:
        return NO_CHANGE
    return modules_reshaped(course_id=course_id, module_ids=[parent_id])


@transaction.atomic
def module_update(*, module: Module, **fields) -> tuple[Module, TreeChange]:
    """Change a module's own fields (not its place in the tree); a change of `is_published`
    takes the course lock, like every change of what learners see. Returns the module with
    what the change changed."""
    allowed = {"title", "description", "module_type", "is_published", "module_template"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    was_published = None
    if "is_published" in fields:
        _lock_course(module.course_id)
        was_published = Module.objects.values_list("is_published", flat=True).get(pk=module.pk)
    for name, value in fields.items():
        setattr(module, name, value)
    module.full_clean(exclude=["parent", "course"])
    module.save(update_fields=[*fields, "updated_at"])
    if was_published is not None and was_published != module.is_published:
        return module, modules_reshaped(course_id=module.course_id, subtree_ids=[module.pk])
    return module, NO_CHANGE


@transaction.atomic
def module_set_published(*, module: Module, is_published: bool) -> tuple[int, TreeChange]:
    """Publish or unpublish a module together with its whole subtree; returns how many
    modules were written, with what that changed."""
    _lock_course(module.course_id)
    module = Module.objects.get(pk=module.pk)
    count = module.get_descendants(include_self=True).update(is_published=is_published)
    return count, modules_reshaped(course_id=module.course_id, subtree_ids=[module.pk])


@transaction.atomic
def templates_publish(*, template_ids: list[int]) -> int:
    """Make the templates platform-wide (no university): every university's staff may add
    them from then on. Returns how many changed."""
    return (
        ModuleTemplate.objects.select_for_update()
        .filter(pk__in=template_ids, university__isnull=False)
        .update(university=None)
    )


def course_root(*, course: Course) -> Module:
    """The course_root module of a course, created on first use."""
    root = (
        Module.objects.filter(course_id=course.pk, parent=None, module_type=ModuleType.COURSE_ROOT)
        .order_by(tree.sibling_order(roots=True))
        .first()
    )
    if root is None:
        root = module_create(
            course=course,
            parent=None,
            module_type=ModuleType.COURSE_ROOT,
            title=course.title,
            is_published=True,
        )
    return root


def _template_kept(row: Module, university_id: int) -> int | None:
    """The template a copied module keeps a link to: none when the template belongs to another
    university than the target course's."""
    template = row.module_template
    if template is None or template.university_id not in (None, university_id):
        return None
    return template.pk


@transaction.atomic
def modules_copy(
    *, source_course: Course, target_course: Course, parent: Module | None = None
) -> dict[int, int]:
    """Copy every module tree of `source_course` into `target_course`; returns old id -> new id.

    Into a course without a syllabus (none, or an empty course root as the admin creates on
    first visit, which is replaced) and without `parent`, the trees are copied as they are:
    MPTT fields are carried over with a fresh tree id per tree, so the copy is written level by
    level in a few statements whatever its size. Otherwise the source is appended under
    `parent` (a module of the target; the target's course root when None): the children of
    the source's course root become the last children of `parent`, and the source's course
    root maps to `parent` itself, which receives its items. The copy keeps titles, types,
    order, publication and the templates the target's university may use. Both courses are
    locked, in id order, so two copies between the same courses cannot deadlock.
    """
    if source_course.pk == target_course.pk:
        raise ValidationError({"target_course": _("Copy a syllabus into another course.")})
    for course_id in sorted({source_course.pk, target_course.pk}):
        _lock_course(course_id)
    if parent is not None:
        parent = Module.objects.filter(pk=parent.pk, course_id=target_course.pk).first()
        if parent is None:
            raise ValidationError({"parent": _("Pick a module of the target course.")})
    rows = list(
        Module.objects.filter(course_id=source_course.pk)
        .select_related("module_template")
        .order_by(*tree.OUTLINE_ORDER)
    )
    if parent is None and _has_syllabus(target_course.pk):
        parent = course_root(course=target_course)
    if parent is not None:
        return _modules_append(rows, target_course, parent)
    Module.objects.filter(course_id=target_course.pk).delete()
    if not rows:
        return {}
    tree_ids = tree.copied_tree_ids(rows)
    mapping: dict[int, int] = {}
    for depth in sorted({row.depth for row in rows}):
        level = [row for row in rows if row.depth == depth]
        copies = Module.objects.bulk_create(
            [
                Module(
                    course_id=target_course.pk,
                    parent_id=mapping[row.parent_id] if row.parent_id else None,
                    module_type=row.module_type,
                    module_template_id=_template_kept(row, target_course.university_id),
                    title=row.title,
                    description=row.description,
                    sequence_index=row.sequence_index,
                    depth=row.depth,
                    is_published=row.is_published,
                    **tree.copied_position(row, tree_ids),
                )
                for row in level
            ]
        )
        mapping.update({row.pk: copy.pk for row, copy in zip(level, copies, strict=True)})
    return mapping


def _has_syllabus(course_id: int) -> bool:
    """Whether the course has more than an empty course root."""
    existing = list(Module.objects.filter(course_id=course_id)[:2])
    if not existing:
        return False
    only = existing[0]
    return (
        len(existing) > 1
        or only.module_type != ModuleType.COURSE_ROOT
        or only.content_items.exists()
    )


def _modules_append(rows: list[Module], target_course: Course, parent: Module) -> dict[int, int]:
    """Recreate `rows` (pre-ordered) under `parent`, one module at a time through
    module_create so the target's existing tree makes room for them."""
    mapping: dict[int, int] = {}
    for row in rows:
        if row.parent_id is None and row.module_type == ModuleType.COURSE_ROOT:
            mapping[row.pk] = parent.pk
            continue
        template_id = _template_kept(row, target_course.university_id)
        parent_pk = parent.pk if row.parent_id is None else mapping.get(row.parent_id, parent.pk)
        made = module_create(
            course=target_course,
            parent=Module(pk=parent_pk),
            module_type=row.module_type,
            title=row.title,
            description=row.description,
            is_published=row.is_published,
            module_template=ModuleTemplate(pk=template_id) if template_id else None,
        )
        mapping[row.pk] = made.pk
    return mapping
