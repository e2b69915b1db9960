"""The migrated database keeps the data contract carried in the repository (contract/), from
any clone, with nothing outside the repository."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from contract import conformance


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgresql://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db
def test_the_migrated_database_keeps_every_promise_of_the_contract():
    result = subprocess.run(
        [sys.executable, "-m", "contract.conformance", database_url()],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    kept, total = map(int, lines[-1].removeprefix("data contract: ").split()[0].split("/"))
    assert kept == total and total > 650, lines[-1]


def test_a_broken_promise_is_reported():
    """The comparison fails on each kind of difference (so the test above can fail)."""
    contract = conformance.Catalog(
        columns={
            ("courses", "id"): ("bigint", True, None),
            ("courses", "level"): ("course_level_enum", True, "'other'::course_level_enum"),
            ("courses", "created_at"): ("timestamp with time zone", True, "now()"),
        },
        indexes={("courses", True, "btree", "code"), ("courses", False, "btree", "level")},
        foreign_keys={("courses", ("department_id",)): ("departments", "c")},
        checks={"courses": {"credits>=0"}},
        enums={"course_level_enum": ["other", "graduate"]},
    )
    same = conformance.Catalog(
        columns={
            ("courses", "id"): ("bigint", True, None),
            ("courses", "level"): ("character varying(20)", True, "'other'::character varying"),
            ("courses", "created_at"): ("timestamp with time zone", True, "statement_timestamp()"),
        },
        indexes={("courses", True, "btree", "code"), ("courses", False, "btree", "level,code")},
        foreign_keys={("courses", ("department_id",)): ("departments", "c")},
        checks={"courses": {"credits>=0", "levelin'other','graduate'"}},
        enums={},
    )
    assert conformance.compare(contract, same).broken == []
    broken = conformance.Catalog(
        columns={
            ("courses", "id"): ("integer", False, None),
            ("courses", "level"): ("character varying(20)", True, None),
        },
        indexes={("courses", False, "btree", "code")},
        foreign_keys={("courses", ("department_id",)): ("departments", "r")},
        checks={},
        enums={},
    )
    problems = conformance.compare(contract, broken).broken
    assert problems == [
        "column courses.created_at: missing",
        "column courses.id: type integer, expected bigint",
        "column courses.id: NOT NULL is False, expected True",
        "column courses.level: values ['other', 'graduate'] not enforced",
        "column courses.level: default None, expected 'other'::course_level_enum",
        "index on courses (level) using btree: missing",
        "unique index on courses (code) using btree: missing",
        "foreign key courses(department_id): ON DELETE RESTRICT, expected CASCADE",
        "check on courses: credits>=0",
    ]
