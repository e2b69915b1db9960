"""The migrated database must keep matching the schema contract, and models their migrations."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

CONFORMANCE = settings.BASE_DIR.parent / "shared" / "tools" / "schema_conformance.py"


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgresql://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db
def test_migrated_database_matches_the_schema_contract():
    assert Path(CONFORMANCE).is_file(), f"schema contract checker not found at {CONFORMANCE}"
    result = subprocess.run(
        [sys.executable, str(CONFORMANCE), database_url()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert summary == "schema conformance: 700/700 facts hold"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
