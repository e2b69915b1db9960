"""Importing this product's own course archive (interchange.courses.native_export) as a new
course of a university, all or nothing.

The package is read and checked whole first (interchange.archives). Every id the manifest
names is mapped to a row this import creates: a payload pointing at an asset or a pool the
archive does not carry is refused, so an imported course never points at another tenant's
rows. Writes go through the services staff use (course_create, module_create, asset_upload,
content_item_create, lab_file_save), in one transaction; stored files are deleted again when
it fails.
"""

import json
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.grades.models import GradingPolicy
from assessments.labs.services import lab_file_save
from assessments.progress.tree_changes import tree_change_apply
from assessments.quizzes.models import Choice, Question, QuestionPool
from assessments.quizzes.scoring import key_errors
from catalog.models import Course, CourseOffering
from catalog.services.courses import course_create
from content.models import Asset, ContentType
from content.rendering import asset_ids, with_asset_ids
from content.services import asset_upload, content_item_create
from interchange.archives import Package, PackageRefused
from interchange.courses.native_export import (
    FORMAT,
    MANIFEST,
    POLICY_FIELDS,
    QUESTION_FIELDS,
    VERSION,
)
from interchange.courses.services import CourseImport
from syllabus.changes import TreeChange
from syllabus.models import Module
from syllabus.services import module_create
from tenancy.models import University


def is_native(package: Package) -> bool:
    return package.read(MANIFEST) is not None


def _manifest(package: Package) -> dict[str, Any]:
    try:
        manifest = json.loads(package.read(MANIFEST) or b"")
    except (ValueError, UnicodeDecodeError):
        raise PackageRefused(_("The archive's %(m)s is not JSON.") % {"m": MANIFEST}) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageRefused(_("The archive is not a course archive of this product."))
    version = str(manifest.get("version", ""))
    if version.split(".")[0] != VERSION.split(".")[0]:
        raise PackageRefused(
            _("The archive's format version %(v)s is not supported (this instance reads %(r)s).")
            % {"v": version or "?", "r": VERSION}
        )
    return manifest


def _summary(manifest: dict[str, Any], code: str) -> CourseImport:
    course = manifest["course"]
    report = CourseImport(title=str(course["title"]), code=code)
    report.modules = Counter(str(m["module_type"]) for m in manifest["modules"])
    report.items = Counter(str(i["content_type"]) for i in manifest["items"])
    report.questions = sum(len(p["questions"]) for p in manifest["pools"])
    report.assets = len(manifest["assets"])
    return report


