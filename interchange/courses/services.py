"""Importing an Open edX OLX course export as a new course of a university, all or nothing.

The package is read and checked whole (interchange.archives), then planned without touching
the database (interchange.courses.olx); only a plan whose questions all pass the question
banks' answer-key checks is written, in one transaction, through the services staff use:
catalog's course_create, syllabus's module_create, content's asset_upload and
content_item_create (whose tree changes are applied once, in the same transaction, as staff
writes apply theirs), and the question banks' question_bank_import. Files stored for assets are
deleted again when the transaction fails.

From the staff page an import goes in three steps: the uploaded package is stored and planned
(a dry run) into a CourseImportJob row, whose summary is the preview; confirming queues the row
and enqueues the import task through the task outbox; the task imports a queued row once, under
its row lock, and records the result (the new course, or why the package was refused).
"""

import mimetypes
import shutil
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.progress.tree_changes import tree_change_apply
from assessments.quizzes.models import QuestionPool
from catalog.models import Course
from catalog.services.courses import course_create
from content.models import Asset
from content.services import asset_upload, content_item_create
from interchange.archives import PackageRefused, package_read
from interchange.courses.olx import CoursePlan, ItemPlan, ModulePlan, olx_plan
from interchange.models import CourseImportJob
from interchange.questions.bank import ParsedBank, Problem
from interchange.questions.services import question_bank_import, question_key_problems
from lms import outbox
from syllabus.changes import TreeChange
from syllabus.models import Module
from syllabus.services import course_root, module_create
from tenancy.models import University, User


@dataclass
class CourseImport:
    """What an import created (or, in a dry run, would create)."""

    title: str
    code: str
    course: Course | None = None
    modules: Counter[str] = field(default_factory=Counter)
    items: Counter[str] = field(default_factory=Counter)
    questions: int = 0
    assets: int = 0
    transcripts: int = 0
    warnings: list[str] = field(default_factory=list)


def _summary(plan: CoursePlan) -> CourseImport:
    report = CourseImport(title=plan.title, code=plan.code, warnings=list(plan.warnings))
    for module in plan.walk():
        report.modules[module.module_type] += 1
        for item in module.items:
            report.items[item.content_type] += 1
            report.questions += len(item.questions)
    report.assets = len(plan.statics)
    report.transcripts = plan.transcripts
    return report


def _check_questions(plan: CoursePlan) -> None:
    problems = [
        Problem(q.place, message)
        for module in plan.walk()
        for item in module.items
        for q in item.questions
        for message in question_key_problems(q)
    ]
    if problems:
        listed = "; ".join(f"{p.place}: {p.message}" for p in problems[:20])
        raise PackageRefused(_("Problems that cannot be imported: %(list)s") % {"list": listed})


