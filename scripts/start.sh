#!/usr/bin/env bash
# Sets up everything and serves the LMS with demo data on http://127.0.0.1:8000 (PORT overrides).
# Safe to run again: installs only what changed, migrations and demo data are idempotent.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
PORT="${PORT:-8000}"

# Something already answers on the port (most likely this script, started earlier): say so
# before starting a second worker and beat beside it.
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "something already serves http://127.0.0.1:$PORT/ (an earlier scripts/start.sh?). Use it, \
stop it, or start another instance on a free port: PORT=8001 bash scripts/start.sh"
fi

step "Python environment"
ensure_venv runtime requirements.txt

step "PostgreSQL"
ensure_postgres

step "Redis"
redis_up=true
if ! ensure_redis; then
  redis_up=false
  note "No Redis: the site still runs, background tasks run in-process and no worker starts."
  note "$(redis_help)"
fi

step "Migrations"
"$PY" manage.py migrate --noinput

step "Demo data"
"$PY" manage.py seed_demo

step "Static files"
"$PY" manage.py collectstatic --noinput --verbosity 0

worker_pid=""
stop_worker() {
  if [ -n "$worker_pid" ] && kill -0 "$worker_pid" 2>/dev/null; then
    note "stopping the Celery worker (pid $worker_pid)"
    kill -TERM "$worker_pid" 2>/dev/null || true
    wait "$worker_pid" 2>/dev/null || true
  fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$redis_up" = true ]; then
  step "Celery worker and beat"
  # One local worker takes every queue (labs, grades, email, default); production runs a
  # worker per queue (README, "Workers and queues"). The log is appended to, never truncated.
  "$PY" -m celery -A lms worker -B -l info -Q labs,grades,email,default \
    --schedule "$VENV/celerybeat-schedule" >>"$ROOT/celery.log" 2>&1 &
  worker_pid=$!
  note "running in the background (pid $worker_pid), log in celery.log"
fi

step "Web server"
note "Open http://127.0.0.1:$PORT/ (the demo logins are printed above; admin at /admin/)."
note "Press Ctrl-C to stop."
if [ "$("$PY" scripts/preflight.py debug)" = true ]; then
  "$PY" manage.py runserver "127.0.0.1:$PORT"
else
  BIND="127.0.0.1:$PORT" "$PY" -m gunicorn -c gunicorn.conf.py lms.wsgi
fi
