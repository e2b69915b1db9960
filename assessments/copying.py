"""Copying course material so the copy works on its own: a course's syllabus with its question
pools, lab files, grading policy and assets, a module template added to a course, and a new
run of an offering with its grading policy.

content.services copies modules, items and assets; what lives here, above content, follows in
the same transaction: the pools are copied with their questions and options, every quiz of
the copy points at a pool of the target course, the labs get their files, and offerings of the
target without a grading policy get the source's. A reference that cannot be copied (a pool of
another university, a draft's placeholder) is never carried over: the quiz gets an empty pool
of its own course instead, so staff fill it in rather than students meeting another tenant's
questions.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model, QuerySet
from django.utils.translation import gettext as _

from assessments.grades.models import GradingPolicy
from assessments.labs.models import LabFile
from assessments.progress.tree_changes import tree_change_apply
from assessments.quizzes.models import Choice, Question, QuestionPool
from catalog.models import Course, CourseOffering
from catalog.services.offerings import offering_rerun
from content.copying import syllabus_copy
from content.models import ContentItem, ContentType
from content.services import content_item_update, module_from_template
from syllabus.models import Module, ModuleTemplate
from tenancy.models import User
from tenancy.scoping import scoped

COURSE_PATHS = {"university": "university", "department": "department", "course": "pk"}
# Who may copy material: those who may author question banks (not teaching assistants).
COPY_PERMISSION = "assessments.add_questionpool"


@dataclass(frozen=True)
class CourseCopyReport:
    modules: int
    items: int
    pools: int
    questions: int
    lab_files: int
    policies: int
    assets: int


def copyable_courses(*, actor: User) -> QuerySet[Course]:
    """The courses `actor` may copy from and into: those they teach or administer."""
    if not actor.has_perm(COPY_PERMISSION):
        return Course.objects.none()
    return scoped(Course.objects.all(), actor, COURSE_PATHS)


def _copied_fields(model: type[Model], *skip: str) -> list[str]:
    """The columns a copied row takes over: all but its id, timestamps and `skip`."""
    left_out = {"id", "created_at", "updated_at", *skip}
    return [f.attname for f in model._meta.concrete_fields if f.attname not in left_out]


@dataclass(frozen=True)
class PoolsCopy:
    pools: dict[int, int]
    questions: int


def pools_copy(*, pool_ids: Iterable[int], target_course: Course) -> PoolsCopy:
    """Copy the pools with their questions and options into `target_course`, in three
    statements whatever their size; returns old pool id -> new pool id."""
    pools = list(QuestionPool.objects.filter(pk__in=set(pool_ids)).order_by("pk"))
    if not pools:
        return PoolsCopy(pools={}, questions=0)
    copies = QuestionPool.objects.bulk_create(
        [
            QuestionPool(
                course_id=target_course.pk,
                university_id=target_course.university_id,
                title=pool.title,
                description=pool.description,
            )
            for pool in pools
        ]
    )
    mapping = {pool.pk: copy.pk for pool, copy in zip(pools, copies, strict=True)}
    question_fields = _copied_fields(Question, "pool_id")
    questions = list(Question.objects.filter(pool_id__in=mapping).order_by("pk"))
    question_copies = Question.objects.bulk_create(
        [
            Question(pool_id=mapping[q.pool_id], **{f: getattr(q, f) for f in question_fields})
            for q in questions
        ]
    )
    question_map = {q.pk: c.pk for q, c in zip(questions, question_copies, strict=True)}
    choice_fields = _copied_fields(Choice, "question_id")
    Choice.objects.bulk_create(
        [
            Choice(
                question_id=question_map[c.question_id],
                **{f: getattr(c, f) for f in choice_fields},
            )
            for c in Choice.objects.filter(question_id__in=question_map).order_by("pk")
        ]
    )
    return PoolsCopy(pools=mapping, questions=len(questions))


def _quiz_pools_point_at(
    *, quizzes: list[ContentItem], target_course: Course, pools: dict[int, int], keep: set[int]
) -> list[ContentItem]:
    """Point every quiz at a pool of `target_course`: the copy of its pool, its pool when that
    is one of `keep`, else a new empty pool named after the quiz. Returns the quizzes that got
    an empty pool."""
    emptied = []
    for quiz in quizzes:
        old = (quiz.data_json or {}).get("question_pool_id")
        if old in pools:
            new = pools[old]
        elif old in keep:
            continue
        else:
            new = QuestionPool.objects.create(course=target_course, title=quiz.title[:255]).pk
            emptied.append(quiz)
        quiz.data_json = {**quiz.data_json, "question_pool_id": new}
        ContentItem.objects.filter(pk=quiz.pk).update(data_json=quiz.data_json)
    return emptied


def _quizzes(item_ids: Iterable[int]) -> list[ContentItem]:
    return list(
        ContentItem.objects.non_polymorphic()
        .filter(pk__in=set(item_ids), content_type=ContentType.QUIZ)
        .order_by("pk")
    )


def _lab_files_copy(*, items: dict[int, int]) -> int:
    """Copy the files of the labs among `items` (old item id -> new item id)."""
    rows = LabFile.objects.filter(content_item_id__in=items).order_by("pk")
    copies = LabFile.objects.bulk_create(
        [
            LabFile(content_item_id=items[row.content_item_id], path=row.path, content=row.content)
            for row in rows
        ]
    )
    return len(copies)


@transaction.atomic
def grading_policy_copy(*, policy: GradingPolicy, offering_ids: Iterable[int]) -> int:
    """Give each offering among `offering_ids` that has no grading policy a copy of `policy`;
    returns how many got one."""
    fields = _copied_fields(GradingPolicy, "course_offering_id")
    # The offering rows are locked first, so a policy saved meanwhile is seen, not collided with.
    locked = list(
        CourseOffering.objects.select_for_update()
        .filter(pk__in=set(offering_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    having = set(
        GradingPolicy.objects.filter(course_offering_id__in=locked).values_list(
            "course_offering_id", flat=True
        )
    )
    missing = [pk for pk in locked if pk not in having]
    copies = GradingPolicy.objects.bulk_create(
        [
            GradingPolicy(course_offering_id=pk, **{f: getattr(policy, f) for f in fields})
            for pk in missing
        ]
    )
    return len(copies)


def _latest_policy(course_id: int) -> GradingPolicy | None:
    return (
        GradingPolicy.objects.filter(course_offering__course_id=course_id)
        .order_by(F("course_offering__starts_at").desc(nulls_last=True), "-pk")
        .first()
    )


@transaction.atomic
def course_copy(
    *,
    actor: User,
    source_course_id: int,
    target_course_id: int,
    parent_module_id: int | None = None,
) -> CourseCopyReport:
    """Copy the material of one course into another, both among the courses `actor` teaches
    or administers; under the module `parent_module_id` of the target, or at its root.

    Raises ValidationError (keyed "source", "target" or "parent") and writes nothing when a
    course is not the actor's (missing and another tenant's alike) or the module is not the
    target's. The grading policy of the source's latest offering goes to the target's
    offerings that have none.
    """
    courses = copyable_courses(actor=actor)
    source = courses.filter(pk=source_course_id).first()
    if source is None:
        raise ValidationError({"source": _("Pick a course you teach or administer to copy from.")})
    target = courses.filter(pk=target_course_id).first()
    if target is None:
        raise ValidationError({"target": _("Pick a course you teach or administer to copy into.")})
    if target.pk == source.pk:
        raise ValidationError({"target": _("Copy into another course.")})
    parent = None
    if parent_module_id is not None:
        parent = Module.objects.filter(pk=parent_module_id, course_id=target.pk).first()
        if parent is None:
            raise ValidationError({"parent": _("Pick a module of the target course.")})
    copied = syllabus_copy(source_course=source, target_course=target, parent=parent)
    tree_change_apply(copied.change)
    own_pools = set(QuestionPool.objects.filter(course=target).values_list("pk", flat=True))
    pools = pools_copy(
        pool_ids=QuestionPool.objects.filter(course=source).values_list("pk", flat=True),
        target_course=target,
    )
    _quiz_pools_point_at(
        quizzes=_quizzes(copied.items.values()),
        target_course=target,
        pools=pools.pools,
        keep=own_pools,
    )
    lab_files = _lab_files_copy(items=copied.items)
    policy = _latest_policy(source.pk)
    policies = 0
    if policy is not None:
        offering_ids = CourseOffering.objects.filter(course=target).values_list("pk", flat=True)
        policies = grading_policy_copy(policy=policy, offering_ids=offering_ids)
    return CourseCopyReport(
        modules=copied.created_modules,
        items=len(copied.items),
        pools=len(pools.pools),
        questions=pools.questions,
        lab_files=lab_files,
        policies=policies,
        assets=len(copied.assets),
    )


def _stub_pool_ids(layout: dict) -> set[int]:
    """The pools the quiz stubs of a template layout name."""
    found = set()
    for stub in layout.get("content") or []:
        data = stub.get("data_json")
        if stub.get("content_type") == ContentType.QUIZ and isinstance(data, dict):
            found.add(data.get("question_pool_id"))
    for child in layout.get("children") or []:
        found |= _stub_pool_ids(child)
    return found


@transaction.atomic
def template_add(*, template: ModuleTemplate, parent: Module, title: str | None = None) -> Module:
    """Instantiate `template` under `parent` (content.services.module_from_template) with
    every quiz pointing at a pool of the parent's course from the start: a pool of the same
    university that a stub names is copied in with its questions; any other reference
    (another university's pool, a draft without one) becomes an empty pool of the course,
    and the quiz waits inactive until staff fill it. Labs that list files wait inactive for
    their files."""
    course = parent.course
    named = _stub_pool_ids(template.default_data or {})
    same_university = QuestionPool.objects.filter(
        pk__in=named, university_id=course.university_id
    ).exclude(course=course)
    pools = pools_copy(pool_ids=same_university.values_list("pk", flat=True), target_course=course)
    keep = set(
        QuestionPool.objects.filter(pk__in=named, course=course).values_list("pk", flat=True)
    )
    empty: set[int] = set()

    def quiz_pool(named_id: object, quiz_title: str) -> int:
        if named_id in pools.pools:
            return pools.pools[named_id]
        if named_id in keep:
            return named_id  # type: ignore[return-value]
        pool = QuestionPool.objects.create(course=course, title=quiz_title[:255]).pk
        empty.add(pool)
        return pool

    made, change = module_from_template(
        template=template, parent=parent, title=title, quiz_pool=quiz_pool
    )
    items = ContentItem.objects.non_polymorphic().filter(
        module__in=made.get_descendants(include_self=True)
    )
    emptied = [
        quiz
        for quiz in _quizzes(items.values_list("pk", flat=True))
        if quiz.data_json["question_pool_id"] in empty
    ]
    # A template holds a lab's settings, not its files: a lab that lists files waits
    # inactive until staff upload them, rather than failing every submission.
    unfilled = [
        item
        for item in items.filter(content_type=ContentType.ENGINEERING_LAB, is_active=True)
        if (item.data_json or {}).get("files")
    ]
    for item in [*emptied, *unfilled]:
        if item.is_active:
            change |= content_item_update(item=item, is_active=False)[1]
    tree_change_apply(change)
    return made


@transaction.atomic
def offering_rerun_with_grading(
    *, offering: CourseOffering, starts_at: datetime, term_name: str | None = None
) -> CourseOffering:
    """A new run of `offering` (catalog.services.offering_rerun: dates moved, staff, seats and
    approval rule kept) that grades like the source: it gets a copy of its grading policy."""
    rerun = offering_rerun(offering=offering, starts_at=starts_at, term_name=term_name)
    policy = GradingPolicy.objects.filter(course_offering_id=offering.pk).first()
    if policy is not None:
        grading_policy_copy(policy=policy, offering_ids=[rerun.pk])
    return rerun
