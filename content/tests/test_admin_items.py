"""Authoring content in the admin: typed editors saved through the services, previews as a
student, templates, copies and the asset library; other tenants get a 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from catalog.tests.tenants import build_tenants
from content.copying import syllabus_copy
from content.models import ITEM_CLASSES, Asset, ContentItem
from content.services import content_item_create
from content.tests.factories import AssetFactory
from content.tests.test_admin_services import media, png_bytes, tree_shape  # noqa: F401
from content.tests.test_models import VALID
from syllabus.models import Module, ModuleTemplate
from syllabus.services import module_set_published
from syllabus.tests.test_admin_tree import build_tree
from syllabus.tests.test_services import assert_tree_consistent, titles


@pytest.fixture
def tenants(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()


@pytest.fixture
def tree(tenants):
    root, m = build_tree(tenants.course_a1)
    for module in Module.objects.filter(course=tenants.course_a1):
        module_set_published(module=module, is_published=True)
    return root, m


def login(client, tenants, role):
    client.force_login(tenants.user(role))
    return client


def text_post(module, blocks, **extra):
    data = {
        "module": module.pk,
        "title": "Slopes",
        "description": "",
        "estimated_duration_seconds": "",
        "is_active": "on",
        "subtitle": "",
        "blocks-TOTAL_FORMS": str(len(blocks)),
        "blocks-INITIAL_FORMS": "0",
        "blocks-MIN_NUM_FORMS": "1",
        "blocks-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for i, block in enumerate(blocks):
        data.update({f"blocks-{i}-{k}": v for k, v in block.items()})
        data[f"blocks-{i}-ORDER"] = str(i + 1)
    return data


def test_an_instructor_adds_a_text_with_math_through_the_typed_editor(client, tenants, tree):
    _root, m = tree
    login(client, tenants, "instructor")
    add_url = reverse("admin:content_textitem_add")
    page = client.get(add_url, {"module": m["A1"].pk})
    assert page.status_code == 200
    assert b'name="blocks-TOTAL_FORMS"' in page.content
    response = client.post(
        add_url,
        text_post(
            m["A1"],
            [
                {"type": "paragraph", "text": "The slope is"},
                {"type": "math", "latex": r"\frac{dy}{dx}", "display": "on"},
            ],
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = ContentItem.objects.get(title="Slopes")
    assert type(item).__name__ == "TextItem"
    assert (item.course_id, item.university_id, item.sequence_index) == (
        tenants.course_a1.pk,
        tenants.university_a.pk,
        1,
    )
    assert item.data_json == {
        "layout": "rich_text_v1",
        "blocks": [
            {"type": "paragraph", "text": "The slope is"},
            {"type": "math", "latex": r"\frac{dy}{dx}", "display": True},
        ],
    }
    change = client.get(reverse("admin:content_textitem_change", args=[item.pk]))
    assert change.status_code == 200
    assert b"Preview as student" in change.content


def test_bad_math_is_a_row_error_and_nothing_is_saved(client, tenants, tree):
    _root, m = tree
    login(client, tenants, "instructor")
    response = client.post(
        reverse("admin:content_textitem_add"),
        text_post(m["A1"], [{"type": "math", "latex": r"\frac{1}{", "display": "on"}]),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.formsets["blocks"].forms[0].errors["latex"] == [
        "This formula cannot be displayed; check the LaTeX."
    ]
    assert b"This formula cannot be displayed; check the LaTeX." in response.content
    assert ContentItem.objects.count() == 0


def assert_authoring_refused(client, course, m) -> None:
    """Every authoring page and endpoint of the course's items is a 404 and changes nothing."""
    item, _ = content_item_create(
        module=m["A1"], content_type="text", title="T", data_json=VALID["text"]
    )
    before = tree_shape(course.pk)
    for url in (
        reverse("admin:content_textitem_change", args=[item.pk]),
        reverse("admin:content_contentitem_change", args=[item.pk]),
        reverse("admin:content_contentitem_preview", args=[item.pk]),
        reverse("admin:syllabus_module_preview", args=[m["A"].pk]),
        reverse("admin:syllabus_module_from_template", args=[m["A"].pk]),
        reverse("admin:syllabus_module_copy", args=[course.pk]),
    ):
        assert client.get(url).status_code == 404, url
    template = ModuleTemplate.objects.create(template_type="unit", title="T", default_data={})
    from_template = reverse("admin:syllabus_module_from_template", args=[m["A"].pk])
    assert client.post(from_template, {"template": template.pk}).status_code == 404
    response = client.post(
        reverse("admin:content_textitem_change", args=[item.pk]), {"title": "Hacked"}
    )
    assert response.status_code == 404
    assert tree_shape(course.pk) == before