class _Writer:
    def __init__(self, plan: CoursePlan, course: Course, report: CourseImport) -> None:
        self.plan = plan
        self.course = course
        self.report = report
        self.assets: dict[str, Asset] = {}
        self.stored: list[str] = []
        # A course the package is appended to keeps its pools: a new pool never shares a title.
        self.pool_titles: Counter[str] = Counter(
            QuestionPool.objects.filter(course=course).values_list("title", flat=True)
        )
        self.change = TreeChange()  # what the new items mean to learners' progress and grades

    def upload_assets(self) -> None:
        for name, data in self.plan.statics.items():
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            upload = SimpleUploadedFile(name.rsplit("/", 1)[-1], data, content_type=kind)
            try:
                asset = asset_upload(
                    university_id=self.course.university_id,
                    upload=upload,
                    meta={"title": name.removeprefix("static/"), "imported_from": "olx"},
                )
            except ValidationError as error:
                self.report.assets -= 1
                self.report.warnings.append(f"{name}: not imported ({_first_message(error)})")
                continue
            meta = asset.meta_json or {}
            self.stored += [meta[k] for k in ("storage_name", "thumbnail_name") if k in meta]
            self.assets[name.removeprefix("static/")] = asset

    def text_data(self, item: ItemPlan) -> dict[str, Any] | None:
        blocks = []
        for block in item.data["blocks"]:
            if block["type"] != "image":
                blocks.append(block)
                continue
            asset = self.assets.get(block["static"])
            if asset is None or asset.asset_type != "image":
                self.report.warnings.append(
                    f"{item.place}: image static/{block['static']} is not an imported image"
                )
                continue
            image = {"type": "image", "asset_id": asset.pk}
            if block.get("alt"):
                image["alt"] = block["alt"]
            blocks.append(image)
        return {**item.data, "blocks": blocks} if blocks else None

    def uploaded_video_data(self, item: ItemPlan) -> dict[str, Any] | None:
        """A video uploaded to Open edX (a file under static/) plays from its imported asset."""
        data = dict(item.data)
        asset = self.assets.get(data.pop("static"))
        if asset is None:
            self.report.warnings.append(f"{item.place}: its video file was not imported")
            return None
        return {**data, "asset_id": asset.pk}

    def quiz_data(self, item: ItemPlan) -> dict[str, Any]:
        title = item.title[:240]
        self.pool_titles[title] += 1
        if self.pool_titles[title] > 1:
            title = f"{title} ({self.pool_titles[title]})"
        bank = ParsedBank(format="olx", questions=item.questions)
        pool = question_bank_import(actor=None, course=self.course, pool_title=title, bank=bank)
        return {
            "question_pool_id": pool.pool.pk,
            "quiz_mode": "practice",
            "num_questions_per_attempt": len(item.questions),
            "review_policy": "immediately",
        }

    def module(self, plan: ModulePlan, parent: Module) -> None:
        module = module_create(
            course=self.course, parent=parent, module_type=plan.module_type, title=plan.title
        )
        for item in plan.items:
            if item.content_type == "text":
                data = self.text_data(item)
                if data is None:
                    self.report.items["text"] -= 1
                    continue
            elif item.content_type == "quiz":
                data = self.quiz_data(item)
            elif "static" in item.data:
                data = self.uploaded_video_data(item)
                if data is None:
                    self.report.items["video"] -= 1
                    continue
            else:
                data = item.data
            try:
                _item, change = content_item_create(
                    module=module, content_type=item.content_type, title=item.title, data_json=data
                )
            except ValidationError as error:
                raise PackageRefused(
                    _("%(place)s cannot be imported: %(e)s")
                    % {"place": item.place, "e": "; ".join(error.messages)}
                ) from None
            self.change |= change
        for child in plan.children:
            self.module(child, module)


def _first_message(error: ValidationError) -> str:
    return next(iter(error.messages), str(error))


def olx_import(
    *,
    path: Path,
    university: University,
    course_code: str | None = None,
    dry_run: bool = False,
    into: Module | None = None,
) -> CourseImport:
    """Import the OLX export at `path` as a new course of `university` (its code from
    course.xml unless `course_code`), or, `into` a module of one of its courses, as that
    module's last children. PackageRefused, with nothing written, for a package that is unsafe,
    not OLX, has malformed problems, or names a course code already taken."""
    package = package_read(path)
    plan = olx_plan(package)
    plan.code = (course_code or plan.code).strip()
    if into is not None:
        if into.course.university_id != university.pk:
            raise PackageRefused(_("The module belongs to another university."))
        plan.code, plan.title = into.course.code, into.course.title
    if not plan.code:
        raise PackageRefused(_("course.xml names no course code: give one."))
    _check_questions(plan)
    report = _summary(plan)
    if into is None and Course.objects.filter(university=university, code=plan.code).exists():
        raise PackageRefused(
            _("The university already has a course with the code %(code)s.") % {"code": plan.code}
        )
    if dry_run:
        return report
    writer: _Writer | None = None
    try:
        with transaction.atomic():
            if into is None:
                course = course_create(
                    university=university,
                    code=plan.code,
                    title=plan.title,
                    description=plan.description,
                    language_code=plan.language,
                )
                parent = course_root(course=course)
            else:
                course, parent = into.course, into
            writer = _Writer(plan, course, report)
            writer.upload_assets()
            for unit in plan.modules:
                writer.module(unit, parent)
            tree_change_apply(writer.change)
            report.course = course
    except ValidationError as error:
        _discard(writer)
        raise PackageRefused(
            _("The package could not be imported: %(e)s") % {"e": _first_message(error)}
        ) from None
    except BaseException:
        _discard(writer)
        raise
    return report


