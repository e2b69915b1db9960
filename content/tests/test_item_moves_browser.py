"""An instructor in Chromium reorders content items on the module tree: drags one before
another in its module, drops one on another module, and uses the arrow buttons."""

import pytest
from django.urls import reverse

from catalog.tests.tenants import build_tenants
from content.tests.test_item_moves import add_items, assert_items_consistent, order
from syllabus.tests.browser import log_in
from syllabus.tests.test_admin_tree import build_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def item_titles(page, module_id):
    links = page.locator(f"#module-{module_id} > .node-items .item-row > a")
    return [text.split(" · ")[0] for text in links.all_inner_texts()]


def test_instructor_drags_items_within_and_between_modules(page, live_server, screenshot, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    tenants = build_tenants()
    _root, m = build_tree(tenants.course_a1, units=2, lessons=1)
    a, b, c = add_items(m["A1"], "Notes", "Worked example", "Summary")
    add_items(m["B1"], "Reading")
    log_in(page, live_server, tenants.user("instructor"))
    page.goto(reverse("admin:syllabus_module_tree", args=[tenants.course_a1.pk]))
    assert item_titles(page, m["A1"].pk) == ["Notes", "Worked example", "Summary"]

    # Summary dropped on the upper half of Notes: first.
    with page.expect_navigation():
        page.drag_and_drop(
            f"#item-{c.pk} .drag-handle", f"#item-{a.pk}", target_position={"x": 60, "y": 2}
        )
    assert item_titles(page, m["A1"].pk) == ["Summary", "Notes", "Worked example"]

    # Worked example dropped on lesson B1's row: last in B1.
    with page.expect_navigation():
        page.drag_and_drop(f"#item-{b.pk} .drag-handle", f"#module-{m['B1'].pk} > .node-row")
    assert item_titles(page, m["B1"].pk) == ["Reading", "Worked example"]

    # From the keyboard: Notes up.
    page.get_by_role("button", name="Move up: Notes · Text").click()
    page.wait_for_url("**#item-*")
    assert item_titles(page, m["A1"].pk) == ["Notes", "Summary"]
    screenshot("authoring-tree-items-moved")

    assert order(m["A1"]) == [("Notes", 1), ("Summary", 2)]
    assert order(m["B1"]) == [("Reading", 1), ("Worked example", 2)]
    assert_items_consistent(tenants.course_a1.pk)