@pytest.mark.parametrize("role", ["instructor_b", "university_admin_b"])
def test_other_universities_get_404_on_items_previews_and_endpoints(client, tenants, tree, role):
    _root, m = tree
    login(client, tenants, role)
    assert_authoring_refused(client, tenants.course_a1, m)


@pytest.mark.parametrize("role", ["department_admin", "instructor", "ta"])
def test_staff_of_another_department_or_course_get_404_on_its_authoring(client, tenants, role):
    """Staff of department A1 (and the teachers of course a1) cannot author course a2 of
    department A2 of the same university."""
    _root, m = build_tree(tenants.course_a2)
    login(client, tenants, role)
    assert_authoring_refused(client, tenants.course_a2, m)


def test_the_item_list_is_scoped_and_opens_the_typed_editor(client, tenants, tree):
    _root, m = tree
    mine, _ = content_item_create(
        module=m["A1"], content_type="video", title="V", data_json=VALID["video"]
    )
    other_root, _ = build_tree(tenants.course_b1, units=1, lessons=0)
    content_item_create(
        module=other_root, content_type="video", title="W", data_json=VALID["video"]
    )
    login(client, tenants, "instructor")
    response = client.get(reverse("admin:content_contentitem_changelist"))
    assert [i.title for i in response.context["cl"].result_list] == ["V"]
    response = client.get(reverse("admin:content_contentitem_change", args=[mine.pk]))
    assert response["Location"] == reverse("admin:content_videoitem_change", args=[mine.pk])


def test_math_preview_renders_mathml_or_says_it_cannot(client, tenants):
    login(client, tenants, "instructor")
    url = reverse("admin:content_contentitem_math_preview")
    reply = client.post(url, {"latex": "x^2", "display": "true"}).json()
    assert reply["ok"] is True and reply["html"].startswith("<math") and "<msup>" in reply["html"]
    reply = client.post(url, {"latex": r"\frac{1}{"}).json()
    assert reply == {"ok": False, "message": "This formula cannot be displayed."}
    assert client.get(url).status_code == 405


