"""A course written out as this product's own archive: a manifest (JSON) and the files of the
assets its items show and of its labs, in one .tar.gz or .zip, so another instance imports it
back as it was (interchange.courses.native).

The manifest names every row by its id in the exporting database; the importer maps those ids
to the ones it creates, so payloads keep pointing at their assets and pools.
"""

import io
import json
import tarfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import F, Model, Q

from assessments.grades.models import GradingPolicy
from assessments.labs.models import LabFile
from assessments.quizzes.models import Choice, Question, QuestionPool
from catalog.models import Course
from content.models import Asset, ContentItem, ContentType
from content.rendering import asset_ids
from syllabus import tree
from syllabus.models import Module

FORMAT = "lms-native-course"
VERSION = "1.0"
MANIFEST = "course.json"
QUESTION_FIELDS = (
    "question_type",
    "prompt",
    "points",
    "explanation",
    "position",
    "is_active",
    "correct_boolean",
    "numeric_answer",
    "numeric_tolerance",
    "text_answer",
    "text_match",
)
POLICY_FIELDS = (
    "weight_quizzes",
    "weight_labs",
    "weight_assignments",
    "drop_lowest_quizzes",
    "drop_lowest_labs",
    "drop_lowest_assignments",
    "quiz_attempt_rule",
    "pass_threshold",
    "letter_scheme",
)
# Meta keys that name files in this instance's storage: the importer stores its own.
STORAGE_KEYS = ("storage_name", "thumbnail_name", "thumbnail_url")


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _fields(row: Model, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in names}


def _modules(course: Course) -> list[dict[str, Any]]:
    rows = Module.objects.filter(course_id=course.pk, archived_at__isnull=True).order_by(
        *tree.outline_order()
    )
    return [
        {
            "id": m.pk,
            "parent": m.parent_id,
            "module_type": m.module_type,
            "title": m.title,
            "description": m.description,
            "is_published": m.is_published,
            "depth": m.depth,
        }
        for m in rows
    ]


def _items(module_ids: set[int]) -> list[ContentItem]:
    return list(
        ContentItem.objects.non_polymorphic()
        .filter(module_id__in=module_ids, archived_at__isnull=True)
        .order_by("module_id", "sequence_index", "pk")
    )


def _pools(course: Course, items: list[ContentItem]) -> list[dict[str, Any]]:
    """The course's pools and any other pool of its university a quiz draws from."""
    drawn = {
        (item.data_json or {}).get("question_pool_id")
        for item in items
        if item.content_type == ContentType.QUIZ and isinstance(item.data_json, dict)
    }
    pools = list(
        QuestionPool.objects.filter(
            Q(course_id=course.pk) | Q(pk__in=drawn - {None}, university_id=course.university_id)
        ).order_by("pk")
    )
    questions: dict[int, list[dict[str, Any]]] = {pool.pk: [] for pool in pools}
    choices: dict[int, list[dict[str, Any]]] = {}
    for choice in Choice.objects.filter(question__pool__in=pools).order_by(
        "question_id", "position", "pk"
    ):
        choices.setdefault(choice.question_id, []).append(
            {"text": choice.text, "is_correct": choice.is_correct, "position": choice.position}
        )
    for q in Question.objects.filter(pool__in=pools).order_by("pool_id", "position", "pk"):
        questions[q.pool_id].append(
            {**_fields(q, QUESTION_FIELDS), "choices": choices.get(q.pk, [])}
        )
    return [
        {"id": p.pk, "title": p.title, "description": p.description, "questions": questions[p.pk]}
        for p in pools
    ]


def _policy(course: Course) -> dict[str, Any] | None:
    policy = (
        GradingPolicy.objects.filter(course_offering__course_id=course.pk)
        .select_related("course_offering")
        .order_by(F("course_offering__starts_at").desc(nulls_last=True), "-pk")
        .first()
    )
    if policy is None:
        return None
    return {**_fields(policy, POLICY_FIELDS), "term_name": policy.course_offering.term_name}


def course_manifest(*, course: Course) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest of `course` and the asset files it names (archive path -> bytes)."""
    modules = _modules(course)
    items = _items({m["id"] for m in modules})
    wanted: set[int] = set()
    for item in items:
        wanted |= asset_ids(item.content_type, item.data_json)
    files: dict[str, bytes] = {}
    assets = []
    for asset in Asset.objects.filter(pk__in=wanted).order_by("pk"):
        meta = dict(asset.meta_json or {})
        stored = meta.get("storage_name")
        entry: dict[str, Any] = {"id": asset.pk, "asset_type": asset.asset_type, "url": asset.url}
        if stored and default_storage.exists(stored):
            entry["file"] = f"assets/{asset.pk}/{stored.rsplit('/', 1)[-1]}"
            with default_storage.open(stored) as handle:
                files[entry["file"]] = handle.read()
        entry["meta"] = {k: v for k, v in meta.items() if k not in STORAGE_KEYS}
        assets.append(entry)
    lab_files = []
    for row in LabFile.objects.filter(content_item_id__in=[i.pk for i in items]).order_by("pk"):
        files[f"labs/{row.pk}"] = bytes(row.content)
        lab_files.append({"item": row.content_item_id, "path": row.path, "file": f"labs/{row.pk}"})
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "course": {
            "code": course.code,
            "title": course.title,
            "description": course.description or "",
            "language_code": course.language_code,
        },
        "modules": modules,
        "items": [
            {
                "id": i.pk,
                "module": i.module_id,
                "content_type": i.content_type,
                "title": i.title,
                "description": i.description,
                "estimated_duration_seconds": i.estimated_duration_seconds,
                "data": i.data_json,
                "is_active": i.is_active,
            }
            for i in items
        ],
        "assets": assets,
        "pools": _pools(course, items),
        "lab_files": lab_files,
        "grading_policy": _policy(course),
    }
    return manifest, files


def native_export(*, course: Course, path: Path) -> dict[str, int]:
    """Write `course` to `path` as a native archive, a .zip when the name ends so and a
    .tar.gz otherwise; returns counts by kind."""
    manifest, files = course_manifest(course=course)
    entries = [(MANIFEST, json.dumps(manifest).encode()), *sorted(files.items())]
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    else:
        with tarfile.open(path, mode="w:gz") as archive:
            for name, data in entries:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return {
        "modules": len(manifest["modules"]),
        "items": len(manifest["items"]),
        "assets": len(manifest["assets"]),
        "pools": len(manifest["pools"]),
        "questions": sum(len(p["questions"]) for p in manifest["pools"]),
        "lab_files": len(manifest["lab_files"]),
    }
