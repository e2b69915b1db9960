"""Reordering content items on the module tree: within a module and between modules of the
course, through content.services.content_item_move, which keeps each module's items numbered
1..n, also with two staff reordering at once; other tenants get a 404 and nothing moves."""

import random

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.tests.factories import CourseFactory
from catalog.tests.tenants import build_tenants
from content.models import ContentItem
from content.services import content_item_create, content_item_move
from content.tests.test_models import VALID
from syllabus.models import Module
from syllabus.services import module_delete
from syllabus.tests.test_admin_tree import build_tree, race
from tenancy.tests.factories import RoleFactory, UserFactory

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def tenants(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()


def add_items(module, *titles):
    return [
        content_item_create(module=module, content_type="text", title=t, data_json=VALID["text"])[0]
        for t in titles
    ]


def placements() -> list[tuple[int, int, int]]:
    return list(ContentItem.objects.order_by("pk").values_list("pk", "module_id", "sequence_index"))


def order(module) -> list[tuple[str, int]]:
    rows = ContentItem.objects.filter(module=module).order_by("sequence_index")
    return list(rows.values_list("title", "sequence_index"))


def assert_items_consistent(course_id: int) -> None:
    """Every module's items are numbered 1..n, and each item is in its module's course."""
    for module in Module.objects.filter(course_id=course_id):
        sequence = list(
            ContentItem.objects.filter(module=module)
            .order_by("sequence_index")
            .values_list("sequence_index", flat=True)
        )
        assert sequence == list(range(1, len(sequence) + 1))
    assert (
        not ContentItem.objects.filter(course_id=course_id)
        .exclude(module__course_id=course_id)
        .exists()
    )


@pytest.fixture
def course_items(tenants):
    _root, m = build_tree(tenants.course_a1, units=2, lessons=1)
    a, b, c = add_items(m["A1"], "a", "b", "c")
    (x,) = add_items(m["B1"], "x")
    return m, {"a": a, "b": b, "c": c, "x": x}


def test_moves_within_a_module_renumber_its_items(course_items):
    m, items = course_items
    content_item_move(item=items["c"], module=m["A1"], position=1)
    assert order(m["A1"]) == [("c", 1), ("a", 2), ("b", 3)]
    content_item_move(item=items["c"], module=m["A1"], position=2)
    assert order(m["A1"]) == [("a", 1), ("c", 2), ("b", 3)]
    moved, _ = content_item_move(item=items["a"], module=m["A1"], position=None)
    assert (moved.sequence_index, type(moved).__name__) == (3, "TextItem")
    assert order(m["A1"]) == [("c", 1), ("b", 2), ("a", 3)]
    content_item_move(item=items["b"], module=m["A1"], position=99)
    assert order(m["A1"]) == [("c", 1), ("a", 2), ("b", 3)]


def test_moves_between_modules_close_the_gap_they_leave(course_items):
    m, items = course_items
    content_item_move(item=items["a"], module=m["B1"], position=1)
    assert order(m["A1"]) == [("b", 1), ("c", 2)]
    assert order(m["B1"]) == [("a", 1), ("x", 2)]
    content_item_move(item=items["c"], module=m["B"], position=None)
    assert order(m["A1"]) == [("b", 1)]
    assert order(m["B"]) == [("c", 1)]
    assert_items_consistent(m["A"].course_id)


def test_gaps_left_by_deleted_items_close_on_the_next_move(course_items):
    m, items = course_items
    items["a"].delete()
    assert order(m["A1"]) == [("b", 2), ("c", 3)]
    content_item_move(item=items["c"], module=m["A1"], position=1)
    assert order(m["A1"]) == [("c", 1), ("b", 2)]


def test_bad_moves_are_refused_and_change_nothing(tenants, course_items):
    m, items = course_items
    _root, other = build_tree(tenants.course_b1, units=1, lessons=1)
    before = placements()
    with pytest.raises(ValidationError) as caught:
        content_item_move(item=items["a"], module=other["A1"], position=1)
    assert caught.value.message_dict == {
        "module": ["An item can only move to a module of its own course."]
    }
    with pytest.raises(ValidationError) as caught:
        content_item_move(item=items["a"], module=m["A1"], position=0)
    assert caught.value.message_dict == {"position": ["Positions start at 1."]}
    assert placements() == before


def test_random_moves_keep_every_module_numbered(tenants):
    _root, m = build_tree(tenants.course_a1, units=3, lessons=3)
    modules = list(Module.objects.filter(course=tenants.course_a1))
    items = [it for module in modules[:4] for it in add_items(module, "p", "q", "r")]
    rng = random.Random(5)
    for _ in range(60):
        item, module = rng.choice(items), rng.choice(modules)
        content_item_move(item=item, module=module, position=rng.choice([None, 1, 2, 3, 5]))
        assert_items_consistent(tenants.course_a1.pk)
    module_delete(module=m["C"])
    assert_items_consistent(tenants.course_a1.pk)


# The endpoint ------------------------------------------------------------------------------


def move(client, item, module, position="", **extra):
    url = reverse("admin:content_contentitem_move", args=[item.pk])
    return client.post(url, {"module": module.pk, "position": position}, **{**JSON, **extra})


@pytest.mark.parametrize("role", ["instructor", "department_admin", "university_admin"])
def test_staff_of_the_course_move_items_through_the_endpoint(client, tenants, course_items, role):
    m, items = course_items
    client.force_login(tenants.user(role))
    response = move(client, items["c"], m["B1"], 1)
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "message": "Moved “c”.",
        "module": m["B1"].pk,
        "sequence_index": 1,
    }
    assert order(m["A1"]) == [("a", 1), ("b", 2)]
    assert order(m["B1"]) == [("c", 1), ("x", 2)]


