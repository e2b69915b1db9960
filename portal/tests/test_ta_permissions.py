"""Teaching assistants grade, moderate and view; changing a course's structure and policies is
the instructor's. Each forbidden action is a 403 for the TA that changes nothing, and works for
the instructor of the same offering."""

import pytest
from django.urls import reverse

from assessments.grades.models import GradingPolicy
from assessments.labs.models import LabFile
from assessments.progress.tree_changes import tracked
from assessments.tests import test_quiz_pool_picker as quiz_tests
from assessments.tests.lab_data import HIDDEN_TEST, lab_payload
from catalog.models import CourseOffering
from catalog.services.offerings import offering_instructor_add
from catalog.tests.test_offering_forms import offering_data
from content.models import ContentItem
from content.services import content_item_create
from syllabus.models import Module, ModuleTemplate
from syllabus.tests.test_admin_tree import build_tree
from tenancy import auth
from tenancy.models import Role

pytestmark = pytest.mark.django_db

tenants = quiz_tests.tenants  # the two universities of catalog.tests.tenants
client_for = quiz_tests.client_for


@pytest.fixture
def course(tenants):
    """Course a1 (taught by both the instructor and the TA) with a tree, a lab with a hidden
    test file and a grading policy for its offering."""
    _root, modules = build_tree(tenants.course_a1)
    lab = tracked(
        content_item_create,
        module=modules["A1"],
        content_type="engineering_lab",
        title="Lab",
        data_json=lab_payload(),
    )
    hidden = LabFile.objects.create(
        content_item=lab, path="tests/test_hidden.py", content=HIDDEN_TEST
    )
    policy = GradingPolicy.objects.create(course_offering=tenants.offering_a1)
    return {"modules": modules, "lab": lab, "hidden": hidden, "policy": policy}


def delete_subtree(client, course):
    unit = course["modules"]["A"]
    return client.post(reverse("admin:syllabus_module_delete", args=[unit.pk]), {"post": "yes"})


def subtree_left(course) -> int:
    unit_a = [m.pk for name, m in course["modules"].items() if name.startswith("A")]
    return Module.objects.filter(pk__in=unit_a).count()


def edit_policy(client, course):
    policy = course["policy"]
    return client.post(
        reverse("admin:assessments_gradingpolicy_change", args=[policy.pk]),
        {
            "course_offering": policy.course_offering_id,
            "pass_threshold": "10",
            "letter_scheme": '[{"letter": "P", "min": 10}, {"letter": "F", "min": 0}]',
            "weight_quizzes": "100",
            "weight_labs": "0",
            "weight_assignments": "0",
            "quiz_attempt_rule": policy.quiz_attempt_rule,
            "drop_lowest_quizzes": "0",
            "drop_lowest_labs": "0",
            "drop_lowest_assignments": "0",
        },
    )


def policy_threshold(course) -> str:
    return str(GradingPolicy.objects.get(pk=course["policy"].pk).pass_threshold)


def rewrite_hidden_test(client, course):
    hidden = course["hidden"]
    return client.post(
        reverse("admin:assessments_labfile_change", args=[hidden.pk]),
        {
            "content_item": hidden.content_item_id,
            "path": hidden.path,
            "text": "def test_nothing():\n    pass\n",
        },
    )


def hidden_test_text(course) -> bytes:
    return bytes(LabFile.objects.get(pk=course["hidden"].pk).content)


def save_template(client, course):
    unit = course["modules"]["A"]
    return client.post(
        reverse("admin:syllabus_module_changelist"),
        {
            "action": "save_as_template",
            "_selected_action": [unit.pk],
            "apply": "1",
            "title": "Unit template",
            "description": "",
        },
    )


def templates_saved(course) -> int:
    return ModuleTemplate.objects.filter(title="Unit template").count()


def delete_lab(client, course):
    url = reverse("admin:content_engineeringlabitem_delete", args=[course["lab"].pk])
    return client.post(url, {"post": "yes"})


def lab_left(course) -> int:
    return ContentItem.objects.filter(pk=course["lab"].pk).count()


