"""An instructor in Chromium: drags modules to new places in the syllabus tree, adds a text with
math through the typed editor (with its live preview), and previews it as a student."""

import pytest
from django.urls import reverse

from catalog.tests.tenants import build_tenants
from content.models import ContentItem
from syllabus.models import Module
from syllabus.tests.browser import log_in
from syllabus.tests.test_admin_tree import build_tree
from syllabus.tests.test_services import assert_tree_consistent, titles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def child_titles(page, module_id):
    return page.locator(f"#module-{module_id} > .module-tree > li > .node-row .node-title")


def test_instructor_drags_modules_and_writes_a_text_with_math(
    page,
    live_server,
    screenshot,
    settings,
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    tenants = build_tenants()
    root, m = build_tree(tenants.course_a1, units=3, lessons=2)
    log_in(page, live_server, tenants.user("instructor"))
    tree_url = reverse("admin:syllabus_module_tree", args=[tenants.course_a1.pk])
    page.goto(tree_url)
    screenshot("authoring-tree-before")
    assert child_titles(page, root.pk).all_inner_texts() == ["A", "B", "C"]

    # Drop C on the upper part of A: before it.
    with page.expect_navigation():
        page.drag_and_drop(
            f"#module-{m['C'].pk} > .node-row .drag-handle",
            f"#module-{m['A'].pk} > .node-row",
            target_position={"x": 200, "y": 3},
        )
    assert child_titles(page, root.pk).all_inner_texts() == ["C", "A", "B"]
    # Drop B1 on the middle of C: inside it, as its last child.
    target = page.locator(f"#module-{m['C'].pk} > .node-row")
    box = target.bounding_box()
    with page.expect_navigation():
        page.drag_and_drop(
            f"#module-{m['B1'].pk} > .node-row .drag-handle",
            f"#module-{m['C'].pk} > .node-row",
            target_position={"x": 200, "y": box["height"] / 2},
        )
    assert child_titles(page, m["C"].pk).all_inner_texts() == ["C1", "C2", "B1"]
    screenshot("authoring-tree-after")
    assert titles(root) == ["C", "A", "B"]
    assert titles(Module.objects.get(pk=m["C"].pk)) == ["C1", "C2", "B1"]
    assert titles(Module.objects.get(pk=m["B"].pk)) == ["B2"]
    assert_tree_consistent(tenants.course_a1.pk)

    # A text item with math, added from the tree.
    row = page.locator(f"#module-{m['A1'].pk} > .node-row")
    row.get_by_text("Add item").click()
    row.get_by_role("link", name="Text", exact=True).click()
    page.get_by_label("Title:").fill("Derivatives")
    page.select_option("select[name=blocks-0-type]", "math")
    page.fill("textarea[name=blocks-0-latex]", r"\frac{d}{dx} x^2 = 2x")
    preview = page.locator(".row-form").first.locator(".math-preview math")
    preview.wait_for()
    assert "2" in preview.text_content()
    page.get_by_role("button", name="Add to blocks").click()
    page.select_option("select[name=blocks-1-type]", "paragraph")
    page.fill("textarea[name=blocks-1-text]", "The power rule says:")
    page.locator(".row-form").nth(1).get_by_role("button", name="Move up").click()
    screenshot("authoring-text-editor")
    page.locator("input[name=_save]").click()
    page.wait_for_url(f"**/syllabus/module/course/{tenants.course_a1.pk}/tree/#item-*")
    item = ContentItem.objects.get(title="Derivatives")
    assert page.url.endswith(f"#item-{item.pk}")
    assert item.module_id == m["A1"].pk
    assert item.data_json == {
        "layout": "rich_text_v1",
        "blocks": [
            {"type": "paragraph", "text": "The power rule says:"},
            {"type": "math", "latex": r"\frac{d}{dx} x^2 = 2x", "display": True},
        ],
    }

    page.goto(reverse("admin:content_contentitem_preview", args=[item.pk]))
    assert page.locator(".item-body math").count() == 1
    assert page.get_by_text("Students cannot see this item yet").count() == 1
    screenshot("authoring-preview-as-student")
