"""Writing a bank into a course's pool: all or nothing, tenant scoped, checked with
assessments' own answer-key rules, and the exports read back field by field."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from assessments.quizzes.models import Choice, Question, QuestionPool
from assessments.tests import quiz_factories as qf
from catalog.tests.tenants import build_tenants
from interchange.questions.bank import BankRefused
from interchange.questions.export import pool_as_gift, pool_as_moodle_xml
from interchange.questions.services import (
    BankInvalid,
    question_bank_import,
    question_bank_parse,
)

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


@pytest.fixture
def tenants():
    return build_tenants()


def _fields(pool: QuestionPool) -> list[tuple]:
    return [
        (
            q.question_type,
            q.prompt,
            q.points,
            q.explanation,
            q.correct_boolean,
            q.numeric_answer,
            q.numeric_tolerance,
            q.text_answer,
            q.text_match,
            q.is_active,
            [(c.text, c.is_correct, c.position) for c in q.choices.all()],
        )
        for q in pool.questions.order_by("position").prefetch_related("choices")
    ]


@pytest.mark.parametrize("name", ["every_type.gift", "bank.moodle.xml", "bank.qti.xml"])
def test_a_bank_lands_in_a_new_pool(tenants, name):
    bank = question_bank_parse(data=(DATA / name).read_bytes())
    result = question_bank_import(
        actor=tenants.user("instructor"), course=tenants.course_a1, pool_title="Imported", bank=bank
    )
    assert result.pool_created and result.pool.course_id == tenants.course_a1.pk
    assert result.created == len(bank.questions)
    rows = _fields(result.pool)
    assert [row[0] for row in rows] == [q.question_type for q in bank.questions]
    assert [row[1] for row in rows] == [q.prompt for q in bank.questions]
    assert list(result.pool.questions.values_list("position", flat=True)) == list(
        range(1, len(bank.questions) + 1)
    )


def test_questions_are_appended_to_an_existing_pool(tenants):
    pool = qf.pool(tenants.course_a1, "Statics")
    qf.single(pool, position=7)
    bank = question_bank_parse(data=b"A? {T}\n\nB? {F}")
    result = question_bank_import(
        actor=tenants.user("instructor"), course=tenants.course_a1, pool_title="Statics", bank=bank
    )
    assert (result.pool.pk, result.pool_created, result.created) == (pool.pk, False, 2)
    assert list(pool.questions.values_list("position", "prompt")) == [
        (7, "Unit of force?"),
        (8, "A?"),
        (9, "B?"),
    ]


def test_an_error_in_question_five_writes_nothing(tenants):
    source = "\n\n".join(
        ["One? {T}", "Two? {F}", "Three? {#3:0}", "Four? {=four}", "Five? {#not a number}"]
    )
    bank = question_bank_parse(data=source.encode())
    assert [p.place for p in bank.problems] == ["line 9"]
    with pytest.raises(BankInvalid):
        question_bank_import(
            actor=tenants.user("instructor"), course=tenants.course_a1, pool_title="P", bank=bank
        )
    assert QuestionPool.objects.count() == 0 and Question.objects.count() == 0


def test_assessments_key_rules_make_problems(tenants):
    long_answer = "x" * 501
    bank = question_bank_parse(data=f"Q? {{=ok ~{long_answer}}}\n\nR? {{=(unclosed}}".encode())
    assert [p.place for p in bank.problems] == ["line 1"]
    assert "longer than 500" in bank.problems[0].message


def test_a_failed_write_leaves_nothing(tenants, monkeypatch):
    bank = question_bank_parse(data=b"Q? {=a ~b}\n\nR? {=c ~d}")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Choice.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        question_bank_import(
            actor=tenants.user("instructor"), course=tenants.course_a1, pool_title="P", bank=bank
        )
    assert QuestionPool.objects.count() == 0 and Question.objects.count() == 0


@pytest.mark.parametrize("role", ["ta", "instructor_b", "university_admin_b", "student"])
def test_only_staff_who_may_author_the_course_import(tenants, role):
    bank = question_bank_parse(data=b"Q? {T}")
    with pytest.raises(PermissionDenied):
        question_bank_import(
            actor=tenants.user(role), course=tenants.course_a1, pool_title="P", bank=bank
        )
    assert Question.objects.count() == 0


def test_size_and_count_limits(tenants, settings):
    settings.QUESTION_BANK_MAX_BYTES = 20
    with pytest.raises(BankRefused, match="larger than"):
        question_bank_parse(data=b"A long question? {T}\n")
    settings.QUESTION_BANK_MAX_BYTES = 10_000
    settings.QUESTION_BANK_MAX_QUESTIONS = 2
    with pytest.raises(BankRefused, match="more than 2 questions"):
        question_bank_parse(data=b"A? {T}\n\nB? {T}\n\nC? {T}")
    with pytest.raises(BankRefused, match="UTF-8"):
        question_bank_parse(data="Été? {T}".encode("latin-1"))


def _pool_with_every_type(course) -> QuestionPool:
    pool = qf.pool(course, "Every type")
    qf.single(pool, explanation="Newton.\nSecond line.")
    qf.multiple(pool)
    qf.true_false(pool)
    qf.numeric(pool)
    qf.short_text(pool)
    qf.question(pool, "short_text", "Two names?", text_answer="(?i)(?:a\\.b|c)", text_match="regex")
    qf.question(
        pool,
        "single",
        "Escapes ~ = # { } : \\ here?",
        choices=[("a=b", True), ("{c}", False), ("d#e:f~", False)],
    )
    return pool


def test_gift_export_reads_back_identical(tenants):
    pool = _pool_with_every_type(tenants.course_a1)
    pool.questions.update(points=1)  # GIFT has no points
    exported = pool_as_gift(pool=pool)
    assert exported.exported == 7 and exported.notes == []
    bank = question_bank_parse(data=exported.text.encode(), file_format="gift")
    assert bank.problems == [] and bank.unmapped == []
    again = question_bank_import(
        actor=None, course=tenants.course_a2, pool_title="Back", bank=bank
    ).pool
    assert _fields(again) == _fields(pool)


def test_moodle_xml_export_reads_back_identical_with_points_and_case(tenants):
    pool = _pool_with_every_type(tenants.course_a1)
    qf.question(pool, "short_text", "Symbol?", text_answer="N", text_match="exact", points=3)
    qf.question(pool, "short_text", "Symbols?", text_answer="(?:N|kN.*)", text_match="regex")
    Question.objects.filter(pool=pool, question_type="numeric").update(points=Decimal("2.50"))
    exported = pool_as_moodle_xml(pool=pool)
    assert exported.exported == 9 and exported.notes == []
    bank = question_bank_parse(data=exported.text.encode())
    assert bank.format == "moodlexml" and bank.problems == []
    again = question_bank_import(
        actor=None, course=tenants.course_a2, pool_title="Back", bank=bank
    ).pool
    assert _fields(again) == _fields(pool)


def test_exports_read_a_pool_in_two_queries(tenants, django_assert_num_queries):
    pool = _pool_with_every_type(tenants.course_a1)
    for writer in (pool_as_gift, pool_as_moodle_xml):
        with django_assert_num_queries(2):  # the questions, then all their options
            assert writer(pool=pool).exported == 7


def test_what_a_format_cannot_say_is_noted(tenants):
    pool = qf.pool(tenants.course_a1)
    broken = qf.question(pool, "single", "No right option?", choices=[("a", False), ("b", False)])
    qf.question(pool, "short_text", "Pattern?", text_answer="^kg.*$", text_match="regex")
    qf.question(pool, "short_text", "Case?", text_answer="N", text_match="exact", points=2)
    gift = pool_as_gift(pool=pool)
    assert gift.exported == 1
    assert len(gift.notes) == 4  # the options, the pattern, the case, the points
    assert broken.prompt in gift.notes[0]
    xml = pool_as_moodle_xml(pool=pool)
    assert xml.exported == 1 and len(xml.notes) == 2
