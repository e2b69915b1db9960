import io
import mimetypes
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from catalog.models import Course
from content.copying import assets_for_university
from content.models import ITEM_CLASSES, Asset, AssetType, ContentItem, CourseImage
from content.rendering import with_asset_ids
from content.selectors import asset_address
from content.types import DRAFT_PAYLOADS
from syllabus import tree
from syllabus.changes import NO_CHANGE, TreeChange
from syllabus.models import Module, ModuleTemplate, ModuleType
from syllabus.services import course_lock, module_create

# (the pool id a quiz stub names, or None; the quiz's title) -> a pool id of the target course
QuizPool = Callable[[Any, str], int]


@transaction.atomic
def content_item_create(
    *,
    module: Module,
    content_type: str,
    title: str,
    data_json: Any,
    description: str | None = None,
    estimated_duration_seconds: int | None = None,
    is_active: bool = True,
) -> tuple[ContentItem, TreeChange]:
    """Validate and add a content item as the last one of `module`; returns it with what it
    changed (an active item counts in its module from now on).

    Raises ValidationError (per field, the payload's problems under `data_json`) and writes
    nothing when anything is wrong.
    """
    cls = ITEM_CLASSES.get(content_type)
    if cls is None:
        raise ValidationError({"content_type": f"Unknown content type {content_type!r}."})
    course_lock(course_id=module.course_id)
    module = Module.objects.get(pk=module.pk)
    last = module.content_items.aggregate(m=Max("sequence_index"))["m"] or 0
    item = cls(
        module=module,
        title=title,
        description=description,
        data_json=data_json,
        estimated_duration_seconds=estimated_duration_seconds,
        is_active=is_active,
        sequence_index=last + 1,
    )
    item.full_clean()
    item.save()
    if not item.is_active:
        return item, NO_CHANGE
    return item, visibility_changed(
        item_id=item.pk, course_id=item.course_id, module_id=item.module_id
    )


def visibility_changed(*, item_id: int, course_id: int, module_id: int) -> TreeChange:
    """The change of an item that started or stopped counting in its module: created active,
    activated, deactivated, archived or deleted while active."""
    return TreeChange(
        course_id=course_id, module_ids=frozenset([module_id]), item_ids=frozenset([item_id])
    )


@transaction.atomic
def content_item_update(*, item: ContentItem, **fields) -> tuple[ContentItem, TreeChange]:
    """Change an item's own fields; activating or deactivating it takes the course lock, like
    every change of what learners see. Returns the item with what changed: its counting in
    its module, its payload."""
    allowed = {"title", "description", "data_json", "estimated_duration_seconds", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    if "is_active" in fields:
        course_lock(course_id=item.course_id)
    item = type(item).objects.select_for_update().get(pk=item.pk)
    was_active, old_payload = item.is_active, item.data_json
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    change = NO_CHANGE
    if item.is_active != was_active:
        change = visibility_changed(
            item_id=item.pk, course_id=item.course_id, module_id=item.module_id
        )
    if item.data_json != old_payload:
        change |= TreeChange(course_id=item.course_id, payload_item_ids=frozenset([item.pk]))
    return item, change


# Parks a moving item outside 1..n and outside the values renumbering uses (-2 and below).
_PARKED = -1


def _renumber_items(*, module_id: int, ordered_ids: list[int]) -> None:
    """Give the items of `module_id` sequence 1..n in the order of `ordered_ids`, in two
    set-based statements that never collide with the (non-deferrable) unique index on
    (module_id, sequence_index): changed rows go to -(n + 1) first, then flip."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE content_items ci SET sequence_index = -(o.rn + 1)
            FROM unnest(%s::bigint[]) WITH ORDINALITY AS o(id, rn)
            WHERE ci.id = o.id AND ci.module_id = %s AND ci.sequence_index <> o.rn
            """,
            [ordered_ids, module_id],
        )
        cursor.execute(
            """
            UPDATE content_items SET sequence_index = -sequence_index - 1
            WHERE module_id = %s AND sequence_index < -1
            """,
            [module_id],
        )


