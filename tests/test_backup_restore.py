"""scripts/backup_restore_check.sh restores a dump of a seeded database with every row intact."""

import subprocess
from pathlib import Path

import pytest
from django.db import connection

from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from tenancy.models import University, User

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "backup_restore_check.sh"

pytestmark = pytest.mark.servers


def _run(source: str, target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), source, target],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PGHOST": "127.0.0.1", "PGUSER": "postgres"},
    )


def _count(database: str, table: str) -> int:
    out = subprocess.run(
        [
            "psql",
            "-X",
            "-At",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            database,
            "-c",
            f"SELECT count(*) FROM {table}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout)


@pytest.mark.django_db(transaction=True)
def test_dump_restores_every_row_of_a_seeded_database():
    offering = OfferingFactory()
    EnrollmentFactory.create_batch(3, course_offering=offering)
    source = connection.settings_dict["NAME"]
    target = f"{source}_restored"
    try:
        result = _run(source, target)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1].startswith("restore ok: ")
        assert _count(target, "course_enrollments") == 3
        assert _count(target, "universities") == University.objects.count()
        assert _count(target, "users") == User.objects.count()
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", target])


def test_refuses_to_restore_over_its_source():
    result = _run("lms_scale", "lms_scale")
    assert result.returncode == 2
    assert result.stderr == "error: target must differ from source\n"