def test_the_buttons_post_without_script_and_come_back_to_the_item(client, tenants, course_items):
    m, items = course_items
    client.force_login(tenants.user("instructor"))
    tree = reverse("admin:syllabus_module_tree", args=[tenants.course_a1.pk])
    response = move(client, items["b"], m["A1"], 1, HTTP_ACCEPT="text/html")
    assert response.status_code == 302
    assert response["Location"] == f"{tree}#item-{items['b'].pk}"
    assert order(m["A1"]) == [("b", 1), ("a", 2), ("c", 3)]


def test_bad_requests_get_a_message_and_change_nothing(client, tenants, course_items):
    m, items = course_items
    _root, other = build_tree(tenants.course_a2, units=1, lessons=1)
    client.force_login(tenants.user("university_admin"))
    before = order(m["A1"])
    url = reverse("admin:content_contentitem_move", args=[items["a"].pk])
    for data, message in [
        ({"module": "x", "position": ""}, "Say where the item goes."),
        ({"module": other["A1"].pk, "position": ""}, "An item can only move within its course."),
        ({"module": m["A1"].pk, "position": "0"}, "Positions start at 1."),
    ]:
        response = client.post(url, data, **JSON)
        assert response.status_code == 400
        assert response.json() == {"ok": False, "message": message}
    assert client.get(url).status_code == 405
    assert order(m["A1"]) == before


@pytest.mark.parametrize("role", ["university_admin_b", "instructor_b"])
def test_another_tenant_gets_a_404_and_nothing_moves(client, tenants, course_items, role):
    m, items = course_items
    client.force_login(tenants.user(role))
    assert move(client, items["c"], m["A1"], 1).status_code == 404
    assert order(m["A1"]) == [("a", 1), ("b", 2), ("c", 3)]


def test_department_admin_of_another_department_gets_a_404(client, tenants):
    _root, m = build_tree(tenants.course_a2, units=1, lessons=1)
    (item,) = add_items(m["A1"], "h")
    client.force_login(tenants.user("department_admin"))  # of department A1, not A2
    assert move(client, item, m["A"], 1).status_code == 404
    assert order(m["A1"]) == [("h", 1)]


def test_students_and_visitors_cannot_move_items(client, tenants, course_items):
    m, items = course_items
    assert move(client, items["c"], m["A1"], 1).status_code == 302  # to the login page
    client.force_login(tenants.user("student"))
    assert move(client, items["c"], m["A1"], 1).status_code == 302
    assert order(m["A1"]) == [("a", 1), ("b", 2), ("c", 3)]


def test_tree_offers_moves_and_every_content_type_to_add(client, tenants, course_items):
    m, items = course_items
    client.force_login(tenants.user("instructor"))
    response = client.get(reverse("admin:syllabus_module_tree", args=[tenants.course_a1.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    lesson = m["A1"].pk
    for model in ("videoitem", "quizitem", "engineeringlabitem", "textitem", "assignmentitem"):
        assert f'href="{reverse(f"admin:content_{model}_add")}?module={lesson}"' in html
    assert f'href="{reverse("admin:content_resourceitem_add")}?module={lesson}"' in html
    move_url = reverse("admin:content_contentitem_move", args=[items["b"].pk])
    assert html.count(f'action="{move_url}"') == 2  # up and down
    first = reverse("admin:content_contentitem_move", args=[items["a"].pk])
    assert html.count(f'action="{first}"') == 1  # down only
    add = client.get(reverse("admin:content_quizitem_add") + f"?module={lesson}")
    assert add.context["adminform"].form.initial["module"] == str(lesson)


@pytest.mark.django_db(transaction=True)
def test_two_staff_reordering_items_at_once_keep_them_numbered(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    course = CourseFactory()
    build_tree(course, units=2, lessons=2)
    modules = list(Module.objects.filter(course=course).values_list("pk", flat=True))
    items = [
        it.pk
        for module in Module.objects.filter(course=course, depth=2)
        for it in add_items(module, "p", "q", "r")
    ]
    users = []
    for _ in range(2):
        user = UserFactory()
        RoleFactory(user=user, university=course.university, role="university_admin")
        users.append(user)

    def reorder(client, rng):
        return client.post(
            reverse("admin:content_contentitem_move", args=[rng.choice(items)]),
            {"module": rng.choice(modules), "position": rng.choice(["", "1", "2", "4"])},
            **JSON,
        )

    assert race(users, reorder, rounds=15) == [200] * 30
    assert_items_consistent(course.pk)
    assert ContentItem.objects.filter(course=course).count() == 12
