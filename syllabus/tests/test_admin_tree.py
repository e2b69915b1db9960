"""The module tree in the admin: moves through the endpoint keep every invariant, also with
two staff reordering at once; publishing covers subtrees; other tenants get a 404."""

import random
import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.tests.factories import CourseFactory
from catalog.tests.tenants import build_tenants
from syllabus.models import Module
from syllabus.services import course_root, module_create
from syllabus.tests.test_services import assert_tree_consistent, titles
from tenancy.tests.factories import RoleFactory, UserFactory

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def tenants(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()


def build_tree(course, units=3, lessons=3):
    root = course_root(course=course)
    made = {}
    for u in "ABC"[:units]:
        unit = module_create(course=course, parent=root, module_type="unit", title=u)
        made[u] = unit
        for i in range(1, lessons + 1):
            made[f"{u}{i}"] = module_create(
                course=course, parent=unit, module_type="lesson", title=f"{u}{i}"
            )
    return root, made


@pytest.fixture
def tree(tenants):
    return build_tree(tenants.course_a1)


def as_user(client, tenants, role):
    client.force_login(tenants.user(role))
    return client


def move(client, module, parent, position="", **extra):
    url = reverse("admin:syllabus_module_move", args=[module.pk])
    return client.post(url, {"parent": parent.pk, "position": position}, **{**JSON, **extra})


def snapshot(course_id):
    return list(
        Module.objects.filter(course_id=course_id)
        .order_by("pk")
        .values_list("pk", "parent_id", "sequence_index", "depth", "lft", "rght", "is_published")
    )


@pytest.mark.parametrize("role", ["instructor", "department_admin", "university_admin"])
def test_staff_of_the_course_move_modules_through_the_endpoint(client, tenants, tree, role):
    root, m = tree
    as_user(client, tenants, role)
    response = move(client, m["C"], root, 1)
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "message": "Moved “C”.",
        "parent": root.pk,
        "sequence_index": 1,
        "depth": 1,
    }
    assert titles(root) == ["C", "A", "B"]
    response = move(client, m["A2"], m["C"], 2)
    assert response.json()["depth"] == 2
    assert titles(m["C"]) == ["C1", "A2", "C2", "C3"]
    assert titles(m["A"]) == ["A1", "A3"]
    assert_tree_consistent(tenants.course_a1.pk)


@pytest.mark.parametrize("role", ["instructor_b", "university_admin_b"])
def test_staff_of_another_university_get_404_and_change_nothing(client, tenants, tree, role):
    root, m = tree
    as_user(client, tenants, role)
    before = snapshot(tenants.course_a1.pk)
    assert move(client, m["C"], root, 1).status_code == 404
    publish = reverse("admin:syllabus_module_publish", args=[m["A"].pk])
    assert client.post(publish, {"is_published": "true"}).status_code == 404
    tree_url = reverse("admin:syllabus_module_tree", args=[tenants.course_a1.pk])
    assert client.get(tree_url).status_code == 404
    change = reverse("admin:syllabus_module_change", args=[m["A"].pk])
    assert client.get(change).status_code == 404
    assert snapshot(tenants.course_a1.pk) == before


def test_an_instructor_of_another_course_in_the_same_university_gets_404(client, tenants, tree):
    other = build_tree(tenants.course_a2, units=1, lessons=1)[1]
    as_user(client, tenants, "instructor")
    before = snapshot(tenants.course_a2.pk)
    assert move(client, other["A1"], other["A"], 1).status_code == 404
    assert snapshot(tenants.course_a2.pk) == before


def test_students_and_visitors_are_sent_to_the_login(client, tenants, tree):
    root, m = tree
    assert move(client, m["C"], root, 1).status_code == 302
    as_user(client, tenants, "student")
    before = snapshot(tenants.course_a1.pk)
    assert move(client, m["C"], root, 1).status_code == 302
    assert snapshot(tenants.course_a1.pk) == before


