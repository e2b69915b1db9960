"""python manage.py import_course: the summary by kind, the warnings, dry runs and refusals."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Course
from catalog.tests.tenants import build_tenants
from content.models import Asset

pytestmark = pytest.mark.django_db
PHYSICS = Path(__file__).parent / "fixtures" / "olx" / "physics"
SUMMARY = """Modules: 7
  chapter: 2
  lesson: 2
  quiz: 1
  unit: 2
Items: 4
  quiz: 1
  text: 1
  video: 2
Questions: 5
Assets: 2
Transcripts: 2
Warnings: 7
  - video/intro_video.xml: the fr transcript is not kept (one per video)
"""


@pytest.fixture
def tenants(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_tenants()


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_course", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_prints_counts_and_warnings(tenants):
    out = run(str(PHYSICS), "--university", "BETA")
    assert out.startswith(SUMMARY)
    assert "  - lti_consumer/lti_sim: LTI tools are not imported\n" in out
    assert out.endswith("Imported course PHY101 “Introductory Physics”.\n")
    assert Course.objects.get(university=tenants.university_b, code="PHY101").title == (
        "Introductory Physics"
    )


def test_dry_run_prints_the_same_and_writes_nothing(tenants):
    before = (Course.objects.count(), Asset.objects.count())
    out = run(str(PHYSICS), "--university", "ALPHA", "--course-code", "NEW1", "--dry-run")
    assert out.startswith(SUMMARY)
    assert out.endswith("Dry run: nothing was written.\n")
    assert (Course.objects.count(), Asset.objects.count()) == before


def test_a_refused_package_exits_non_zero(tenants, tmp_path):
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"\x1f\x8bnot really")
    with pytest.raises(CommandError, match="Refused: The file is not a readable"):
        run(str(bad), "--university", "ALPHA")
    with pytest.raises(CommandError, match="already has a course with the code PHY101"):
        run(str(PHYSICS), "--university", "ALPHA")
    with pytest.raises(CommandError, match="No university NOPE"):
        run(str(PHYSICS), "--university", "NOPE")