def test_instantiating_a_template_under_a_chosen_parent(client, tenants, tree):
    _root, m = tree
    template = ModuleTemplate.objects.create(
        template_type="unit",
        title="Lab week",
        default_data={
            "children": [
                {
                    "module_type": "lesson",
                    "title": "Prepare",
                    "content": [
                        {"content_type": "text", "title": "Read", "data_json": VALID["text"]}
                    ],
                },
                {"module_type": "lab", "title": "Do"},
            ]
        },
    )
    login(client, tenants, "instructor")
    url = reverse("admin:syllabus_module_from_template", args=[m["B"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"template": template.pk, "title": "Week 5"})
    assert response.status_code == 302
    assert titles(m["B"]) == ["B1", "B2", "B3", "Week 5"]
    week = Module.objects.get(title="Week 5")
    assert titles(week) == ["Prepare", "Do"]
    assert ContentItem.objects.get(title="Read").module.title == "Prepare"
    assert_tree_consistent(tenants.course_a1.pk)


def test_saving_a_subtree_as_template_from_the_changelist(client, tenants, tree):
    _root, m = tree
    content_item_create(module=m["A1"], content_type="text", title="Intro", data_json=VALID["text"])
    login(client, tenants, "instructor")
    changelist = reverse("admin:syllabus_module_changelist")
    form = client.post(changelist, {"action": "save_as_template", "_selected_action": [m["A"].pk]})
    assert form.status_code == 200 and b"Save template" in form.content
    response = client.post(
        changelist,
        {
            "action": "save_as_template",
            "_selected_action": [m["A"].pk],
            "apply": "1",
            "title": "Unit layout",
            "description": "",
        },
    )
    assert response.status_code == 302
    template = ModuleTemplate.objects.get(title="Unit layout")
    assert [c["title"] for c in template.default_data["children"]] == ["A1", "A2", "A3"]
    assert template.default_data["children"][0]["content"][0]["title"] == "Intro"


def test_copy_needs_no_admin_view_to_be_exact(tenants, tree):
    syllabus_copy(source_course=tenants.course_a1, target_course=tenants.course_a2)
    assert tree_shape(tenants.course_a2.pk) == tree_shape(tenants.course_a1.pk)


def test_asset_library_upload_search_and_scoping(client, tenants, media):  # noqa: F811
    login(client, tenants, "instructor")
    response = client.post(
        reverse("admin:content_asset_add"),
        {
            "file": SimpleUploadedFile("graph.png", png_bytes((400, 200)), "image/png"),
            "university": tenants.university_a.pk,
            "title": "Graph",
            "alt": "A rising line",
            "licence": "CC-BY-4.0",
        },
    )
    assert response.status_code == 302
    asset = Asset.objects.get()
    assert asset.university_id == tenants.university_a.pk
    assert asset.meta_json["width"] == 400 and asset.meta_json["alt"] == "A rising line"
    foreign = AssetFactory(university=tenants.university_b, meta_json={"alt": "rising"})
    changelist = reverse("admin:content_asset_changelist")
    found = client.get(changelist, {"q": "rising"}).context["cl"].result_list
    assert list(found) == [asset]
    found = client.get(changelist, {"licence": "CC-BY-4.0", "asset_type": "image"})
    assert list(found.context["cl"].result_list) == [asset]
    assert client.get(reverse("admin:content_asset_change", args=[foreign.pk])).status_code == 404
    refused = client.post(
        reverse("admin:content_asset_add"),
        {
            "file": SimpleUploadedFile("x.png", b"\x89PNG no", "image/png"),
            "university": tenants.university_a.pk,
        },
    )
    assert refused.status_code == 302
    assert Asset.objects.filter(university=tenants.university_a).count() == 1
    response = client.post(
        reverse("admin:content_asset_add"),
        {
            "file": SimpleUploadedFile("y.pdf", b"%PDF-1.4", "application/pdf"),
            "university": tenants.university_b.pk,
        },
    )
    assert response.status_code == 200
    assert Asset.objects.count() == 2


def formset_rows(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
        data[f"{prefix}-{i}-ORDER"] = str(i + 1)
    return data


# One wrong submission per content type through its admin editor: (fields, the field or the
# formset row that must carry the message, the message).
ADMIN_BAD_INPUT = {
    "video": (
        {"provider": "youtube", "url": "javascript:alert(1)"},
        "url",
        "Give an address starting with https:// or http://, or a path starting with /.",
    ),
    "quiz": (
        {"question_pool_id": "0", "quiz_mode": "exam", "num_questions_per_attempt": "5"},
        "question_pool_id",
        "Choose one of this course's question pools.",
    ),
    "engineering_lab": (
        {
            "runtime": "python",
            "container_image": "Not An Image!",
            "timeout_seconds": "60",
            "grading_type": "manual",
            "grading_max_points": "10",
            **formset_rows("files", [{"path": "main.py", "role": "student_visible"}]),
        },
        "container_image",
        "Like registry.example.edu/labs/python:3.12.",
    ),
    "text": (
        formset_rows("blocks", [{"type": "paragraph", "text": ""}]),
        ("blocks", "text"),
        "This block needs this.",
    ),
    "assignment": (
        {"instructions": "", "max_points": "10"},
        "instructions",
        "This field is required.",
    ),
    "resource": (
        formset_rows(
            "resources", [{"label": "Notes", "url": "javascript:alert(1)", "kind": "pdf"}]
        ),
        ("resources", "url"),
        "Give an address starting with https:// or http://, or a path starting with /.",
    ),
}


@pytest.mark.parametrize("content_type", sorted(ADMIN_BAD_INPUT))
def test_every_admin_editor_refuses_a_wrong_payload_on_its_field(
    client, tenants, tree, content_type
):
    _root, m = tree
    fields, where, message = ADMIN_BAD_INPUT[content_type]
    login(client, tenants, "instructor")
    model_name = ITEM_CLASSES[content_type]._meta.model_name
    data = {"module": m["A1"].pk, "title": "Wrong", "is_active": "on", **fields}
    response = client.post(reverse(f"admin:content_{model_name}_add"), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    if isinstance(where, tuple):
        formset, field = where
        errors = form.formsets[formset].forms[0].errors[field]
    else:
        errors = form.errors[where]
    assert any(message in error for error in errors), form.errors
    assert escape(message) in response.content.decode()
    assert ContentItem.objects.count() == 0


def test_deleting_items_in_the_admin_closes_the_gap_in_their_module(client, tenants, tree):
    _root, m = tree
    a, b, _c, _d = (
        content_item_create(
            module=m["A1"], content_type="video", title=title, data_json=VALID["video"]
        )[0]
        for title in "abcd"
    )
    login(client, tenants, "instructor")
    delete = reverse("admin:content_videoitem_delete", args=[b.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    response = client.post(
        reverse("admin:content_contentitem_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk], "post": "yes"},
    )
    assert response.status_code == 302
    left = ContentItem.objects.filter(module=m["A1"]).order_by("sequence_index")
    assert list(left.values_list("title", "sequence_index")) == [("c", 1), ("d", 2)]
