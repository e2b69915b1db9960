"""Copying a course's material into another course: the syllabus with its question pools,
lab files, grading policy and asset references, all pointing at the copies; appending under a
chosen module; scoped to the courses the actor teaches or administers; all or nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.copying import course_copy, pools_copy, template_add
from assessments.grades.models import GradingPolicy
from assessments.labs.models import LabFile
from assessments.progress.models import UserModuleProgress
from assessments.progress.services import content_complete
from assessments.quizzes.models import Choice, Question, QuestionPool
from assessments.quizzes.services import attempt_start
from assessments.tests import trees
from assessments.tests.quiz_factories import every_type, quiz_payload
from catalog.services.offerings import offering_instructor_add
from catalog.tests.tenants import build_tenants
from content.models import Asset, ContentItem
from content.services import template_from_subtree
from content.tests.factories import AssetFactory
from syllabus.models import Module
from syllabus.tests.factories import ModuleTemplateFactory
from syllabus.tests.test_services import assert_tree_consistent, titles

pytestmark = pytest.mark.django_db

LAB_FILES = {"notebooks/lab.ipynb": b'{"cells": []}', "tests/test_hidden.py": b"def test(): ..."}


@pytest.fixture
def tenants(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()


def image_text(asset_id: int) -> dict:
    return {
        "layout": "rich_text_v1",
        "blocks": [
            {"type": "paragraph", "text": "Look:"},
            {"type": "image", "asset_id": asset_id, "alt": "Forces"},
        ],
    }


@pytest.fixture
def source(tenants):
    """Course a1: a unit with a quiz on a pool of five questions, a lab with its files, a text
    showing an image of university A; an item on the root; a grading policy on offering a1."""
    course = tenants.course_a1
    root = trees.root(course)
    unit = trees.module(root, "Statics")
    lesson = trees.module(unit, "Forces", module_type="lesson")
    pool = QuestionPool.objects.create(course=course, title="Statics questions")
    every_type(pool)
    QuestionPool.objects.create(course=course, title="Spare pool")
    quiz = trees.item(lesson, "Check", "quiz", data=quiz_payload(pool.pk))
    lab = trees.item(lesson, "Lab", "engineering_lab")
    for path, content in LAB_FILES.items():
        LabFile.objects.create(content_item=lab, path=path, content=content)
    image = AssetFactory(university=tenants.university_a)
    trees.item(lesson, "Picture", "text", data=image_text(image.pk))
    trees.item(root, "Reading", "resource")
    GradingPolicy.objects.create(
        course_offering=tenants.offering_a1,
        weight_quizzes=Decimal(50),
        weight_labs=Decimal(30),
        weight_assignments=Decimal(20),
        pass_threshold=Decimal(55),
    )
    return {"course": course, "pool": pool, "quiz": quiz, "lab": lab, "image": image}


def copy_as(tenants, role, source, target, **options):
    return course_copy(
        actor=tenants.user(role),
        source_course_id=source["course"].pk,
        target_course_id=target.pk,
        **options,
    )


def items_of(course) -> dict[str, ContentItem]:
    return {i.title: i for i in ContentItem.objects.filter(course=course)}


def snapshot(course) -> tuple:
    return (
        list(Module.objects.filter(course=course).order_by("pk").values_list("pk", "title")),
        list(ContentItem.objects.filter(course=course).values_list("pk", "data_json")),
        list(QuestionPool.objects.filter(course=course).values_list("pk", "title")),
        list(GradingPolicy.objects.filter(course_offering__course=course).values_list("pk")),
        Asset.objects.count(),
        LabFile.objects.count(),
    )


def test_a_copy_brings_pools_lab_files_policy_and_its_quiz_has_questions(tenants, source):
    target = tenants.course_a2
    report = copy_as(tenants, "university_admin", source, target)
    assert (report.modules, report.items, report.pools, report.questions) == (3, 4, 2, 5)
    assert (report.lab_files, report.policies, report.assets) == (2, 1, 0)
    pools = {p.title: p for p in QuestionPool.objects.filter(course=target)}
    assert sorted(pools) == ["Spare pool", "Statics questions"]
    copied_pool = pools["Statics questions"]
    assert copied_pool.university_id == tenants.university_a.pk
    source_questions = Question.objects.filter(pool=source["pool"]).order_by("position")
    copied_questions = Question.objects.filter(pool=copied_pool).order_by("position")
    fields = ("question_type", "prompt", "points", "position", "numeric_answer", "text_answer")
    assert [tuple(getattr(q, f) for f in fields) for q in copied_questions] == [
        tuple(getattr(q, f) for f in fields) for q in source_questions
    ]
    assert list(
        Choice.objects.filter(question__pool=copied_pool)
        .order_by("question__position", "position")
        .values_list("text", "is_correct")
    ) == list(
        Choice.objects.filter(question__pool=source["pool"])
        .order_by("question__position", "position")
        .values_list("text", "is_correct")
    )
    copied = items_of(target)
    assert copied["Check"].data_json == quiz_payload(copied_pool.pk)
    assert copied["Picture"].data_json == image_text(source["image"].pk)
    student = tenants.enrollments["a2"].user
    started = attempt_start(user=student, offering=tenants.offering_a2, item_id=copied["Check"].pk)
    assert started.created and len(started.attempt.raw_response_json["question_ids"]) == 5
    assert {
        row.path: bytes(row.content) for row in LabFile.objects.filter(content_item=copied["Lab"])
    } == LAB_FILES
    policy = GradingPolicy.objects.get(course_offering=tenants.offering_a2)
    assert (policy.weight_quizzes, policy.weight_labs, policy.pass_threshold) == (50, 30, 55)
    assert_tree_consistent(target.pk)
    # The source keeps its own rows.
    assert items_of(source["course"])["Check"].data_json == quiz_payload(source["pool"].pk)
    assert QuestionPool.objects.filter(course=source["course"]).count() == 2


def test_a_copy_into_another_university_copies_the_assets_it_shows(tenants, source):
    target = tenants.course_b1
    report = copy_as(tenants, "platform_admin", source, target)
    assert report.assets == 1
    copied_image = Asset.objects.exclude(pk=source["image"].pk).get()
    assert copied_image.university_id == tenants.university_b.pk
    assert copied_image.url == source["image"].url
    assert items_of(target)["Picture"].data_json == image_text(copied_image.pk)
    pool = QuestionPool.objects.get(course=target, title="Statics questions")
    assert pool.university_id == tenants.university_b.pk
    assert items_of(target)["Check"].data_json["question_pool_id"] == pool.pk


def test_a_copy_appends_under_a_chosen_module_of_a_course_with_a_syllabus(tenants, source):
    target = tenants.course_a2
    root = trees.root(target)
    week = trees.module(root, "Week 1")
    trees.module(week, "Existing", module_type="lesson")
    trees.item(week, "Notes", "text")
    report = copy_as(tenants, "university_admin", source, target, parent_module_id=week.pk)
    assert report.modules == 2
    assert titles(week) == ["Existing", "Statics"]
    assert titles(Module.objects.get(course=target, title="Statics")) == ["Forces"]
    assert list(
        week.content_items.order_by("sequence_index").values_list("title", "sequence_index")
    ) == [("Notes", 1), ("Reading", 2)]
    assert Module.objects.filter(course=target, parent=None).count() == 1
    assert_tree_consistent(target.pk)


def test_learners_module_progress_follows_what_an_append_adds(tenants, source):
    target = tenants.course_a2
    week = trees.module(trees.root(target), "Week 1")
    notes = trees.item(week, "Notes", "text")
    trees.item(week, "Slides", "text")
    student = tenants.enrollments["a2"].user
    content_complete(user=student, offering=tenants.offering_a2, item_id=notes.pk)
    progress = UserModuleProgress.objects.get(user=student, module=week)
    assert progress.progress_percent == Decimal("50.00")
    copy_as(tenants, "university_admin", source, target, parent_module_id=week.pk)
    progress.refresh_from_db()
    # Notes of Notes, Slides, Reading, and the quiz, lab and text under Statics > Forces.
    assert progress.progress_percent == Decimal("16.67")


def test_a_copy_without_a_module_appends_at_the_root(tenants, source):
    target = tenants.course_a2
    root = trees.root(target)
    trees.module(root, "Week 1")
    copy_as(tenants, "university_admin", source, target)
    assert titles(root) == ["Week 1", "Statics"]
    assert list(root.content_items.values_list("title", flat=True)) == ["Reading"]
    assert_tree_consistent(target.pk)


@pytest.mark.parametrize(
    ("role", "source_name", "target_name", "field"),
    [
        ("instructor", "course_a1", "course_b1", "target"),
        ("instructor_b", "course_a1", "course_b1", "source"),
        ("university_admin", "course_a1", "course_b1", "target"),
        ("university_admin_b", "course_a1", "course_b1", "source"),
        ("instructor", "course_a1", "course_a2", "target"),
        ("ta", "course_a1", "course_a2", "source"),
    ],
)
def test_a_course_outside_the_actors_scope_is_refused_and_nothing_changes(
    tenants, source, role, source_name, target_name, field
):
    target = getattr(tenants, target_name)
    before = snapshot(target), snapshot(source["course"])
    with pytest.raises(ValidationError) as error:
        course_copy(
            actor=tenants.user(role),
            source_course_id=getattr(tenants, source_name).pk,
            target_course_id=target.pk,
        )
    assert list(error.value.message_dict) == [field]
    assert (snapshot(target), snapshot(source["course"])) == before


def test_a_module_of_another_course_is_refused(tenants, source):
    other = trees.module(trees.root(tenants.course_b1), "Theirs")
    target = tenants.course_a2
    before = snapshot(target)
    with pytest.raises(ValidationError) as error:
        copy_as(tenants, "platform_admin", source, target, parent_module_id=other.pk)
    assert error.value.message_dict == {"parent": ["Pick a module of the target course."]}
    assert snapshot(target) == before


def test_a_failure_half_way_leaves_the_target_unchanged(tenants, source, monkeypatch):
    import assessments.copying

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(assessments.copying, "_lab_files_copy", broken)
    target = tenants.course_a2
    before = snapshot(target)
    with pytest.raises(RuntimeError):
        copy_as(tenants, "platform_admin", source, target)
    assert snapshot(target) == before


def test_an_instructor_copies_between_courses_they_teach_in_the_admin(client, tenants, source):
    instructor = tenants.user("instructor")
    offering_instructor_add(offering=tenants.offering_a2, user=instructor)
    client.force_login(instructor)
    url = reverse("admin:syllabus_module_copy", args=[source["course"].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert [c.code for c in page.context["form"].fields["target"].queryset] == ["HIS101"]
    assert list(page.context["form"].fields) == ["target"]
    week = trees.module(trees.root(tenants.course_a2), "Week 1")
    trees.module(trees.root(tenants.course_a1), "Not a target")
    page = client.get(url, {"target": tenants.course_a2.pk})
    assert [m.title for m in page.context["form"].fields["parent"].queryset] == [
        tenants.course_a2.title,
        "Week 1",
    ]
    response = client.post(url, {"target": tenants.course_a2.pk, "parent": week.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:syllabus_module_tree", args=[tenants.course_a2.pk]
    )
    assert items_of(tenants.course_a2)["Check"].data_json["question_pool_id"] == (
        QuestionPool.objects.get(course=tenants.course_a2, title="Statics questions").pk
    )


def test_the_admin_copy_refuses_another_universitys_course(client, tenants, source):
    client.force_login(tenants.user("instructor"))
    url = reverse("admin:syllabus_module_copy", args=[source["course"].pk])
    before = snapshot(tenants.course_b1)
    response = client.post(url, {"target": tenants.course_b1.pk, "parent": ""})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["target"]
    assert snapshot(tenants.course_b1) == before
    foreign = reverse("admin:syllabus_module_copy", args=[tenants.course_b1.pk])
    assert client.get(foreign).status_code == 404
    assert client.post(foreign, {"target": tenants.course_a1.pk}).status_code == 404


def test_the_admin_copy_checks_the_module_belongs_to_the_target(client, tenants, source):
    other = trees.module(trees.root(tenants.course_b1), "Theirs")
    client.force_login(tenants.user("university_admin"))
    url = reverse("admin:syllabus_module_copy", args=[source["course"].pk])
    before = snapshot(tenants.course_a2)
    response = client.post(url, {"target": tenants.course_a2.pk, "parent": other.pk})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["parent"]
    assert snapshot(tenants.course_a2) == before


# Templates ----------------------------------------------------------------------------------


def test_a_template_of_the_university_brings_copies_of_its_pools(tenants, source):
    template = template_from_subtree(module=Module.objects.get(title="Statics"))
    target_root = trees.root(tenants.course_a2)
    made = template_add(template=template, parent=target_root)
    quiz = ContentItem.objects.get(module__course=tenants.course_a2, title="Check")
    pool = QuestionPool.objects.get(pk=quiz.data_json["question_pool_id"])
    assert (pool.course_id, pool.title, pool.questions.count()) == (
        tenants.course_a2.pk,
        "Statics questions",
        5,
    )
    assert quiz.is_active
    assert made.title == "Statics"


def test_a_template_never_points_at_another_universitys_pool(tenants):
    foreign_pool = QuestionPool.objects.create(course=tenants.course_b1, title="Theirs")
    every_type(foreign_pool)
    template = ModuleTemplateFactory(
        template_type="unit",
        university=None,
        default_data={
            "content": [
                {"content_type": "quiz", "title": "Q", "data_json": quiz_payload(foreign_pool.pk)},
                {"content_type": "quiz", "title": "Draft"},
            ]
        },
    )
    target_root = trees.root(tenants.course_a1)
    template_add(template=template, parent=target_root)
    quizzes = ContentItem.objects.filter(course=tenants.course_a1, content_type="quiz")
    pools = QuestionPool.objects.filter(pk__in=[q.data_json["question_pool_id"] for q in quizzes])
    assert sorted(pools.values_list("course_id", "title")) == [
        (tenants.course_a1.pk, "Draft"),
        (tenants.course_a1.pk, "Q"),
    ]
    assert [q.is_active for q in quizzes.order_by("sequence_index")] == [False, False]
    assert Question.objects.filter(pool__course=tenants.course_a1).count() == 0


def test_adding_a_template_in_the_admin_remaps_its_pools(client, tenants, source):
    template = template_from_subtree(module=Module.objects.get(title="Statics"))
    parent = trees.root(tenants.course_a2)
    client.force_login(tenants.user("university_admin"))
    url = reverse("admin:syllabus_module_from_template", args=[parent.pk])
    response = client.post(url, {"template": template.pk, "title": "Copied statics"})
    assert response.status_code == 302
    quiz = ContentItem.objects.get(course=tenants.course_a2, title="Check")
    assert QuestionPool.objects.get(pk=quiz.data_json["question_pool_id"]).course_id == (
        tenants.course_a2.pk
    )


def test_a_template_lab_waits_inactive_for_its_files(tenants, source):
    template = template_from_subtree(module=Module.objects.get(title="Statics"))
    template_add(template=template, parent=trees.root(tenants.course_a2))
    lab = ContentItem.objects.get(course=tenants.course_a2, title="Lab")
    assert (lab.is_active, lab.data_json) == (False, source["lab"].data_json)
    assert not LabFile.objects.filter(content_item=lab).exists()
    assert ContentItem.objects.get(course=tenants.course_a2, title="Picture").is_active


def test_copying_pools_takes_the_same_statements_whatever_their_size(tenants):
    def statements(pool_count: int) -> int:
        pools = []
        for n in range(pool_count):
            pool = QuestionPool.objects.create(course=tenants.course_a1, title=f"P{n}")
            every_type(pool)
            pools.append(pool.pk)
        with CaptureQueriesContext(connection) as queries:
            copied = pools_copy(pool_ids=pools, target_course=tenants.course_a2)
        assert copied.questions == 5 * pool_count
        return len(queries)

    assert statements(1) == statements(3)
