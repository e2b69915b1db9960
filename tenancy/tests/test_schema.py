"""The migrated database must keep matching the schema contract, and models their migrations."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

CHECKER = Path("shared") / "tools" / "schema_conformance.py"


def conformance_checker() -> Path:
    """The contract's checker beside the checkout, else beside the repository this checkout was
    cloned from (so a scratch clone elsewhere still finds it)."""
    roots = [settings.BASE_DIR.parent]
    origin = subprocess.run(
        ["git", "-C", str(settings.BASE_DIR), "config", "--get", "remote.origin.url"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if origin and Path(origin).is_dir():
        roots.append(Path(origin).resolve().parent)
    candidates = [root / CHECKER for root in roots]
    return next((c for c in candidates if c.is_file()), candidates[-1])


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgresql://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db
def test_migrated_database_matches_the_schema_contract():
    checker = conformance_checker()
    assert checker.is_file(), f"schema contract checker not found at {checker}"
    result = subprocess.run(
        [sys.executable, str(checker), database_url()],
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
