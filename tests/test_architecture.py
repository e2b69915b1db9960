"""The shape of the codebase that import-linter cannot see: strings that reach up a layer, an
admin replaced from above, modules grown past one concern."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Below the pages, bottom first (lms holds the shared infrastructure).
DOMAIN_APPS = [
    "lms",
    "tenancy",
    "catalog",
    "syllabus",
    "content",
    "assessments",
    "community",
    "interchange",
]
PAGE_NAMESPACES = ("portal", "staff")
# "About 500 lines": past this a module holds more than one concern and is split.
MAX_LINES = 520
# Demo data, not logic: the demo's course texts and phrase lists, the builder of the big demo
# course, and the list of every form field the fuzz tests throw values at; and the settings,
# one module by the framework's convention, each setting with the comment that explains it.
LONG_ON_PURPOSE = {
    "lms/settings.py",
    "demo/catalogue.py",
    "demo/community_phrases.py",
    "demo/scale.py",
    "tests/fuzz_inventory.py",
}


def python_files(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                yield relative, path


def production_files(*folders: str):
    for relative, path in python_files(*folders):
        if "/tests/" not in relative and relative not in ("lms/urls.py", "lms/settings.py"):
            yield relative, path


def string_constants(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_no_app_below_the_pages_names_their_routes(app):
    pattern = re.compile(rf"^({'|'.join(PAGE_NAMESPACES)}):[\w-]+$")
    found = [
        f"{relative}:{line} {value}"
        for relative, path in production_files(app)
        for line, value in string_constants(path)
        if pattern.match(value)
    ]
    assert found == []


def test_every_admin_is_registered_once_without_replacing_another():
    found = [
        f"{relative}:{number}"
        for relative, path in python_files(*DOMAIN_APPS, "portal", "staff")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "admin.site.unregister(" in line
    ]
    assert found == []


def test_modules_stay_small():
    """Tests included: a test module past one concern is split like any other."""
    folders = [*DOMAIN_APPS, "portal", "staff", "demo", "bench", "scripts", "tests", "contract"]
    too_long = {
        relative: length
        for relative, path in python_files(*folders)
        if relative not in LONG_ON_PURPOSE
        and (length := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}


# The only modules that know how the trees are encoded as nested sets (django-mptt's columns);
# everything else asks them. Whole words, so `subtree_ids` and the like are not the columns.
TREE_ENCODING = re.compile(r"\b(lft|rght|tree_id)\b")
TREE_MODULES = {"syllabus/tree.py", "catalog/subject_tree.py"}


def test_only_the_tree_modules_spell_the_nested_set_columns():
    folders = [*DOMAIN_APPS, "portal", "staff", "demo", "bench", "scripts", "contract"]
    found = [
        f"{relative}:{number} {line.strip()}"
        for relative, path in production_files(*folders)
        if relative not in TREE_MODULES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if TREE_ENCODING.search(line)
    ]
    assert found == []


# Hooks into the framework's and Celery's own events (request finished, task published),
# which carry no domain flow: the request context is cleared, task metrics are recorded.
INFRASTRUCTURE_HOOKS = {"lms/apps.py", "lms/observability/worker.py"}


def signal_uses(path: Path):
    """Where a module defines a django.dispatch Signal, decorates a @receiver or connects a
    handler to a signal."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "django.dispatch":
            names = {alias.name for alias in node.names}
            if names & {"Signal", "receiver"}:
                yield node.lineno, f"imports {', '.join(sorted(names))} from django.dispatch"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("connect", "send", "send_robust") and _on_a_signal(node):
                yield node.lineno, f".{node.func.attr}()"
        elif isinstance(node, ast.Attribute) and node.attr == "Signal":
            yield node.lineno, "django.dispatch.Signal"


# Modules whose `connect` opens a database connection rather than connecting a handler.
CONNECTION_MODULES = {"psycopg"}


def _on_a_signal(call: ast.Call) -> bool:
    """`x.connect(handler)` (a handler is always given; a driver's connect is not one), or
    `x.send(sender=...)`."""
    func = call.func
    assert isinstance(func, ast.Attribute)
    if func.attr == "connect":
        driver = isinstance(func.value, ast.Name) and func.value.id in CONNECTION_MODULES
        return bool(call.args) and not driver
    return any(keyword.arg == "sender" for keyword in call.keywords)


def test_no_signals_carry_domain_flow():
    """A write that needs another app's recompute returns what changed and its caller composes
    both (assessments.progress.tree_changes): no Signal, @receiver or connect in production."""
    folders = [*DOMAIN_APPS, "portal", "staff", "demo", "bench", "scripts", "contract"]
    found = [
        f"{relative}:{line} {what}"
        for relative, path in production_files(*folders)
        if relative not in INFRASTRUCTURE_HOOKS
        for line, what in signal_uses(path)
    ]
    assert found == []
