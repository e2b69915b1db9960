from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from content.models import ITEM_CLASSES, ContentItem
from syllabus.models import Module, ModuleTemplate
from syllabus.services import module_create


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
) -> ContentItem:
    """Validate and add a content item as the last one of `module`.

    Raises ValidationError (per field, the payload's problems under `data_json`) and writes
    nothing when anything is wrong.
    """
    cls = ITEM_CLASSES.get(content_type)
    if cls is None:
        raise ValidationError({"content_type": f"Unknown content type {content_type!r}."})
    module = Module.objects.select_for_update().get(pk=module.pk)
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
    return item


@transaction.atomic
def content_item_update(*, item: ContentItem, **fields) -> ContentItem:
    allowed = {"title", "description", "data_json", "estimated_duration_seconds", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    item = type(item).objects.select_for_update().get(pk=item.pk)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


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
    *, template: ModuleTemplate, parent: Module, title: str | None = None
) -> Module:
    """Instantiate `template` as the last child of `parent`, with the child modules and content
    stubs its `default_data` describes:

        {"children": [{"module_type": "lesson", "title": "...", "children": [...],
                       "content": [{"content_type": "text", "title": "...", "data_json": {...}}]}],
         "content": [...]}
    """
    problems = _template_layout_errors(template.default_data)
    if problems:
        raise ValidationError({"default_data": problems})
    course = parent.course
    root = module_create(
        course=course,
        parent=parent,
        module_type=template.template_type,
        title=title or template.title,
        description=template.description,
        module_template=template,
        is_published=parent.is_published,
    )
    _build_layout(course, root, template.default_data or {})
    root.refresh_from_db()
    return root


def _build_layout(course, module: Module, layout: dict) -> None:
    for stub in layout.get("content", []):
        content_item_create(
            module=module,
            content_type=stub["content_type"],
            title=stub.get("title") or module.title,
            data_json=stub.get("data_json"),
            description=stub.get("description"),
            estimated_duration_seconds=stub.get("estimated_duration_seconds"),
        )
    for child in layout.get("children", []):
        node = module_create(
            course=course,
            parent=module,
            module_type=child["module_type"],
            title=child["title"],
            description=child.get("description"),
            is_published=module.is_published,
        )
        _build_layout(course, node, child)
