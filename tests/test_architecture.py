"""The shape of the codebase that import-linter cannot see: strings that reach up a layer, an
admin replaced from above, modules grown past one concern."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Below the pages, bottom first (lms holds the shared infrastructure).
DOMAIN_APPS = ["lms", "tenancy", "catalog", "syllabus", "content", "assessments", "community"]
PAGE_NAMESPACES = ("portal", "staff")
# "About 500 lines": past this a module holds more than one concern and is split.
MAX_LINES = 520
# Demo data, not logic: the demo's course texts and phrase lists, the builder of the big demo
# course, and the list of every form field the fuzz tests throw values at.
LONG_ON_PURPOSE = {
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
    folders = [*DOMAIN_APPS, "portal", "staff", "demo", "bench", "scripts", "tests", "contract"]
    too_long = {
        relative: length
        for relative, path in production_files(*folders)
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
