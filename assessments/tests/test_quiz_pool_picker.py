"""The quiz editor picks its question pool from the pools of the quiz's course and asks for
between one and as many questions as the pool holds; anything else is refused on its field and
changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.progress.tree_changes import tracked
from assessments.tests.quiz_factories import pool, true_false
from catalog.tests.tenants import Tenants, build_tenants
from content.models import ContentItem
from content.services import content_item_create
from content.tests.test_models import VALID
from syllabus.tests.test_admin_tree import build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants(db, settings) -> Tenants:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()


@pytest.fixture
def world(tenants):
    _root, modules = build_tree(tenants.course_a1)
    statics = pool(tenants.course_a1, "Statics")
    for n in range(3):
        true_false(statics, prompt=f"Statics {n}")
    empty = pool(tenants.course_a1, "Empty bank")
    sibling = pool(tenants.course_a2, "Antiquity bank")
    true_false(sibling)
    foreign = pool(tenants.course_b1, "Cells bank")
    true_false(foreign)
    quiz = tracked(
        content_item_create,
        module=modules["A1"],
        content_type="quiz",
        title="Check",
        data_json={**VALID["quiz"], "question_pool_id": statics.pk, "num_questions_per_attempt": 2},
    )
    return {
        "modules": modules,
        "statics": statics,
        "empty": empty,
        "sibling": sibling,
        "foreign": foreign,
        "quiz": quiz,
    }


def client_for(tenants: Tenants, role: str) -> Client:
    client = Client()
    client.force_login(tenants.user(role))
    return client


def quiz_data(pool_id, count, **extra) -> dict:
    return {
        "title": "Check",
        "is_active": "on",
        "question_pool_id": str(pool_id),
        "quiz_mode": "exam",
        "num_questions_per_attempt": str(count),
        "randomize_order": "on",
        "time_limit_seconds": "",
        "mastery_points": "",
        "mastery_threshold": "",
        "mastery_max_attempts": "",
        **extra,
    }


def change_url(world) -> str:
    return reverse("admin:content_quizitem_change", args=[world["quiz"].pk])


def stored(world) -> dict:
    return ContentItem.objects.get(pk=world["quiz"].pk).data_json


def test_the_pool_is_a_select_of_the_courses_pools_with_their_question_counts(tenants, world):
    page = client_for(tenants, "instructor").get(change_url(world))
    assert page.status_code == 200
    field = page.context["adminform"].form.fields["question_pool_id"]
    assert list(field.choices) == [
        ("", "Choose a question pool"),
        (world["empty"].pk, "Empty bank (0 questions)"),
        (world["statics"].pk, "Statics (3 questions)"),
    ]
    assert page.context["adminform"].form.initial["question_pool_id"] == world["statics"].pk
    html = page.content.decode()
    assert f'<option value="{world["statics"].pk}" selected>Statics (3 questions)</option>' in html
    assert "Cells bank" not in html
    assert "Antiquity bank" not in html


@pytest.mark.parametrize(
    ("which", "count", "field", "message"),
    [
        ("foreign", 1, "question_pool_id", "Choose one of this course's question pools."),
        ("sibling", 1, "question_pool_id", "Choose one of this course's question pools."),
        ("missing", 1, "question_pool_id", "Choose one of this course's question pools."),
        ("", 1, "question_pool_id", "This field is required."),
        ("empty", 1, "question_pool_id", "This pool has no questions yet; add some to it first."),
        (
            "statics",
            100000,
            "num_questions_per_attempt",
            "The pool holds 3 questions; ask for 1 to 3.",
        ),
        (
            "statics",
            4,
            "num_questions_per_attempt",
            "The pool holds 3 questions; ask for 1 to 3.",
        ),
        (
            "statics",
            0,
            "num_questions_per_attempt",
            "Ensure this value is greater than or equal to 1.",
        ),
    ],
)
def test_a_wrong_pool_or_count_is_refused_on_its_field(
    tenants, world, which, count, field, message
):
    before = stored(world)
    pool_id = {"missing": 987654, "": ""}[which] if which in ("missing", "") else world[which].pk
    response = client_for(tenants, "instructor").post(
        change_url(world), quiz_data(pool_id, count, title="Renamed")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {field: [message]}
    assert stored(world) == before
    assert ContentItem.objects.get(pk=world["quiz"].pk).title == "Check"


def test_a_pool_of_the_course_and_a_count_it_holds_are_saved(tenants, world):
    response = client_for(tenants, "instructor").post(
        change_url(world), quiz_data(world["statics"].pk, 3)
    )
    assert response.status_code == 302
    assert stored(world)["question_pool_id"] == world["statics"].pk
    assert stored(world)["num_questions_per_attempt"] == 3


def test_adding_a_quiz_refuses_a_pool_of_another_course_the_admin_also_runs(tenants, world):
    """A university admin sees the pools of every course of the university, grouped by course,
    but a quiz takes only a pool of the course its module belongs to."""
    build_tree(tenants.course_a2, units=1, lessons=1)
    client = client_for(tenants, "university_admin")
    url = reverse("admin:content_quizitem_add")
    page = client.get(url)
    groups = dict(page.context["adminform"].form.fields["question_pool_id"].choices[1:])
    assert groups == {
        "HIS101 Antiquity": [(world["sibling"].pk, "Antiquity bank (1 question)")],
        "PHY101 Mechanics": [
            (world["empty"].pk, "Empty bank (0 questions)"),
            (world["statics"].pk, "Statics (3 questions)"),
        ],
    }
    module = world["modules"]["A2"]
    response = client.post(url, quiz_data(world["sibling"].pk, 1, module=module.pk))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "question_pool_id": [
            "This pool belongs to another course; choose one of this course's pools."
        ]
    }
    assert not ContentItem.objects.filter(module=module).exists()
    response = client.post(url, quiz_data(world["statics"].pk, 2, module=module.pk))
    assert response.status_code == 302
    assert ContentItem.objects.get(module=module).data_json["question_pool_id"] == (
        world["statics"].pk
    )
