"""The native course archive: export then import gives the same course field by field, the
commands, unknown versions and hostile or inconsistent archives refused with nothing written."""

import io
import json
import tarfile
import zipfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.grades.models import GradingPolicy
from assessments.labs.models import LabFile
from assessments.quizzes.models import Choice, Question, QuestionPool
from assessments.tests.lab_data import HIDDEN_TEST, STARTER, lab_payload
from catalog.models import Course, CourseOffering
from catalog.tests.tenants import build_tenants
from content.models import Asset, ContentItem
from content.rendering import asset_ids, with_asset_ids
from content.services import content_item_create
from interchange.archives import PackageRefused, package_read
from interchange.courses.native import native_import
from interchange.courses.native_export import native_export
from interchange.courses.services import olx_import
from syllabus.models import Module

pytestmark = pytest.mark.django_db
PHYSICS = Path(__file__).parent / "fixtures" / "olx" / "physics"


@pytest.fixture
def tenants(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_tenants()


@pytest.fixture
def source(tenants) -> Course:
    """The OLX fixture (text with an image, videos, a quiz with its pool) plus a lab with its
    files, an inactive item, a published module and a grading policy."""
    olx_import(path=PHYSICS, university=tenants.university_a, course_code="SRC")
    course = Course.objects.get(university=tenants.university_a, code="SRC")
    module = Module.objects.filter(course=course, module_type="lesson").order_by("pk").first()
    Module.objects.filter(pk=module.pk).update(is_published=True, description="First lesson")
    lab, _change = content_item_create(
        module=module, content_type="engineering_lab", title="Adding", data_json=lab_payload()
    )
    LabFile.objects.create(content_item=lab, path="solution.py", content=STARTER)
    LabFile.objects.create(content_item=lab, path="tests/test_hidden.py", content=HIDDEN_TEST)
    content_item_create(
        module=module,
        content_type="text",
        title="Hidden notes",
        data_json={"layout": "rich_text_v1", "blocks": [{"type": "paragraph", "text": "Later."}]},
        is_active=False,
    )
    offering = CourseOffering.objects.create(
        course=course, university=course.university, term_name="Autumn"
    )
    GradingPolicy.objects.create(
        course_offering=offering,
        weight_quizzes=Decimal("50"),
        weight_labs=Decimal("30"),
        weight_assignments=Decimal("20"),
        drop_lowest_quizzes=1,
        pass_threshold=Decimal("55"),
    )
    return course


def modules(course: Course) -> list[tuple]:
    return [
        (m.title, m.module_type, m.depth, m.is_published, m.description)
        for m in Module.objects.filter(course=course).order_by("tree_id", "lft")
    ]


def items(course: Course, assets: dict[int, int], pools: dict[int, int]) -> list[tuple]:
    """The items in outline order, their payloads with source ids mapped through `assets` and
    `pools` (empty for the imported course, whose ids are its own)."""
    rows = []
    for item in (
        ContentItem.objects.non_polymorphic()
        .filter(course=course)
        .order_by("module__tree_id", "module__lft", "sequence_index")
    ):
        data = dict(item.data_json)
        if assets:
            data = with_asset_ids(item.content_type, data, assets)
        if "question_pool_id" in data and pools:
            data["question_pool_id"] = pools[data["question_pool_id"]]
        rows.append(
            (
                item.module.title,
                item.content_type,
                item.title,
                data,
                item.is_active,
                item.description,
                item.estimated_duration_seconds,
            )
        )
    return rows


def own_fields(model) -> list[str]:
    """Every column of `model` but its id, timestamps and references: all must round-trip."""
    return [
        f.attname
        for f in model._meta.concrete_fields
        if not f.is_relation and f.attname not in ("id", "created_at", "updated_at")
    ]


def questions(course: Course) -> list[tuple]:
    return [
        (
            q.pool.title,
            q.pool.description,
            *(getattr(q, f) for f in own_fields(Question)),
            [
                tuple(getattr(c, f) for f in own_fields(Choice))
                for c in q.choices.order_by("position", "pk")
            ],
        )
        for q in Question.objects.filter(pool__course=course).order_by("pool__title", "position")
    ]


def policy(course: Course) -> dict:
    row = GradingPolicy.objects.get(course_offering__course=course)
    return {f: getattr(row, f) for f in own_fields(GradingPolicy)} | {
        "term": row.course_offering.term_name
    }


def test_round_trip_gives_the_same_course(tenants, source, tmp_path):
    archive = tmp_path / "src.tar.gz"
    counts = native_export(course=source, path=archive)
    assert counts["lab_files"] == 2 and counts["pools"] == 1 and counts["assets"] >= 1

    report = native_import(
        package=package_read(archive), university=tenants.university_b, course_code="COPY"
    )
    copy = Course.objects.get(university=tenants.university_b, code="COPY")
    assert report.course == copy
    assert (copy.title, copy.description, copy.language_code) == (
        source.title,
        source.description,
        source.language_code,
    )
    assert modules(copy) == modules(source)
    assert {m[3] for m in modules(copy)} == {True, False}

    # Every asset the copy's items show is the copy university's own, with the same bytes.
    copied = ContentItem.objects.non_polymorphic().filter(course=copy)
    shown = set().union(*(asset_ids(i.content_type, i.data_json) for i in copied))
    assert shown and set(
        Asset.objects.filter(pk__in=shown).values_list("university", flat=True)
    ) == {tenants.university_b.pk}
    originals = set().union(
        *(
            asset_ids(i.content_type, i.data_json)
            for i in ContentItem.objects.non_polymorphic().filter(course=source)
        )
    )
    by_title = {a.meta_json["title"]: a.pk for a in Asset.objects.filter(pk__in=shown)}
    asset_map = {
        a.pk: by_title[a.meta_json["title"]] for a in Asset.objects.filter(pk__in=originals)
    }
    assert len(asset_map) == len(originals)
    for old, new in asset_map.items():
        assert Asset.objects.get(pk=old).asset_type == Asset.objects.get(pk=new).asset_type

    pool_map = {
        p.pk: QuestionPool.objects.get(course=copy, title=p.title).pk
        for p in QuestionPool.objects.filter(course=source)
    }
    assert items(copy, {}, {}) == items(source, asset_map, pool_map)
    assert questions(copy) == questions(source) and len(questions(copy)) == 5
    assert sorted(
        (f.path, bytes(f.content)) for f in LabFile.objects.filter(content_item__course=copy)
    ) == [("solution.py", STARTER), ("tests/test_hidden.py", HIDDEN_TEST)]
    assert policy(copy) == policy(source)


@pytest.mark.parametrize("name", ["out.tar.gz", "out.zip"])
def test_commands_export_and_import_back(tenants, source, tmp_path, name):
    archive = tmp_path / name
    out = StringIO()
    call_command(
        "export_course",
        "SRC",
        "--university",
        "ALPHA",
        "--format",
        "native",
        "-o",
        str(archive),
        stdout=out,
    )
    assert "lab_files: 2\n" in out.getvalue()
    assert zipfile.is_zipfile(archive) == name.endswith(".zip")
    out = StringIO()
    call_command("import_course", str(archive), "--university", "BETA", stdout=out)
    assert out.getvalue().endswith(f"Imported course SRC “{source.title}”.\n")
    assert modules(Course.objects.get(university=tenants.university_b, code="SRC")) == modules(
        source
    )


def test_export_of_an_unknown_course_is_refused(tenants, tmp_path):
    with pytest.raises(CommandError, match="No course NOPE at ALPHA"):
        call_command("export_course", "NOPE", "--university", "ALPHA", "-o", str(tmp_path / "x"))


def rewritten(tmp_path: Path, archive: Path, change) -> Path:
    """`archive` with its manifest changed by `change`."""
    with tarfile.open(archive) as old:
        files = {m.name: old.extractfile(m).read() for m in old if m.isfile()}
    manifest = json.loads(files["course.json"])
    change(manifest)
    files["course.json"] = json.dumps(manifest).encode()
    target = tmp_path / "changed.tar.gz"
    with tarfile.open(target, "w:gz") as new:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Course, Module, ContentItem, Asset, QuestionPool, Question, Choice, LabFile)
    )


