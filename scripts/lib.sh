# shellcheck shell=bash
# Shared steps of scripts/start.sh and scripts/test.sh. Source it; it defines functions only,
# plus ROOT (the repository), VENV and PY (the virtualenv's python).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PG_DEFAULT_PORT=5432

step() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
warn() { printf '    warning: %s\n' "$*" >&2; }
die() {
  printf '\nerror: %s\n' "$*" >&2
  exit 1
}
is_root() { [ "$(id -u)" -eq 0 ]; }

# Prints the first interpreter that really runs and is Python >= 3.12. PYTHON overrides the search.
# (A pyenv shim named python3.12 exists on PATH even when that version is not selected, so every
# candidate is run, not just looked up.)
find_python() {
  local candidate
  local candidates=()
  [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
  candidates+=(python3.12 python3.13)
  for candidate in "$HOME"/.pyenv/versions/3.12*/bin/python3.12 \
    /root/.pyenv/versions/3.12*/bin/python3.12 \
    "$HOME"/.pyenv/versions/3.13*/bin/python3.13 \
    /root/.pyenv/versions/3.13*/bin/python3.13; do
    [ -x "$candidate" ] && candidates+=("$candidate")
  done
  candidates+=(python3)
  for candidate in "${candidates[@]}"; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      "$candidate" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  return 1
}

venv_works() {
  [ -x "$PY" ] && "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
}

# Creates .venv when it is missing or unusable, then installs the given requirements files.
# pip runs only when the files changed since the last successful install (a stamp in .venv).
ensure_venv() {
  local python
  if ! venv_works; then
    python="$(find_python)" || die "Python 3.12 or newer not found. Install it (python3.12 on PATH \
or under ~/.pyenv/versions), or point PYTHON at one: PYTHON=/path/to/python3.12 bash $0"
    note "creating .venv with $python"
    "$python" -m venv --clear "$VENV" || die "could not create $VENV with $python \
(on Debian or Ubuntu the venv module is in the python3.12-venv package)"
  fi
  note "$("$PY" --version) at $VENV"
  install_requirements "$@"
}

install_requirements() {
  local label="$1"
  shift
  local stamp="$VENV/.requirements-$label.sha256"
  local digest log
  digest="$(cd "$ROOT" && "$PY" -c '
import hashlib, sys
digest = hashlib.sha256(sys.version.encode())
for name in sorted(sys.argv[1:]):
    digest.update(name.encode() + b"\0" + open(name, "rb").read())
print(digest.hexdigest())
' requirements.txt "$@")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    note "$label requirements up to date"
    return 0
  fi
  note "installing $label requirements ($*)"
  log="$(mktemp)"
  local args=()
  local file
  for file in "$@"; do args+=(-r "$ROOT/$file"); done
  if ! "$PY" -m pip install --disable-pip-version-check --quiet "${args[@]}" >"$log" 2>&1; then
    grep -v -E "^WARNING: Location '.*' is ignored" "$log" >&2 || true
    rm -f "$log"
    die "pip could not install $*"
  fi
  # Show what matters even on success (a broken dependency set), hide the index noise.
  grep -E '^ERROR' "$log" >&2 || true
  rm -f "$log"
  printf '%s\n' "$digest" >"$stamp"
}

# Exit status of scripts/preflight.py: 0 reachable, 10 unreachable at the default local address,
# 11 unreachable elsewhere, anything else a real error.
preflight() { (cd "$ROOT" && "$PY" scripts/preflight.py "$1"); }

start_local_postgres() {
  if ! is_root || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    return 1
  fi
  local version cluster port status started=1
  while read -r version cluster port status _; do
    if [ "$port" = "$PG_DEFAULT_PORT" ] && [ "$status" != "online" ]; then
      note "starting PostgreSQL $version/$cluster"
      pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start && started=0
    fi
  done < <(pg_lsclusters --no-header 2>/dev/null)
  return "$started"
}

start_local_redis() {
  command -v redis-server >/dev/null 2>&1 || return 1
  note "starting redis-server on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
}

# Waits up to $2 seconds for preflight $1 to succeed.
wait_for() {
  local service="$1" seconds="$2" i
  for ((i = 0; i < seconds; i++)); do
    preflight "$service" >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}

# Makes sure PostgreSQL answers at DATABASE_URL and the database exists; fatal otherwise.
ensure_postgres() {
  local status=0
  preflight postgres || status=$?
  if [ "$status" -eq 10 ] && start_local_postgres; then
    wait_for postgres 20 || true
    status=0
    preflight postgres || status=$?
  fi
  case "$status" in
    0) ;;
    10 | 11)
      die "PostgreSQL is needed. Start a local PostgreSQL 15 on 127.0.0.1:5432 (user postgres),
       or run \`docker compose -f docker-compose.yml -f docker-compose.services.yml up -d db redis\`, or set DATABASE_URL (environment or .env),
       e.g. DATABASE_URL=postgres://user:password@host:5432/lms" ;;
    *) die "checking PostgreSQL failed (see above)" ;;
  esac
}

# Makes sure Redis answers at REDIS_URL. Returns 1 when it does not; the caller decides.
ensure_redis() {
  local status=0
  preflight redis || status=$?
  if [ "$status" -eq 10 ] && start_local_redis; then
    wait_for redis 10 || true
    status=0
    preflight redis || status=$?
  fi
  [ "$status" -eq 0 ]
}

redis_help() {
  echo "Start redis-server on 127.0.0.1:6379, run \`docker compose -f docker-compose.yml -f docker-compose.services.yml up -d redis\`, or set REDIS_URL \
(environment or .env)."
}

# Installs a Debian package quietly when running as root with apt-get; returns 1 otherwise.
apt_install() {
  local package="$1"
  is_root && command -v apt-get >/dev/null 2>&1 || return 1
  note "installing $package with apt-get (takes a minute)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null || die "apt-get update failed"
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$package" >/dev/null ||
    die "apt-get install $package failed"
}

# Makes sure the program $2 of Debian package $1 exists, installing the package when it can.
# $3 says what needs it and $4 (optional) how to point at another copy.
ensure_program() {
  local package="$1" program="$2" needed_by="$3" elsewhere="${4:-}"
  if [ ! -x "$program" ] && apt_install "$package"; then
    [ -x "$program" ] || die "$package installed, but $program is still missing${elsewhere:+; $elsewhere}"
  fi
  [ -x "$program" ] || die "$needed_by need $package at $program. Install it with
       sudo apt-get install -y $package${elsewhere:+
       or $elsewhere}"
  note "$package at $program"
}

# The browser tests drive the system's Chromium through Playwright.
ensure_chromium() {
  ensure_program chromium "${CHROMIUM_PATH:-/usr/bin/chromium}" "the browser tests" \
    "point CHROMIUM_PATH at a Chromium binary"
}

# The servers tests (tests/test_pgbouncer.py) run the product through a real PgBouncer.
ensure_pgbouncer() {
  ensure_program pgbouncer /usr/sbin/pgbouncer "the servers tests"
}