@pytest.mark.parametrize(
    ("target", "position", "message"),
    [
        ("A1", "", "A module cannot move into itself or its own subtree."),
        ("B", "0", "Positions start at 1."),
        ("B", "first", "Say where the module goes."),
    ],
)
def test_impossible_moves_are_refused_with_a_reason(
    client, tenants, tree, target, position, message
):
    _root, m = tree
    as_user(client, tenants, "instructor")
    before = snapshot(tenants.course_a1.pk)
    response = move(client, m["A"], m[target], position)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "message": message}
    assert snapshot(tenants.course_a1.pk) == before


def test_a_module_cannot_move_to_another_course_or_move_the_root(client, tenants, tree):
    root, m = tree
    other_root, _ = build_tree(tenants.course_a2, units=1, lessons=0)
    as_user(client, tenants, "university_admin")
    before = snapshot(tenants.course_a1.pk)
    response = move(client, m["A"], other_root, 1)
    assert (response.status_code, response.json()["message"]) == (
        400,
        "A module can only move within its course.",
    )
    response = move(client, root, m["A"], 1)
    assert (response.status_code, response.json()["message"]) == (
        400,
        "The course root stays where it is.",
    )
    assert snapshot(tenants.course_a1.pk) == before


def test_keyboard_buttons_post_forms_and_come_back_to_the_tree(client, tenants, tree):
    root, m = tree
    as_user(client, tenants, "instructor")
    tree_url = reverse("admin:syllabus_module_tree", args=[tenants.course_a1.pk])
    page = client.get(tree_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="tree-node') == 13
    assert 'aria-label="Move down: A"' in html and 'aria-label="Move up: A"' not in html
    url = reverse("admin:syllabus_module_move", args=[m["A"].pk])
    response = client.post(url, {"parent": root.pk, "position": "2", "next": tree_url})
    assert response.status_code == 302
    assert response["Location"] == f"{tree_url}#module-{m['A'].pk}"
    assert titles(root) == ["B", "A", "C"]
    response = client.post(
        url, {"parent": root.pk, "position": "2", "next": "https://evil.example/"}
    )
    assert response["Location"].startswith(tree_url)


def test_tree_page_runs_a_constant_number_of_queries(client, tenants, django_assert_num_queries):
    course = tenants.course_a1
    build_tree(course, units=3, lessons=3)
    as_user(client, tenants, "university_admin")
    url = reverse("admin:syllabus_module_tree", args=[course.pk])
    client.get(url)
    with django_assert_num_queries(11) as small:
        assert client.get(url).status_code == 200
    lessons = Module.objects.filter(course=course, module_type="lesson")
    for lesson in list(lessons):
        module_create(course=course, parent=lesson, module_type="topic", title="t")
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_publish_actions_cover_the_subtree(client, tenants, tree):
    _root, m = tree
    as_user(client, tenants, "instructor")
    changelist = reverse("admin:syllabus_module_changelist")
    response = client.post(
        changelist,
        {"action": "publish_subtree", "_selected_action": [m["A"].pk, m["B"].pk]},
    )
    assert response.status_code == 302
    published = set(Module.objects.filter(is_published=True).values_list("title", flat=True))
    assert published == {"Mechanics", "A", "A1", "A2", "A3", "B", "B1", "B2", "B3"}
    client.post(changelist, {"action": "unpublish_subtree", "_selected_action": [m["A"].pk]})
    published = set(Module.objects.filter(is_published=True).values_list("title", flat=True))
    assert published == {"Mechanics", "B", "B1", "B2", "B3"}


def test_publishing_one_module_says_one_module(client, tenants, tree):
    _root, m = tree
    as_user(client, tenants, "instructor")
    leaf = m["A1"]
    publish = reverse("admin:syllabus_module_publish", args=[leaf.pk])

    off = client.post(publish, {"is_published": "false"}, headers={"accept": "application/json"})
    on = client.post(publish, {"is_published": "true"}, headers={"accept": "application/json"})

    assert (off.json()["message"], on.json()["message"]) == (
        "Unpublished 1 module.",
        "Published 1 module.",
    )


def test_the_changelist_is_scoped_and_filters_by_course(client, tenants, tree):
    build_tree(tenants.course_b1, units=1, lessons=1)
    as_user(client, tenants, "university_admin")
    changelist = reverse("admin:syllabus_module_changelist")
    response = client.get(changelist)
    shown = {m.course_id for m in response.context["cl"].result_list}
    assert shown == {tenants.course_a1.pk}
    response = client.get(changelist, {"course__id__exact": tenants.course_a1.pk})
    assert response.context["cl"].result_count == 13
    choices = [
        c["display"] for c in response.context["cl"].filter_specs[0].choices(response.context["cl"])
    ]
    assert "BIO101: Cells" not in choices and "PHY101: Mechanics" in choices


def test_adding_a_module_in_the_admin_places_it_through_the_service(client, tenants, tree):
    _root, m = tree
    as_user(client, tenants, "instructor")
    response = client.post(
        reverse("admin:syllabus_module_add"),
        {
            "course": tenants.course_a1.pk,
            "parent": m["B"].pk,
            "module_type": "lesson",
            "title": "B4",
            "description": "",
        },
    )
    assert response.status_code == 302
    assert titles(m["B"]) == ["B1", "B2", "B3", "B4"]
    assert_tree_consistent(tenants.course_a1.pk)
    other = build_tree(tenants.course_a2, units=1, lessons=0)[1]
    response = client.post(
        reverse("admin:syllabus_module_add"),
        {
            "course": tenants.course_a1.pk,
            "parent": other["A"].pk,
            "module_type": "lesson",
            "title": "X",
        },
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Module.objects.filter(title="X").exists()


admin_operations = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=40),
        st.integers(min_value=0, max_value=40),
        st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
    ),
    min_size=1,
    max_size=15,
)