def foreign_asset(manifest: dict) -> None:
    for item in manifest["items"]:
        if item["content_type"] == "text" and any(
            b["type"] == "image" for b in item["data"]["blocks"]
        ):
            manifest["assets"] = []
            return
    raise AssertionError("the fixture has an image")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update(version="2.0"), "format version 2.0 is not supported"),
        (lambda m: m.update(format="other"), "not a course archive of this product"),
        (foreign_asset, "shows assets the archive does not carry"),
        (lambda m: m.update(pools=[]), "draws from a pool the archive does not carry"),
        (lambda m: m["pools"][0]["questions"][0].update(question_type="bogus"), "bogus"),
        (lambda m: m["lab_files"][0].update(file="labs/missing"), "lacks the file labs/missing"),
        (lambda m: m["lab_files"][0].update(path="other.py"), "does not list other.py"),
        (lambda m: m["items"][0].update(module=999999), "names a module not in the archive"),
        (lambda m: m.pop("items"), "incomplete"),
    ],
)
def test_bad_archives_are_refused_and_write_nothing(tenants, source, tmp_path, change, message):
    archive = tmp_path / "src.tar.gz"
    native_export(course=source, path=archive)
    bad = rewritten(tmp_path, archive, change)
    before = counts()
    with pytest.raises(PackageRefused, match=message):
        native_import(package=package_read(bad), university=tenants.university_b)
    assert counts() == before