class _Writer:
    def __init__(self, package: Package, manifest: dict[str, Any], course: Course) -> None:
        self.package = package
        self.manifest = manifest
        self.course = course
        self.assets: dict[int, int] = {}
        self.pools: dict[int, int] = {}
        self.modules: dict[int, Module] = {}
        self.items: dict[int, Any] = {}
        self.stored: list[str] = []
        self.change = TreeChange()

    def file(self, name: str) -> bytes:
        data = self.package.read(str(name))
        if data is None:
            raise PackageRefused(_("The archive lacks the file %(n)s.") % {"n": name})
        return data

    def upload_assets(self) -> None:
        for entry in self.manifest["assets"]:
            meta = {**(entry.get("meta") or {}), "imported_from": "native"}
            if entry.get("file"):
                name = str(entry["file"])
                kind = str(meta.get("content_type") or "application/octet-stream")
                upload = SimpleUploadedFile(name.rsplit("/", 1)[-1], self.file(name), kind)
                asset = asset_upload(
                    university_id=self.course.university_id, upload=upload, meta=meta
                )
                stored = asset.meta_json or {}
                self.stored += [
                    stored[k] for k in ("storage_name", "thumbnail_name") if k in stored
                ]
            elif str(entry.get("url", "")).startswith(("https://", "http://")):
                asset = Asset(
                    university_id=self.course.university_id,
                    url=entry["url"],
                    asset_type=entry["asset_type"],
                    meta_json=meta,
                )
                asset.full_clean()
                asset.save()
            else:
                raise PackageRefused(_("Asset %(id)s has neither a file nor an address.") % entry)
            self.assets[int(entry["id"])] = asset.pk

    def create_pools(self) -> None:
        for entry in self.manifest["pools"]:
            pool = QuestionPool.objects.create(
                course=self.course, title=str(entry["title"]), description=entry["description"]
            )
            self.pools[int(entry["id"])] = pool.pk
            for number, fields in enumerate(entry["questions"], start=1):
                self.question(pool, fields, place=f"{entry['title']} #{number}")

    def question(self, pool: QuestionPool, fields: dict[str, Any], *, place: str) -> None:
        question = Question(pool=pool, **{name: fields[name] for name in QUESTION_FIELDS})
        choices = [
            Choice(text=c["text"], is_correct=c["is_correct"], position=c["position"])
            for c in fields["choices"]
        ]
        question.full_clean(exclude=["pool"])
        problems = key_errors(
            question_type=question.question_type,
            choices=[(c.text, c.is_correct) for c in choices]
            if question.question_type in ("single", "multiple")
            else None,
            correct_boolean=question.correct_boolean,
            numeric_answer=question.numeric_answer,
            numeric_tolerance=question.numeric_tolerance,
            text_answer=question.text_answer,
            text_match=question.text_match,
        )
        if problems:
            raise PackageRefused(
                _("Question %(place)s cannot be imported: %(e)s")
                % {"place": place, "e": "; ".join(problems.values())}
            )
        question.save()
        for choice in choices:
            choice.question = question
            choice.full_clean()
        Choice.objects.bulk_create(choices)

    def create_modules(self) -> None:
        for entry in self.manifest["modules"]:
            parent_id = entry["parent"]
            if parent_id is not None and parent_id not in self.modules:
                raise PackageRefused(_("Module %(id)s comes before its parent.") % entry)
            self.modules[entry["id"]] = module_create(
                course=self.course,
                parent=self.modules[parent_id] if parent_id is not None else None,
                module_type=entry["module_type"],
                title=entry["title"],
                description=entry["description"],
                is_published=bool(entry["is_published"]),
            )

    def payload(self, entry: dict[str, Any]) -> Any:
        data, kind = entry["data"], str(entry["content_type"])
        unknown = asset_ids(kind, data) - set(self.assets)
        if unknown:
            raise PackageRefused(
                _("Item %(id)s shows assets the archive does not carry.") % {"id": entry["id"]}
            )
        data = with_asset_ids(kind, data, self.assets)
        if kind == ContentType.QUIZ and isinstance(data, dict):
            pool = data.get("question_pool_id")
            if pool not in self.pools:
                raise PackageRefused(
                    _("Quiz %(id)s draws from a pool the archive does not carry.")
                    % {"id": entry["id"]}
                )
            data = {**data, "question_pool_id": self.pools[pool]}
        return data

    def create_items(self) -> None:
        for entry in self.manifest["items"]:
            module = self.modules.get(entry["module"])
            if module is None:
                raise PackageRefused(_("Item %(id)s names a module not in the archive.") % entry)
            try:
                item, change = content_item_create(
                    module=module,
                    content_type=str(entry["content_type"]),
                    title=entry["title"],
                    data_json=self.payload(entry),
                    description=entry["description"],
                    estimated_duration_seconds=entry["estimated_duration_seconds"],
                    is_active=bool(entry["is_active"]),
                )
            except ValidationError as error:
                raise PackageRefused(
                    _("Item %(id)s cannot be imported: %(e)s")
                    % {"id": entry["id"], "e": "; ".join(error.messages)}
                ) from None
            self.items[entry["id"]] = item
            self.change |= change
        for row in self.manifest["lab_files"]:
            item = self.items.get(row["item"])
            if item is None:
                raise PackageRefused(_("A lab file names an item not in the archive."))
            lab_file_save(item=item, path=str(row["path"]), content=self.file(row["file"]))

    def grading_policy(self) -> None:
        policy = self.manifest.get("grading_policy")
        if not policy:
            return
        offering = CourseOffering.objects.create(
            course=self.course,
            university_id=self.course.university_id,
            term_name=policy.get("term_name"),
        )
        row = GradingPolicy(
            course_offering=offering, **{name: policy[name] for name in POLICY_FIELDS}
        )
        row.full_clean()
        row.save()


def native_import(
    *,
    package: Package,
    university: University,
    course_code: str | None = None,
    dry_run: bool = False,
) -> CourseImport:
    """Import the native archive `package` as a new course of `university` (the archive's
    code unless `course_code`). PackageRefused, with nothing written, for an archive of an
    unknown version, a malformed one, or a course code already taken. A grading policy
    comes with a private offering of the new course that grades by it."""
    manifest = _manifest(package)
    try:
        code = (course_code or str(manifest["course"]["code"])).strip()
        report = _summary(manifest, code)
    except (KeyError, TypeError, AttributeError):
        raise PackageRefused(_("The archive's manifest is incomplete.")) from None
    if Course.objects.filter(university=university, code=code).exists():
        raise PackageRefused(
            _("The university already has a course with the code %(code)s.") % {"code": code}
        )
    if dry_run:
        return report
    writer: _Writer | None = None
    try:
        with transaction.atomic():
            meta = manifest["course"]
            course = course_create(
                university=university,
                code=code,
                title=str(meta["title"]),
                description=str(meta.get("description") or ""),
                language_code=str(meta.get("language_code") or "en"),
            )
            writer = _Writer(package, manifest, course)
            writer.upload_assets()
            writer.create_pools()
            writer.create_modules()
            writer.create_items()
            writer.grading_policy()
            tree_change_apply(writer.change)
            report.course = course
    except ValidationError as error:
        _discard(writer)
        raise PackageRefused(
            _("The archive could not be imported: %(e)s") % {"e": "; ".join(error.messages)}
        ) from None
    except (KeyError, TypeError, AttributeError, ValueError):
        _discard(writer)
        raise PackageRefused(_("The archive's manifest is incomplete or malformed.")) from None
    except BaseException:
        _discard(writer)
        raise
    return report


def _discard(writer: _Writer | None) -> None:
    for name in writer.stored if writer is not None else []:
        default_storage.delete(name)
