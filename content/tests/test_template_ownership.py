"""Module templates belong to a university (or, with no university, to the whole platform):
staff see and add only their university's and the platform-wide ones, and only platform admins
publish one platform-wide."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse

from content.services import module_from_template, template_from_subtree
from content.tests.test_admin_items import login, tenants, tree  # noqa: F401
from content.tests.test_models import VALID
from syllabus.models import Module, ModuleTemplate
from syllabus.tests.factories import ModuleTemplateFactory
from syllabus.tests.test_services import titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(tenants):  # noqa: F811
    return {
        "a": ModuleTemplateFactory(title="Alpha week", university=tenants.university_a),
        "b": ModuleTemplateFactory(title="Beta week", university=tenants.university_b),
        "shared": ModuleTemplateFactory(title="Platform week", university=None),
    }


def test_a_saved_subtree_belongs_to_the_university_of_its_course(tenants, tree):  # noqa: F811
    _root, m = tree
    template = template_from_subtree(module=m["A"], title="Unit A")
    assert template.university_id == tenants.university_a.pk


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("instructor", ["Alpha week", "Platform week"]),
        ("ta", ["Alpha week", "Platform week"]),
        ("university_admin", ["Alpha week", "Platform week"]),
        ("instructor_b", ["Beta week", "Platform week"]),
        ("platform_admin", ["Alpha week", "Beta week", "Platform week"]),
    ],
)
def test_the_template_list_shows_the_own_university_and_platform_wide(
    client,
    tenants,  # noqa: F811
    templates,
    role,
    expected,
):
    login(client, tenants, role)
    response = client.get(reverse("admin:syllabus_moduletemplate_changelist"))
    assert [t.title for t in response.context["cl"].result_list] == expected


def test_another_universitys_template_is_a_404(client, tenants, templates):  # noqa: F811
    login(client, tenants, "instructor")
    url = reverse("admin:syllabus_moduletemplate_change", args=[templates["b"].pk])
    assert client.get(url).status_code == 404


def test_the_template_choices_under_a_module_are_scoped(client, tenants, tree, templates):  # noqa: F811
    _root, m = tree
    login(client, tenants, "instructor")
    url = reverse("admin:syllabus_module_from_template", args=[m["B"].pk])
    form = client.get(url).context["form"]
    assert [t.title for t in form.fields["template"].queryset] == ["Alpha week", "Platform week"]
    assert [label for _value, label in form.fields["template"].choices][1:] == [
        "Alpha week (Lesson) · Alpha University",
        "Platform week (Lesson) · every university",
    ]
    before = list(Module.objects.order_by("pk").values_list("pk", flat=True))
    response = client.post(url, {"template": templates["b"].pk, "title": ""})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["template"]
    assert list(Module.objects.order_by("pk").values_list("pk", flat=True)) == before
    response = client.post(url, {"template": templates["shared"].pk, "title": ""})
    assert response.status_code == 302
    assert titles(m["B"]) == ["B1", "B2", "B3", "Platform week"]


def test_adding_another_universitys_template_is_refused_by_the_service(tenants, tree, templates):  # noqa: F811
    _root, m = tree
    count = Module.objects.count()
    with pytest.raises(ValidationError) as error:
        module_from_template(template=templates["b"], parent=m["A"])
    assert error.value.message_dict == {
        "template": ["This template belongs to another university."]
    }
    assert Module.objects.count() == count


def test_staff_adding_a_template_in_the_admin_make_one_of_their_university(client, tenants):  # noqa: F811
    login(client, tenants, "instructor")
    url = reverse("admin:syllabus_moduletemplate_add")
    form = client.get(url).context["adminform"].form
    assert "university" not in form.fields
    data = {"title": "Mine", "template_type": "unit", "description": "", "layout": ""}
    assert client.post(url, data).status_code == 302
    assert ModuleTemplate.objects.get(title="Mine").university_id == tenants.university_a.pk


def test_a_platform_admin_adds_a_platform_wide_template(client, tenants):  # noqa: F811
    login(client, tenants, "platform_admin")
    url = reverse("admin:syllabus_moduletemplate_add")
    data = {"title": "Everyone", "template_type": "unit", "description": "", "layout": ""}
    assert client.post(url, {**data, "university": ""}).status_code == 302
    assert ModuleTemplate.objects.get(title="Everyone").university_id is None


def _publish(client, template):
    return client.post(
        reverse("admin:syllabus_moduletemplate_changelist"),
        {"action": "publish_platform_wide", ACTION_CHECKBOX_NAME: [template.pk]},
    )


def test_a_platform_admin_publishes_a_template_platform_wide(client, tenants, templates):  # noqa: F811
    login(client, tenants, "platform_admin")
    assert _publish(client, templates["a"]).status_code == 302
    templates["a"].refresh_from_db()
    assert templates["a"].university_id is None


@pytest.mark.parametrize("role", ["university_admin", "instructor"])
def test_only_platform_admins_publish_platform_wide(client, tenants, templates, role):  # noqa: F811
    login(client, tenants, role)
    page = client.get(reverse("admin:syllabus_moduletemplate_changelist"))
    assert page.status_code == 200
    assert b'value="publish_platform_wide"' not in page.content
    _publish(client, templates["a"])
    templates["a"].refresh_from_db()
    assert templates["a"].university_id == tenants.university_a.pk


def test_a_template_item_from_another_course_keeps_its_payload(tenants, tree):  # noqa: F811
    """Payloads without references to pools or assets come over as they are."""
    _root, m = tree
    template = ModuleTemplateFactory(
        template_type="unit",
        university=tenants.university_a,
        default_data={
            "content": [{"content_type": "text", "title": "Read", "data_json": VALID["text"]}]
        },
    )
    made, _ = module_from_template(template=template, parent=m["C"])
    assert [i.data_json for i in made.content_items.all()] == [VALID["text"]]