def test_a_hostile_archive_is_refused_before_reading(tenants, tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = b'{"format": "lms-native-course", "version": "1.0"}'
        info = tarfile.TarInfo("../course.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    before = counts()
    with pytest.raises(CommandError, match="leaving the package"):
        call_command("import_course", str(archive), "--university", "BETA", stdout=StringIO())
    assert counts() == before


def test_a_taken_code_is_refused(tenants, source, tmp_path):
    archive = tmp_path / "src.tar.gz"
    native_export(course=source, path=archive)
    with pytest.raises(PackageRefused, match="already has a course with the code SRC"):
        native_import(package=package_read(archive), university=tenants.university_a)


def test_a_pool_of_another_course_a_quiz_draws_from_travels_with_it(tenants, source, tmp_path):
    shared = QuestionPool.objects.create(course=tenants.course_a1, title="Shared bank")
    Question.objects.create(
        pool=shared, question_type="true_false", prompt="Is it?", correct_boolean=True
    )
    quiz = ContentItem.objects.non_polymorphic().get(course=source, content_type="quiz")
    ContentItem.objects.filter(pk=quiz.pk).update(
        data_json={**quiz.data_json, "question_pool_id": shared.pk}
    )
    archive = tmp_path / "src.tar.gz"
    native_export(course=source, path=archive)
    native_import(package=package_read(archive), university=tenants.university_b)
    copy = ContentItem.objects.non_polymorphic().get(
        course__university=tenants.university_b, content_type="quiz"
    )
    pool = QuestionPool.objects.get(pk=copy.data_json["question_pool_id"])
    assert (pool.title, pool.course.university_id) == ("Shared bank", tenants.university_b.pk)
    assert list(pool.questions.values_list("prompt", "correct_boolean")) == [("Is it?", True)]


def test_a_dry_run_of_the_command_prints_the_counts_and_writes_nothing(tenants, source, tmp_path):
    archive = tmp_path / "src.tar.gz"
    native_export(course=source, path=archive)
    before = counts()
    out = StringIO()
    call_command("import_course", str(archive), "--university", "BETA", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert "  engineering_lab: 1" in lines and "Questions: 5" in lines
    assert lines[-1] == "Dry run: nothing was written."
    assert counts() == before