@transaction.atomic
def content_item_move(
    *, item: ContentItem, module: Module, position: int | None = None
) -> tuple[ContentItem, TreeChange]:
    """Move `item` to 1-based `position` among the items of `module` (last when None), within
    its course.

    Locks the course first, like every syllabus change, so two staff reordering at once take
    turns; the items of the modules it touches are renumbered 1..n, closing any gaps. Returns
    the item with what the move changed: a move to another module changes what both modules
    show, which the caller applies in the same transaction (see syllabus.changes).
    """
    course_lock(course_id=item.course_id)
    item = ContentItem.objects.non_polymorphic().get(pk=item.pk)
    target = Module.objects.filter(pk=module.pk).first()
    if target is None or target.course_id != item.course_id:
        raise ValidationError({"module": "An item can only move to a module of its own course."})
    if position is not None and position < 1:
        raise ValidationError({"position": "Positions start at 1."})
    source_id = item.module_id
    ContentItem.objects.filter(pk=item.pk).update(module_id=target.pk, sequence_index=_PARKED)
    siblings = list(
        ContentItem.objects.filter(module_id=target.pk)
        .exclude(pk=item.pk)
        .order_by("sequence_index", "pk")
        .values_list("pk", flat=True)
    )
    index = len(siblings) if position is None else min(position - 1, len(siblings))
    siblings.insert(index, item.pk)
    _renumber_items(module_id=target.pk, ordered_ids=siblings)
    change = NO_CHANGE
    if source_id != target.pk:
        left = ContentItem.objects.filter(module_id=source_id).order_by("sequence_index", "pk")
        _renumber_items(module_id=source_id, ordered_ids=list(left.values_list("pk", flat=True)))
        change = TreeChange(
            course_id=item.course_id,
            module_ids=frozenset([source_id, target.pk]),
            item_ids=frozenset([item.pk]),
        )
    return ContentItem.objects.get(pk=item.pk), change


@transaction.atomic
def content_item_delete(*, item: ContentItem) -> TreeChange:
    """Delete `item` with what learners recorded about it, closing the gap among the items of
    its module; returns what that changed (an active item stops counting)."""
    course_lock(course_id=item.course_id)
    item = ContentItem.objects.non_polymorphic().get(pk=item.pk)
    item_id, course_id, module_id = item.pk, item.course_id, item.module_id
    item.delete()
    left = ContentItem.objects.filter(module_id=module_id).order_by("sequence_index", "pk")
    _renumber_items(module_id=module_id, ordered_ids=list(left.values_list("pk", flat=True)))
    if not item.is_active:
        return NO_CHANGE
    return visibility_changed(item_id=item_id, course_id=course_id, module_id=module_id)


def _template_layout_errors(layout: Any, path: str = "default_data") -> list[str]:
    if layout is None:
        return []
    if not isinstance(layout, dict):
        return [f"{path}: must be an object"]
    problems = []
    for i, child in enumerate(layout.get("children", [])):
        where = f"{path}.children[{i}]"
        if not isinstance(child, dict) or not child.get("title") or not child.get("module_type"):
            problems.append(f"{where}: needs a title and a module_type")
            continue
        problems.extend(_template_layout_errors(child, where))
    for i, stub in enumerate(layout.get("content", [])):
        if not isinstance(stub, dict) or stub.get("content_type") not in ITEM_CLASSES:
            problems.append(f"{path}.content[{i}]: needs a known content_type")
    return problems


@transaction.atomic
def module_from_template(
    *,
    template: ModuleTemplate,
    parent: Module,
    title: str | None = None,
    quiz_pool: QuizPool | None = None,
) -> tuple[Module, TreeChange]:
    """Instantiate `template` as the last child of `parent`, with the child modules and content
    stubs its `default_data` describes (a stub without `data_json` becomes an inactive draft
    with its type's DRAFT_PAYLOADS entry). Each quiz gets the pool `quiz_pool(named, title)`
    returns for the pool its stub names (None for a draft): question pools live above content,
    so the caller that knows them (assessments.copying.template_add, the only one in the
    product) decides, and no quiz is ever written with the id the template names:

        {"children": [{"module_type": "lesson", "title": "...", "children": [...],
                       "content": [{"content_type": "text", "title": "...", "data_json": {...}}]}],
         "content": [...]}

    Returns the new module with what its active items changed in the tree.
    """
    course = parent.course
    if template.university_id not in (None, course.university_id):
        raise ValidationError({"template": _("This template belongs to another university.")})
    problems = _template_layout_errors(template.default_data)
    if problems:
        raise ValidationError({"default_data": problems})
    root = module_create(
        course=course,
        parent=parent,
        module_type=template.template_type,
        title=title or template.title,
        description=template.description,
        module_template=template,
        is_published=parent.is_published,
    )
    layout = template.default_data or {}
    assets = assets_for_university(
        payloads=[(s["content_type"], s.get("data_json")) for s in _layout_stubs(layout)],
        university_id=course.university_id,
    )
    change = _build_layout(course, root, layout, assets, quiz_pool)
    root.refresh_from_db()
    return root, change


