"""A module template's layout edited as indented text: parsed with line-numbered errors that
change nothing, round-tripped (payloads saved from a subtree survive an edit), and usable to
build modules, with stubs written as text becoming inactive drafts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.tests.tenants import build_tenants
from content.layouts import layout_from_text, layout_to_text
from content.models import ContentItem
from content.payloads import payload_errors
from content.services import module_from_template, template_from_subtree
from content.tests.test_admin_services import build_syllabus
from content.types import DRAFT_PAYLOADS
from syllabus.models import Module, ModuleTemplate
from syllabus.services import course_root

TEXT = """\
module unit: Week 1
  item text: Welcome
  module lesson: Forces
    item video: Lecture
    item quiz: Check yourself

  # a comment
  module: Energy
item resource: Reading list
"""

LAYOUT = {
    "children": [
        {
            "module_type": "unit",
            "title": "Week 1",
            "content": [{"content_type": "text", "title": "Welcome"}],
            "children": [
                {
                    "module_type": "lesson",
                    "title": "Forces",
                    "content": [
                        {"content_type": "video", "title": "Lecture"},
                        {"content_type": "quiz", "title": "Check yourself"},
                    ],
                    "children": [],
                },
                {"module_type": "lesson", "title": "Energy", "content": [], "children": []},
            ],
        }
    ],
    "content": [{"content_type": "resource", "title": "Reading list"}],
}


@pytest.fixture
def tenants(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()


def test_text_parses_to_the_layout_and_back():
    assert layout_from_text(TEXT) == LAYOUT
    assert layout_to_text(LAYOUT) == (
        "item resource: Reading list\n"
        "module unit: Week 1\n"
        "  item text: Welcome\n"
        "  module lesson: Forces\n"
        "    item video: Lecture\n"
        "    item quiz: Check yourself\n"
        "  module lesson: Energy"
    )
    assert layout_from_text(layout_to_text(LAYOUT)) == LAYOUT
    assert layout_from_text("") == {"children": [], "content": []}


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("unit: Week 1", ["Line 1: start with “module <type>: Title” or “item <type>: Title”."]),
        (
            "item podcast: Talk",
            [
                "Line 1: “podcast” is not a content type; use one of video, "
                "quiz, engineering_lab, text, assignment, resource."
            ],
        ),
        (
            "item: Talk",
            [
                "Line 1: “” is not a content type; use one of video, quiz, "
                "engineering_lab, text, assignment, resource."
            ],
        ),
        (
            "module course_root: Top",
            [
                "Line 1: “course_root” is not a module type; use one of "
                "unit, chapter, lesson, topic, section, lab, quiz, other."
            ],
        ),
        ("module unit:   ", ["Line 1: give a title after the colon."]),
        (f"item text: {'x' * 256}", ["Line 1: titles have at most 255 characters."]),
        (
            "item text: A\n  item text: B",
            ["Line 2: is indented under an item; only modules contain other lines."],
        ),
        (
            "module unit: A\n    item text: B\n  item text: C",
            ["Line 3: its indentation matches none of the lines above it."],
        ),
        ("module unit: A\n\titem text: B", ["Line 2: indent with spaces, not tabs."]),
        (
            "module unit: A\n  item text: ok\nnonsense\nitem blog: x",
            [
                "Line 3: start with “module <type>: Title” or “item <type>: Title”.",
                "Line 4: “blog” is not a content type; use one of video, quiz, engineering_lab, "
                "text, assignment, resource.",
            ],
        ),
    ],
)
def test_bad_lines_are_reported_by_number(text, errors):
    with pytest.raises(ValidationError) as caught:
        layout_from_text(text)
    assert caught.value.messages == errors


def test_draft_payloads_are_valid_for_their_type():
    assert {kind: payload_errors(kind, data) for kind, data in DRAFT_PAYLOADS.items()} == {
        kind: [] for kind in DRAFT_PAYLOADS
    }


def test_a_layout_saved_from_a_subtree_round_trips_through_the_text(tenants):
    _root, units = build_syllabus(tenants.course_a1)[:2]
    template = template_from_subtree(module=units[0])
    saved = template.default_data
    assert any(stub.get("data_json") for stub in saved["children"][0]["content"])
    text = layout_to_text(saved)
    assert layout_from_text(text, previous=saved) == saved


def admin_data(template_type="unit", layout=TEXT, **extra):
    return {
        "title": "Weekly unit",
        "template_type": template_type,
        "description": "",
        "layout": layout,
        **extra,
    }


def test_staff_add_a_template_by_writing_its_layout(client, tenants):
    client.force_login(tenants.user("instructor"))
    url = reverse("admin:syllabus_moduletemplate_add")
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="layout"' in page.content.decode()
    assert "course_root" not in dict(page.context["adminform"].form.fields["template_type"].choices)
    response = client.post(url, admin_data())
    assert response.status_code == 302
    template = ModuleTemplate.objects.get(title="Weekly unit")
    assert template.default_data == LAYOUT


def test_bad_layout_text_gets_line_errors_and_changes_nothing(client, tenants):
    template = ModuleTemplate.objects.create(
        title="Kept", template_type="unit", default_data=LAYOUT
    )
    client.force_login(tenants.user("platform_admin"))
    url = reverse("admin:syllabus_moduletemplate_change", args=[template.pk])
    response = client.post(url, admin_data(layout="module unit: A\n  item essay: B", title="New"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "layout": [
            "Line 2: “essay” is not a content type; use one of video, quiz, engineering_lab, "
            "text, assignment, resource."
        ]
    }
    template.refresh_from_db()
    assert (template.title, template.default_data) == ("Kept", LAYOUT)
    count = ModuleTemplate.objects.count()
    client.post(reverse("admin:syllabus_moduletemplate_add"), admin_data(layout="oops"))
    assert ModuleTemplate.objects.count() == count


def test_editing_the_text_keeps_the_payloads_of_unchanged_lines(client, tenants):
    _root, units = build_syllabus(tenants.course_a1)[:2]
    template = template_from_subtree(module=units[0])
    before = template.default_data
    client.force_login(tenants.user("platform_admin"))
    url = reverse("admin:syllabus_moduletemplate_change", args=[template.pk])
    text = client.get(url).context["adminform"].form.initial["layout"]
    assert text == layout_to_text(before)

    # Unchanged text: the very same layout.
    assert client.post(url, admin_data(layout=text, title=template.title)).status_code == 302
    template.refresh_from_db()
    assert template.default_data == before

    # A new item line: the others keep their payloads, the new one has none.
    first = before["children"][0]
    added = text.replace(
        f"module {first['module_type']}: {first['title']}",
        f"module {first['module_type']}: {first['title']}\n  item assignment: Homework",
        1,
    )
    assert client.post(url, admin_data(layout=added, title=template.title)).status_code == 302
    template.refresh_from_db()
    stubs = template.default_data["children"][0]["content"]
    assert stubs[0] == {"content_type": "assignment", "title": "Homework"}
    assert stubs[1:] == first["content"]


def test_view_only_staff_see_the_layout_as_text(client, tenants):
    template = ModuleTemplate.objects.create(title="T", template_type="unit", default_data=LAYOUT)
    client.force_login(tenants.user("ta"))
    page = client.get(reverse("admin:syllabus_moduletemplate_change", args=[template.pk]))
    assert page.status_code == 200
    assert "  module lesson: Forces" in page.content.decode()


def test_stubs_written_as_text_become_inactive_drafts(tenants):
    template = ModuleTemplate.objects.create(title="T", template_type="unit", default_data=LAYOUT)
    parent = course_root(course=tenants.course_a1)
    made, _ = module_from_template(template=template, parent=parent)
    items = ContentItem.objects.filter(course=tenants.course_a1).order_by(
        "module__lft", "sequence_index"
    )
    assert [(i.module.title, i.title, i.is_active) for i in items] == [
        ("T", "Reading list", False),
        ("Week 1", "Welcome", False),
        ("Forces", "Lecture", False),
        ("Forces", "Check yourself", False),
    ]
    assert items[0].data_json == DRAFT_PAYLOADS["resource"]
    titles = Module.objects.filter(course=tenants.course_a1).order_by("lft")
    assert [m.title for m in titles if m.depth > 1] == ["Week 1", "Forces", "Energy"]
    assert made.title == "T"
