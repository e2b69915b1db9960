"""python manage.py import_questions: counts by type, what could not be mapped, exit codes."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.quizzes.models import Question, QuestionPool
from catalog.tests.tenants import build_tenants

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


@pytest.fixture
def tenants():
    return build_tenants()


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_questions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_counts_and_unmapped(tenants):
    out, _err = run(
        str(DATA / "every_type.gift"),
        "--university",
        "ALPHA",
        "--course",
        "PHY101",
        "--pool",
        "Statics",
    )
    assert "Format: GIFT" in out
    assert "  Single choice: 2\n" in out and "  Numeric: 3\n" in out
    assert "Not imported, line 40 (matching)" in out
    assert "Not imported, line 48 (description)" in out
    assert "Imported 11 questions into pool “Statics” of PHY101 (a new pool)." in out
    assert Question.objects.filter(pool__course=tenants.course_a1).count() == 11


def test_dry_run_writes_nothing(tenants):
    out, _err = run(
        str(DATA / "bank.qti.xml"),
        "--university",
        "ALPHA",
        "--course",
        "PHY101",
        "--pool",
        "P",
        "--format",
        "qti",
        "--dry-run",
    )
    assert "Format: QTI 1.2" in out and "Dry run: nothing was written." in out
    assert QuestionPool.objects.count() == 0


def test_a_bad_question_exits_non_zero_and_writes_nothing(tenants, tmp_path):
    bad = tmp_path / "bad.gift"
    bad.write_text("Good? {T}\n\nBad? {#x}\n")
    with pytest.raises(CommandError, match="fix the problem listed above"):
        run(str(bad), "--university", "ALPHA", "--course", "PHY101", "--pool", "P")
    assert QuestionPool.objects.count() == 0


def test_hostile_and_unknown_are_refused(tenants, tmp_path):
    hostile = tmp_path / "x.xml"
    hostile.write_text('<!DOCTYPE quiz [<!ENTITY e SYSTEM "file:///etc/passwd">]><quiz>&e;</quiz>')
    with pytest.raises(CommandError, match="entities"):
        run(str(hostile), "--university", "ALPHA", "--course", "PHY101", "--pool", "P")
    with pytest.raises(CommandError, match="No course BIO101 at university ALPHA"):
        run(str(hostile), "--university", "ALPHA", "--course", "BIO101", "--pool", "P")
    assert QuestionPool.objects.count() == 0