def _layout_stubs(layout: dict) -> list[dict]:
    stubs = list(layout.get("content", []))
    for child in layout.get("children", []):
        stubs += _layout_stubs(child)
    return stubs


def _stub_payload(
    stub: dict, title: str, assets: dict[int, int], quiz_pool: QuizPool | None
) -> dict:
    kind, data = stub["content_type"], stub.get("data_json")
    payload = DRAFT_PAYLOADS[kind] if data is None else with_asset_ids(kind, data, assets)
    if kind == "quiz" and quiz_pool is not None:
        named = data.get("question_pool_id") if isinstance(data, dict) else None
        payload = {**payload, "question_pool_id": quiz_pool(named, title)}
    return payload


def _build_layout(
    course, module: Module, layout: dict, assets: dict[int, int], quiz_pool: QuizPool | None
) -> TreeChange:
    change = NO_CHANGE
    for stub in layout.get("content", []):
        draft = stub.get("data_json") is None
        title = stub.get("title") or module.title
        _, made = content_item_create(
            module=module,
            content_type=stub["content_type"],
            title=title,
            data_json=_stub_payload(stub, title, assets, quiz_pool),
            description=stub.get("description"),
            estimated_duration_seconds=stub.get("estimated_duration_seconds"),
            is_active=not draft,
        )
        change |= made
    for child in layout.get("children", []):
        node = module_create(
            course=course,
            parent=module,
            module_type=child["module_type"],
            title=child["title"],
            description=child.get("description"),
            is_published=module.is_published,
        )
        change |= _build_layout(course, node, child, assets, quiz_pool)
    return change


def subtree_layout(*, module: Module) -> dict[str, Any]:
    """The subtree under `module` (not the module itself) as a template layout, in two queries:
    child modules with their own layouts and the content items as stubs."""
    module = Module.objects.get(pk=module.pk)  # tree fields change as the tree grows
    descendants = list(module.get_descendants().order_by(tree.OUTLINE_POSITION))
    module_ids = [module.pk, *(m.pk for m in descendants)]
    stubs: dict[int, list[dict[str, Any]]] = {pk: [] for pk in module_ids}
    items = (
        ContentItem.objects.non_polymorphic()
        .filter(module_id__in=module_ids)
        .order_by("module_id", "sequence_index")
    )
    for item in items:
        stub: dict[str, Any] = {
            "content_type": item.content_type,
            "title": item.title,
            "data_json": item.data_json,
        }
        if item.description:
            stub["description"] = item.description
        if item.estimated_duration_seconds is not None:
            stub["estimated_duration_seconds"] = item.estimated_duration_seconds
        stubs[item.module_id].append(stub)
    layouts: dict[int, dict[str, Any]] = {
        pk: {"children": [], "content": stubs[pk]} for pk in module_ids
    }
    for node in descendants:
        layout = layouts[node.pk]
        layout.update({"module_type": node.module_type, "title": node.title})
        if node.description:
            layout["description"] = node.description
        layouts[node.parent_id]["children"].append(layout)
    return layouts[module.pk]


@transaction.atomic
def template_from_subtree(
    *, module: Module, title: str | None = None, description: str | None = None
) -> ModuleTemplate:
    """Save `module` with everything under it as a new template of the course's university."""
    module = Module.objects.get(pk=module.pk)
    if module.module_type == ModuleType.COURSE_ROOT:
        raise ValidationError(
            {"module": "A course root cannot become a template; save one of its units instead."}
        )
    template = ModuleTemplate(
        university_id=module.course.university_id,
        template_type=module.module_type,
        title=title or module.title,
        description=description if description is not None else module.description,
        default_data=subtree_layout(module=module),
    )
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def module_template_save(
    *,
    template: ModuleTemplate | None,
    title: str,
    template_type: str,
    description: str | None,
    layout: dict[str, Any] | None,
    university_id: int | None = None,
) -> ModuleTemplate:
    """Create (`template` None) or change a module template with its layout; an invalid
    layout or field raises ValidationError and writes nothing. A new template belongs to
    `university_id` (platform-wide when None); a change keeps the owner."""
    problems = _template_layout_errors(layout)
    if problems:
        raise ValidationError({"default_data": problems})
    if template is None:
        template = ModuleTemplate(university_id=university_id)
    else:
        template = ModuleTemplate.objects.select_for_update().get(pk=template.pk)
    template.title = title
    template.template_type = template_type
    template.description = description or None
    template.default_data = layout
    template.full_clean()
    template.save()
    return template


