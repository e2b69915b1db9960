"""Whether a migrated database keeps the data contract in contract/schema.sql.

The contract is what universities' tools and reports rely on: every table and column it declares
(type, NULL or NOT NULL, default), every index (unique ones with the same columns, plain ones
covered by an index starting with its columns), every foreign key (its target and ON DELETE),
every CHECK, and every enumerated type's values (as the type itself or as a CHECK listing
them). The migrated database may hold more (Django's own tables, extra columns and indexes).

    python -m contract.conformance postgresql://postgres@127.0.0.1:5432/lms

loads the contract into a scratch database beside the target (<target>_contract, dropped
afterwards), reads both catalogs, prints each broken promise and a summary line, and exits 1 if
any is broken.
"""

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

CONTRACT = Path(__file__).resolve().parent / "schema.sql"
ON_DELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

_COLUMNS = """
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       CASE WHEN a.attidentity <> '' THEN 'identity' ELSE pg_get_expr(d.adbin, d.adrelid) END
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid AND c.relkind = 'r'
JOIN pg_namespace s ON s.oid = c.relnamespace AND s.nspname = 'public'
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped
"""
_INDEXES = """
SELECT t.relname, x.indisunique, m.amname, pg_get_indexdef(x.indexrelid)
FROM pg_index x
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_am m ON m.oid = i.relam
JOIN pg_namespace s ON s.oid = t.relnamespace AND s.nspname = 'public'
"""
_FOREIGN_KEYS = """
SELECT c.relname,
       ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = k.conrelid
             AND attnum = ANY(k.conkey) ORDER BY attnum),
       r.relname, k.confdeltype
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_class r ON r.oid = k.confrelid
JOIN pg_namespace s ON s.oid = c.relnamespace AND s.nspname = 'public'
WHERE k.contype = 'f'
"""
_CHECKS = """
SELECT c.relname, pg_get_constraintdef(k.oid)
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace s ON s.oid = c.relnamespace AND s.nspname = 'public'
WHERE k.contype = 'c'
"""
_ENUMS = """
SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)
FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid GROUP BY t.typname
"""


@dataclass
class Catalog:
    columns: dict[tuple[str, str], tuple[str, bool, str | None]]
    indexes: set[tuple[str, bool, str, str]]
    foreign_keys: dict[tuple[str, tuple[str, ...]], tuple[str, str]]
    checks: dict[str, set[str]]
    enums: dict[str, list[str]]

    @classmethod
    def read(cls, conn: psycopg.Connection) -> "Catalog":
        checks: dict[str, set[str]] = {}
        for table, definition in conn.execute(_CHECKS):
            checks.setdefault(table, set()).add(_bare(definition))
        return cls(
            columns={(t, c): (typ, notnull, d) for t, c, typ, notnull, d in conn.execute(_COLUMNS)},
            indexes={
                (t, unique, method, _index_keys(definition))
                for t, unique, method, definition in conn.execute(_INDEXES)
            },
            foreign_keys={
                (t, tuple(cols)): (target, action)
                for t, cols, target, action in conn.execute(_FOREIGN_KEYS)
            },
            checks=checks,
            enums=dict(conn.execute(_ENUMS).fetchall()),
        )


def _bare(text: str) -> str:
    """An expression without case, quotes, casts, brackets or spaces, for comparing."""
    text = re.sub(r"::[a-z_ ]+(\[\])?", "", text.lower().replace('"', ""))
    return re.sub(r"[\s()]", "", text)


def _index_keys(definition: str) -> str:
    """`columns|predicate` of an index definition, bare."""
    head, _, predicate = definition.partition(" WHERE ")
    keys = re.search(r"USING \w+ \((.*)\)", head)
    columns = _bare(keys.group(1) if keys else head)
    return f"{columns}|{_bare(predicate)}" if predicate else columns


def _default(value: str | None) -> str | None:
    if value is None:
        return None
    value = re.sub(r"::[a-z_ ]+(\(\d+\))?", "", value.lower()).strip("() ")
    if value in {"now", "current_timestamp", "statement_timestamp", "transaction_timestamp"}:
        return "now"
    if value.startswith("nextval(") or value == "identity":
        return "numbered"
    return value.replace("0.0", "0")


@dataclass
class Report:
    kept: int = 0
    broken: list[str] = field(default_factory=list)

    def promise(self, kept: bool, message: str) -> None:
        if kept:
            self.kept += 1
        else:
            self.broken.append(message)

    @property
    def total(self) -> int:
        return self.kept + len(self.broken)


def compare(contract: Catalog, target: Catalog) -> Report:
    report = Report()
    for table in sorted({t for t, _ in contract.columns}):
        report.promise(any(t == table for t, _ in target.columns), f"table {table}: missing")
    for (table, column), (typ, notnull, default) in sorted(contract.columns.items()):
        where = f"{table}.{column}"
        got = target.columns.get((table, column))
        if got is None:
            report.promise(False, f"column {where}: missing")
            continue
        if typ in contract.enums:
            labels = contract.enums[typ]
            as_type = got[0] == typ and target.enums.get(typ) == labels
            as_check = any(
                column in check and all(f"'{label}'" in check for label in labels)
                for check in target.checks.get(table, set())
            )
            report.promise(as_type or as_check, f"column {where}: values {labels} not enforced")
        else:
            report.promise(got[0] == typ, f"column {where}: type {got[0]}, expected {typ}")
        report.promise(
            got[1] == notnull, f"column {where}: NOT NULL is {got[1]}, expected {notnull}"
        )
        if default is not None:
            report.promise(
                _default(got[2]) == _default(default),
                f"column {where}: default {got[2]}, expected {default}",
            )
    for table, unique, method, keys in sorted(contract.indexes):
        if unique:
            kept = (table, True, method, keys) in target.indexes
        else:
            columns = keys.split("|")[0]
            kept = any(
                t == table and m == method and (k.split("|")[0] + ",").startswith(columns + ",")
                for t, _u, m, k in target.indexes
            )
        kind = "unique index" if unique else "index"
        report.promise(kept, f"{kind} on {table} ({keys}) using {method}: missing")
    for (table, columns), (ref_table, action) in sorted(contract.foreign_keys.items()):
        got = target.foreign_keys.get((table, columns))
        where = f"foreign key {table}({', '.join(columns)})"
        if got is None:
            report.promise(False, f"{where} -> {ref_table}: missing")
            continue
        report.promise(got[0] == ref_table, f"{where}: references {got[0]}, expected {ref_table}")
        report.promise(
            got[1] == action,
            f"{where}: ON DELETE {ON_DELETE[got[1]]}, expected {ON_DELETE[action]}",
        )
    for table, checks in sorted(contract.checks.items()):
        for check in sorted(checks):
            report.promise(check in target.checks.get(table, set()), f"check on {table}: {check}")
    return report


def check(database_url: str) -> Report:
    """Compare the database at `database_url` with the contract."""
    scratch = f"{psycopg.conninfo.conninfo_to_dict(database_url)['dbname']}_contract"
    admin = psycopg.conninfo.make_conninfo(database_url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        scratch_url = psycopg.conninfo.make_conninfo(database_url, dbname=scratch)
        with psycopg.connect(scratch_url, autocommit=True) as conn:
            conn.execute(CONTRACT.read_text())
            contract = Catalog.read(conn)
        with psycopg.connect(database_url) as conn:
            target = Catalog.read(conn)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
    return compare(contract, target)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    report = check(argv[0])
    for line in report.broken:
        print(line)
    print(f"data contract: {report.kept}/{report.total} promises kept")
    return 1 if report.broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
