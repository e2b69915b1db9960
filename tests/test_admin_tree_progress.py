"""Staff changing the syllabus in the admin, as they would in the browser: moving, publishing
and deleting modules, moving and deleting items, each brings the learners' module progress
in line in the same request (the staff layer's tree writes)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.progress.services import content_complete
from assessments.tests import trees
from assessments.tests.trees import recorded
from catalog.tests.tenants import build_tenants

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def world(db, settings, client):
    """
    root
     ├─ A: A1: a (done), A2: b
     └─ B: B1: c
    The student of offering a1 has completed a: A1 100 %, A 50 %, root 33.33 %.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    tenants = build_tenants()
    root = trees.root(tenants.course_a1)
    m = {"A": trees.module(root, "A"), "B": trees.module(root, "B")}
    for unit, lesson in (("A", "A1"), ("A", "A2"), ("B", "B1")):
        m[lesson] = trees.module(m[unit], lesson, module_type="lesson")
    items = {
        key: trees.item(m[lesson], key) for key, lesson in (("a", "A1"), ("b", "A2"), ("c", "B1"))
    }
    student = tenants.enrollments["a1"].user
    content_complete(user=student, offering=tenants.offering_a1, item_id=items["a"].pk)
    assert recorded(student) == {
        "A1": (Decimal("100.00"), True),
        "A": (Decimal("50.00"), False),
        "root": (Decimal("33.33"), False),
    }
    client.force_login(tenants.user("instructor"))
    return student, m, items


def test_moving_a_module_in_the_admin_recomputes_progress(client, world):
    student, m, _items = world
    url = reverse("admin:syllabus_module_move", args=[m["A1"].pk])
    response = client.post(url, {"parent": m["B"].pk, "position": ""}, **JSON)
    assert response.status_code == 200, response.content
    assert recorded(student) == {
        "A1": (Decimal("100.00"), True),
        "A": (Decimal("0.00"), False),  # b
        "B": (Decimal("50.00"), False),  # a of c, a
        "root": (Decimal("33.33"), False),
    }


def test_unpublishing_a_module_in_the_admin_recomputes_progress(client, world):
    student, m, _items = world
    url = reverse("admin:syllabus_module_publish", args=[m["A2"].pk])
    response = client.post(url, {"is_published": "false"}, **JSON)
    assert response.status_code == 200, response.content
    assert recorded(student) == {
        "A1": (Decimal("100.00"), True),
        "A": (Decimal("100.00"), True),  # a of a
        "root": (Decimal("50.00"), False),  # a of a, c
    }


def test_deleting_a_module_in_the_admin_recomputes_progress(client, world):
    student, m, _items = world
    url = reverse("admin:syllabus_module_delete", args=[m["B"].pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert recorded(student) == {
        "A1": (Decimal("100.00"), True),
        "A": (Decimal("50.00"), False),
        "root": (Decimal("50.00"), False),  # a of a, b
    }


def test_moving_and_deleting_items_in_the_admin_recomputes_progress(client, world):
    student, m, items = world
    url = reverse("admin:content_contentitem_move", args=[items["c"].pk])
    response = client.post(url, {"module": m["A2"].pk, "position": ""}, **JSON)
    assert response.status_code == 200, response.content
    assert recorded(student)["A"] == (Decimal("33.33"), False)  # a of a, b, c
    delete = reverse("admin:content_textitem_delete", args=[items["b"].pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert recorded(student) == {
        "A1": (Decimal("100.00"), True),
        "A": (Decimal("50.00"), False),  # a of a, c
        "root": (Decimal("50.00"), False),
    }