THUMBNAIL_SIZE = (320, 320)
MAX_ASSET_BYTES = 50 * 1024 * 1024
_MIME_TYPES = {"audio/": AssetType.AUDIO, "video/": AssetType.VIDEO}


def _asset_type_of(upload: UploadedFile, head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return AssetType.PDF
    mime = (upload.content_type or mimetypes.guess_type(upload.name or "")[0] or "").lower()
    if mime.startswith("image/"):
        return AssetType.IMAGE
    for prefix, asset_type in _MIME_TYPES.items():
        if mime.startswith(prefix):
            return asset_type
    return AssetType.OTHER


def _image_facts(upload: UploadedFile) -> tuple[int, int, bytes]:
    """(width, height, PNG thumbnail) of an image, or ValidationError for a file Pillow cannot
    read or one so large it would exhaust memory."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            width, height = image.size
            image.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(out, "PNG")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise ValidationError({"file": "This image cannot be read."}) from None
    return width, height, out.getvalue()


@transaction.atomic
def asset_upload(
    *,
    university_id: int | None,
    upload: UploadedFile,
    meta: dict[str, Any] | None = None,
) -> Asset:
    """Store `upload` in the default storage and record it in the asset library.

    The type comes from the file itself (PDF signature, image readable by Pillow) before its
    declared MIME type. Images get their width and height in `meta_json` and a thumbnail.
    Files already stored are removed again when recording the asset fails.
    """
    if upload.size is not None and upload.size > MAX_ASSET_BYTES:
        raise ValidationError({"file": "Files may be at most 50 MB."})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    asset_type = _asset_type_of(upload, head)
    facts: dict[str, Any] = {
        "filename": upload.name,
        "size": upload.size,
        "content_type": upload.content_type or "",
    }
    thumbnail = None
    if asset_type == AssetType.IMAGE:
        width, height, thumbnail = _image_facts(upload)
        facts.update(width=width, height=height)
    folder = f"assets/{university_id or 'shared'}/{uuid.uuid4().hex}"
    stored: list[str] = []
    try:
        upload.seek(0)
        # get_valid_filename(None) is "None"; str() keeps that for an upload without a name.
        name = default_storage.save(f"{folder}/{get_valid_filename(str(upload.name))}", upload)
        stored.append(name)
        facts["storage_name"] = name
        if thumbnail is not None:
            thumb = default_storage.save(f"{folder}/thumbnail.png", ContentFile(thumbnail))
            stored.append(thumb)
            facts["thumbnail_name"] = thumb
            facts["thumbnail_url"] = asset_address(thumb)
        asset = Asset(
            university_id=university_id,
            url=asset_address(name),
            asset_type=asset_type,
            meta_json={**(meta or {}), **facts},
        )
        asset.full_clean()
        asset.save()
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return asset


def course_image_errors(*, course: Course, asset: Asset, alt_text: str) -> dict[str, str]:
    errors = {}
    if asset.asset_type != AssetType.IMAGE:
        errors["asset"] = _("Choose an image.")
    elif asset.university_id != course.university_id:
        errors["asset"] = _("Choose an image of the course's own university.")
    if not alt_text.strip():
        errors["alt_text"] = _("Say what the image shows, for readers who cannot see it.")
    return errors


@transaction.atomic
def course_image_set(*, course: Course, asset: Asset, alt_text: str) -> CourseImage:
    """Give `course` the picture `asset` (an image of the course's own university), described
    by `alt_text`; a course has one picture, so this replaces the one it had."""
    errors = course_image_errors(course=course, asset=asset, alt_text=alt_text)
    if errors:
        raise ValidationError(errors)
    image, _created = CourseImage.objects.update_or_create(
        course=course, defaults={"asset": asset, "alt_text": alt_text.strip()[:500]}
    )
    return image