@pytest.mark.django_db
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=admin_operations)
def test_random_moves_through_the_admin_keep_every_invariant(ops):
    with transaction.atomic():
        course = CourseFactory()
        build_tree(course, units=3, lessons=2)
        user = UserFactory()
        RoleFactory(user=user, university=course.university, role="university_admin")
        client = Client()
        client.force_login(user)
        for i, j, position in ops:
            nodes = list(Module.objects.filter(course=course).order_by("pk"))
            node, target = nodes[i % len(nodes)], nodes[j % len(nodes)]
            response = move(client, node, target, position or "")
            assert response.status_code in (200, 400), response.content
            if response.status_code == 400:
                assert response.json()["ok"] is False
            assert_tree_consistent(course.pk)
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True)
def test_two_staff_reordering_at_once_keep_the_tree_consistent(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    course = CourseFactory()
    build_tree(course, units=3, lessons=3)
    ids = list(Module.objects.filter(course=course, depth__gte=1).values_list("pk", flat=True))
    targets = [*ids, Module.objects.get(course=course, depth=0).pk]
    users = []
    for _ in range(2):
        user = UserFactory()
        RoleFactory(user=user, university=course.university, role="university_admin")
        users.append(user)

    def reorder(client, rng):
        node, target = rng.choice(ids), rng.choice(targets)
        return client.post(
            reverse("admin:syllabus_module_move", args=[node]),
            {"parent": target, "position": rng.choice(["", "1", "2", "3"])},
            **JSON,
        )

    statuses = race(users, reorder, rounds=15)
    assert len(statuses) == 30 and set(statuses) <= {200, 400}
    assert statuses.count(200) > 0
    assert_tree_consistent(course.pk)


def race(users, request, *, rounds: int) -> list[int]:
    """Each user, in their own thread and database connection, starting together, sends
    `rounds` requests made by `request(client, rng)`; the status codes, in arrival order."""
    barrier = threading.Barrier(len(users))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run(user, seed):
        rng = random.Random(seed)
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            for _ in range(rounds):
                statuses.append(request(client, rng).status_code)
        except BaseException as error:  # reported below, from the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u, n)) for n, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return statuses
