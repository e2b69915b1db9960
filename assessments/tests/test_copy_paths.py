"""Every path that makes items from a template or another course's syllabus goes through
assessments.copying (template_add, course_copy), which points each quiz at a pool of the
target course and holds back labs without their files. The lower steps copy payloads as they
are, question pool ids included, so nothing else in the product calls them."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOWER_STEPS = ("module_from_template", "syllabus_copy", "modules_copy")
# The callers allowed: the sanitising steps themselves and each lower step's next one up.
ALLOWED = {
    "module_from_template": {"assessments/copying.py"},
    "syllabus_copy": {"assessments/copying.py"},
    "modules_copy": {"content/copying.py"},
}


def product_sources() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not {".venv", "tests", "migrations"} & set(path.relative_to(ROOT).parts)
    ]


def test_only_the_sanitising_steps_call_the_lower_copy_steps():
    callers: dict[str, set[str]] = {name: set() for name in LOWER_STEPS}
    for path in product_sources():
        text = path.read_text()
        for name in LOWER_STEPS:
            if re.search(rf"(?<!def ){name}\(", text):
                callers[name].add(path.relative_to(ROOT).as_posix())
    assert callers == ALLOWED