def _discard(writer: "_Writer | None") -> None:
    for name in writer.stored if writer is not None else []:
        default_storage.delete(name)


# The staff page's imports ----------------------------------------------------------------------

IMPORT_TASK = "interchange.tasks.course_import_task"


def _summary_json(report: CourseImport) -> dict[str, Any]:
    return {
        "title": report.title,
        "code": report.code,
        "modules": dict(sorted(report.modules.items())),
        "items": dict(sorted(report.items.items())),
        "questions": report.questions,
        "assets": report.assets,
        "transcripts": report.transcripts,
        "warnings": report.warnings,
    }


@contextmanager
def _local_copy(name: str) -> Iterator[Path]:
    """The stored package as a local file, which the archive reader opens (storage may be
    remote)."""
    with tempfile.NamedTemporaryFile(suffix=".tar.gz") as local:
        with default_storage.open(name, "rb") as stored:
            shutil.copyfileobj(stored, local)
        local.flush()
        yield Path(local.name)


def course_import_stage(
    *,
    university: University,
    actor: User,
    upload: UploadedFile,
    course_code: str = "",
    into: Module | None = None,
) -> CourseImportJob:
    """Store the uploaded package and plan it without importing anything: the row's summary is
    what the import would create. PackageRefused, with nothing kept, for a package the import
    would refuse."""
    name = f"course-imports/{university.pk}/{uuid.uuid4().hex}.tar.gz"
    stored = default_storage.save(name, upload)
    try:
        with _local_copy(stored) as path:
            report = olx_import(
                path=path,
                university=university,
                course_code=course_code or None,
                dry_run=True,
                into=into,
            )
        return CourseImportJob.objects.create(
            university=university,
            created_by=actor,
            file_name=(upload.name or "")[:255],
            package=stored,
            course_code=course_code,
            into_module=into,
            appends=into is not None,
            summary=_summary_json(report),
        )
    except BaseException:
        default_storage.delete(stored)
        raise


def course_import_confirm(*, job: CourseImportJob) -> bool:
    """Queue a previewed import and enqueue its task once this commits; False when it was
    already confirmed (a second click, a resent form), which enqueues nothing."""
    with transaction.atomic():
        queued = CourseImportJob.objects.filter(
            pk=job.pk, status=CourseImportJob.Status.PREVIEWED
        ).update(status=CourseImportJob.Status.QUEUED)
        if queued:
            outbox.enqueue(IMPORT_TASK, str(job.pk), key=f"course-import:{job.pk}")
    return bool(queued)


def course_import_run(*, import_id: str) -> str:
    """Import a queued import's package in one transaction, under the row's lock: a second run
    (a redelivered task) finds it done and changes nothing. A refused package leaves nothing but
    the reason on the row; an unexpected failure rolls back to queued, for the task to retry."""
    CourseImportJob.objects.filter(
        pk=import_id, status=CourseImportJob.Status.QUEUED, started_at=None
    ).update(started_at=timezone.now())
    with transaction.atomic():
        job = (
            CourseImportJob.objects.select_for_update(of=("self",))
            .select_related("university", "into_module__course")
            .filter(pk=import_id)
            .first()
        )
        if job is None or job.status != CourseImportJob.Status.QUEUED:
            return "skipped"
        try:
            if job.appends and job.into_module is None:
                raise PackageRefused(_("The module to append the package to has been deleted."))
            with _local_copy(job.package) as path:
                report = olx_import(
                    path=path,
                    university=job.university,
                    course_code=job.course_code or None,
                    into=job.into_module,
                )
        except PackageRefused as refused:
            job.status, job.error = CourseImportJob.Status.FAILED, refused.message
        else:
            job.status, job.course = CourseImportJob.Status.DONE, report.course
            job.summary = _summary_json(report)
        job.finished_at = timezone.now()
        stored, job.package = job.package, ""
        job.save()
    default_storage.delete(stored)
    return str(job.status)
