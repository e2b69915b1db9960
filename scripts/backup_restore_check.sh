#!/usr/bin/env bash
# Proves a backup can be restored: pg_dump -Fc of SOURCE, pg_restore into a fresh TARGET, then
# the row count of every table in both must match. Usage:
#   scripts/backup_restore_check.sh SOURCE_DB [TARGET_DB]
# Connection settings come from the usual libpq variables (PGHOST, PGPORT, PGUSER). TARGET_DB
# (default SOURCE_DB_restore_check) is dropped and recreated; the dump file stays in
# BACKUP_DIR (default a temporary directory, removed at the end) for the operator to keep.
set -euo pipefail

source_db="${1:?usage: $0 SOURCE_DB [TARGET_DB]}"
target_db="${2:-${source_db}_restore_check}"
[ "$source_db" != "$target_db" ] || { echo "error: target must differ from source" >&2; exit 2; }
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"

keep_dir="${BACKUP_DIR:-}"
work_dir="${keep_dir:-$(mktemp -d)}"
[ -n "$keep_dir" ] || trap 'rm -rf "$work_dir"' EXIT
dump="$work_dir/$source_db.dump"

counts() {
  # One line per table: schema.table count. count(*) per table, generated from the catalog.
  psql -X -At -d "$1" -c "
    SELECT format('SELECT %L || '' '' || count(*) FROM %I.%I', n.nspname || '.' || c.relname,
                  n.nspname, c.relname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_toast%'
    ORDER BY 1" | psql -X -At -d "$1" | sort
}

pg_dump -Fc --no-owner -d "$source_db" -f "$dump"
echo "dump: $dump ($(stat -c %s "$dump") bytes)"
dropdb --if-exists "$target_db"
createdb "$target_db"
pg_restore --no-owner --exit-on-error -d "$target_db" "$dump"

source_counts="$(counts "$source_db")"
target_counts="$(counts "$target_db")"
tables="$(printf '%s\n' "$source_counts" | grep -c . || true)"
if [ "$source_counts" != "$target_counts" ]; then
  echo "MISMATCH between $source_db and $target_db:" >&2
  diff <(printf '%s\n' "$source_counts") <(printf '%s\n' "$target_counts") >&2 || true
  exit 1
fi
rows="$(printf '%s\n' "$source_counts" | awk '{s += $2} END {print s + 0}')"
echo "restore ok: $tables tables, $rows rows match in $target_db"
