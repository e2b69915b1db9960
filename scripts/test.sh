#!/usr/bin/env bash
# Installs what the tests need, then runs the linters, the import layers check, mypy, the
# migrations check and pytest.
# Arguments go to pytest: bash scripts/test.sh -k enrollment
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

step "Python environment"
ensure_venv dev requirements-dev.txt

step "Chromium"
ensure_chromium

step "PostgreSQL"
ensure_postgres

step "PgBouncer"
ensure_pgbouncer

step "Redis"
ensure_redis || die "the tests need Redis. $(redis_help)"

export DJANGO_ALLOW_ASYNC_UNSAFE=true
failed=()

step "ruff check"
"$PY" -m ruff check . || failed+=("ruff check")

step "ruff format --check"
"$PY" -m ruff format --check . || failed+=("ruff format")

step "lint-imports"
"$VENV/bin/lint-imports" || failed+=("lint-imports")

step "mypy"
"$PY" -m mypy || failed+=("mypy")

step "makemigrations --check"
"$PY" manage.py makemigrations --check --dry-run || failed+=("makemigrations --check")

step "pytest $*"
status=0
"$PY" -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  failed+=("pytest (no tests collected)")
elif [ "$status" -ne 0 ]; then
  failed+=("pytest (exit $status)")
fi

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nFailed:\n' >&2
  printf '  - %s\n' "${failed[@]}" >&2
  exit 1
fi
printf '\nAll checks passed.\n'
