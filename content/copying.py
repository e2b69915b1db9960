"""Copying a syllabus into another course, and the assets it shows into another university.

Only what content owns is copied here (modules through syllabus.services, items, assets);
question pools and lab files follow in assessments.copying, which calls this in the same
transaction.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from catalog.models import Course
from content.models import Asset, ContentItem
from content.rendering import asset_ids, with_asset_ids
from content.selectors import asset_address, asset_file_name
from syllabus.changes import NO_CHANGE, TreeChange, modules_reshaped
from syllabus.models import Module
from syllabus.services import modules_copy


@dataclass(frozen=True)
class SyllabusCopy:
    """What a syllabus copy made: old id -> new id of modules, items and copied assets, how
    many modules are new (a source course root appended under a module maps to it), and what
    the copy changed in modules the target had already (see syllabus.changes)."""

    modules: dict[int, int]
    items: dict[int, int]
    assets: dict[int, int]
    created_modules: int = 0
    change: TreeChange = NO_CHANGE


@transaction.atomic
def syllabus_copy(
    *, source_course: Course, target_course: Course, parent: Module | None = None
) -> SyllabusCopy:
    """Copy the whole syllabus of `source_course`, modules and content items, into
    `target_course` (a new course, a new run of the same course, or appended under `parent`;
    see syllabus.services.modules_copy), in one transaction.

    Items keep their order (after the items a receiving module already has), payload and
    active flag; their course and university are the target's. Assets the payloads show that
    belong to another university are copied into the target's (assets_for_university), so the
    copy never points at another tenant's files. What lives above content (question pools, lab
    files) is copied by assessments.copying, which calls this.
    """
    before = set(Module.objects.filter(course_id=target_course.pk).values_list("pk", flat=True))
    mapping = modules_copy(source_course=source_course, target_course=target_course, parent=parent)
    if not mapping:
        return SyllabusCopy(modules={}, items={}, assets={})
    items = list(
        ContentItem.objects.non_polymorphic()
        .filter(course_id=source_course.pk)
        .order_by("module_id", "sequence_index")
    )
    assets = assets_for_university(
        payloads=[(item.content_type, item.data_json) for item in items],
        university_id=target_course.university_id,
    )
    receiving = {pk for pk in mapping.values() if pk in before}
    offsets = dict(
        ContentItem.objects.filter(module_id__in=receiving)
        .values("module_id")
        .annotate(m=Max("sequence_index"))
        .values_list("module_id", "m")
    )
    copies = ContentItem.objects.non_polymorphic().bulk_create(
        [
            ContentItem(
                module_id=mapping[item.module_id],
                course_id=target_course.pk,
                university_id=target_course.university_id,
                content_type=item.content_type,
                polymorphic_ctype_id=item.polymorphic_ctype_id,
                title=item.title,
                description=item.description,
                sequence_index=item.sequence_index + offsets.get(mapping[item.module_id], 0),
                estimated_duration_seconds=item.estimated_duration_seconds,
                data_json=with_asset_ids(item.content_type, item.data_json, assets),
                is_active=item.is_active,
            )
            for item in items
        ]
    )
    change = NO_CHANGE
    if receiving:
        new_tops = Module.objects.filter(
            pk__in=set(mapping.values()) - before, parent_id__in=receiving
        ).values_list("pk", flat=True)
        change = modules_reshaped(
            course_id=target_course.pk, module_ids=receiving, subtree_ids=new_tops
        )
    return SyllabusCopy(
        modules=mapping,
        items={item.pk: copy.pk for item, copy in zip(items, copies, strict=True)},
        assets=assets,
        created_modules=len(set(mapping.values()) - before),
        change=change,
    )


def assets_for_university(
    *, payloads: Iterable[tuple[str, Any]], university_id: int
) -> dict[int, int]:
    """Copy the assets the payloads show that belong to another university into
    `university_id` (platform-wide and own assets are used as they are); old id -> new id.

    The stored files are copied too, under the target university's folder, so each tenant's
    files stay its own."""
    wanted: set[int] = set()
    for content_type, data in payloads:
        wanted |= asset_ids(content_type, data)
    foreign = list(
        Asset.objects.filter(pk__in=wanted, university__isnull=False)
        .exclude(university_id=university_id)
        .order_by("pk")
    )
    return {asset.pk: _asset_copy(asset, university_id).pk for asset in foreign}


def _asset_copy(asset: Asset, university_id: int) -> Asset:
    meta = dict(asset.meta_json or {})
    url = asset.url
    name = meta.get("storage_name")
    if name and default_storage.exists(name):
        folder = f"assets/{university_id}/{uuid.uuid4().hex}"
        with default_storage.open(name) as source:
            stored = default_storage.save(f"{folder}/{name.rsplit('/', 1)[-1]}", source)
        meta["storage_name"], url = stored, asset_address(stored)
        thumb = asset_file_name(url=asset.url, meta=asset.meta_json or {}, thumbnail=True)
        if meta.get("thumbnail_url") and thumb and default_storage.exists(thumb):
            with default_storage.open(thumb) as source:
                copied = default_storage.save(f"{folder}/thumbnail.png", source)
            meta["thumbnail_name"], meta["thumbnail_url"] = copied, asset_address(copied)
        else:  # never point the copy at the other university's thumbnail
            meta.pop("thumbnail_name", None)
            meta.pop("thumbnail_url", None)
    return Asset.objects.create(
        university_id=university_id, url=url, asset_type=asset.asset_type, meta_json=meta
    )