def move_module(client, course):
    unit_c, root = course["modules"]["C"], course["modules"]["A"].parent
    url = reverse("admin:syllabus_module_move", args=[unit_c.pk])
    return client.post(url, {"parent": root.pk, "position": 1}, HTTP_ACCEPT="application/json")


def first_unit(course) -> str:
    return Module.objects.get(parent=course["modules"]["A"].parent_id, sequence_index=1).title


def move_lab(client, course):
    url = reverse("admin:content_contentitem_move", args=[course["lab"].pk])
    target = course["modules"]["B1"]
    return client.post(url, {"module": target.pk, "position": 1}, HTTP_ACCEPT="application/json")


def lab_module(course) -> str:
    return ContentItem.objects.get(pk=course["lab"].pk).module.title


# (what, the request, what to read back, before, after the instructor did it)
ACTIONS = [
    ("delete a module subtree", delete_subtree, subtree_left, 4, 0),
    ("edit the grading policy", edit_policy, policy_threshold, "60.00", "10.00"),
    ("rewrite a hidden lab test", rewrite_hidden_test, hidden_test_text, HIDDEN_TEST, None),
    ("save a subtree as a template", save_template, templates_saved, 0, 1),
    ("delete a lab", delete_lab, lab_left, 1, 0),
    ("move a module", move_module, first_unit, "A", "C"),
    ("move an item", move_lab, lab_module, "A1", "B1"),
]


@pytest.mark.parametrize(
    ("what", "act", "read", "before", "after"), ACTIONS, ids=[a[0] for a in ACTIONS]
)
def test_a_ta_may_not_and_the_instructor_may(tenants, course, what, act, read, before, after):
    response = act(client_for(tenants, "ta"), course)
    assert response.status_code == 403, what
    assert read(course) == before

    response = act(client_for(tenants, "instructor"), course)
    assert response.status_code in (200, 302), what
    expected = after if after is not None else b"def test_nothing():\n    pass\n"
    assert read(course) == expected


def test_a_ta_on_the_staff_through_the_service_may_not_change_the_offering(tenants):
    """Staff added through catalog.services get django-guardian rights on the offering; for a
    TA they stay view-only: capacity, visibility and dates are the instructor's."""
    offering = tenants.offering_a1
    offering_instructor_add(offering=offering, user=tenants.user("ta"))
    url = reverse("admin:catalog_courseoffering_change", args=[offering.pk])
    data = offering_data(offering, capacity=99)
    ta = client_for(tenants, "ta")
    assert ta.get(url).status_code == 200
    assert ta.post(url, data).status_code == 403
    assert CourseOffering.objects.get(pk=offering.pk).capacity is None
    assert client_for(tenants, "instructor").post(url, data).status_code == 302
    assert CourseOffering.objects.get(pk=offering.pk).capacity == 99


def test_a_ta_still_views_what_they_may_not_change(tenants, course):
    ta = client_for(tenants, "ta")
    assert ta.get(reverse("admin:assessments_gradingpolicy_change", args=[course["policy"].pk]))
    page = ta.get(reverse("admin:syllabus_module_tree", args=[tenants.course_a1.pk]))
    assert page.status_code == 200
    assert page.context["can_change"] is False
    lab = ta.get(reverse("admin:content_engineeringlabitem_change", args=[course["lab"].pk]))
    assert lab.status_code == 200
    assert lab.context["has_change_permission"] is False


def test_every_grant_to_tas_in_the_table_is_within_the_ta_rule():
    table = auth.ROLE_PERMISSIONS
    for (app_label, model), actions in table[Role.TA].items():
        assert actions <= auth.ta_allowed_actions(app_label, model), (app_label, model)
    assert table[Role.TA][("assessments", "labsubmission")] == {"view", "change"}
    assert table[Role.TA][("community", "discussionpost")] == {
        "view",
        "change",
        "delete",
    }
    assert table[Role.TA][("assessments", "gradingpolicy")] == {"view"}
    assert table[Role.TA][("syllabus", "module")] == {"view"}
    assert table[Role.TA][("content", "engineeringlabitem")] == {"view"}
