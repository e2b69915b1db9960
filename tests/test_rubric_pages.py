"""Grading with a rubric through the staff queue, and the learner's view of the filled rubric on
the assignment and lab pages: the form shows each criterion's levels, saving grades with the
total and opens the next, a missing level is refused with nothing changed, and both pages run a
fixed number of queries whatever the number of submissions."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from assessments.labs.models import LabSubmission
from assessments.rubrics.models import RubricMark
from assessments.rubrics.services import rubric_attach, rubric_submission_grade
from assessments.tests import trees
from assessments.tests.grading_data import submission
from assessments.tests.rubric_data import choice, essay_rubric, level
from catalog.tests.factories import EnrollmentFactory
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenants):
    unit = trees.module(trees.root(tenants.course_a1), "Unit")
    tenants.essay = trees.item(unit, "Essay", "assignment")
    tenants.lab = trees.item(unit, "Lab", "engineering_lab")
    tenants.rubric = essay_rubric(tenants.course_a1)
    rubric_attach(item=tenants.essay, rubric=tenants.rubric)
    return tenants


def learner(tenants, name: str):
    user = UserFactory(full_name=name)
    RoleFactory(user=user, university=tenants.university_a, role=Role.STUDENT)
    EnrollmentFactory(user=user, course_offering=tenants.offering_a1)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queue_url(tenants, item, row) -> str:
    return reverse("teaching:queue-submission", args=[tenants.offering_a1.pk, item.pk, row.pk])


def essays(world, *names):
    return [
        submission(learner(world, name), world.offering_a1, world.essay, None, 20, minutes=n)
        for n, name in enumerate(names)
    ]


def form_data(world, **picked) -> dict[str, str]:
    data = {f"level_{c}": str(lv) for c, lv in choice(world.rubric, **picked).items()}
    argument = level(world.rubric, "Argument", "Weak").criterion_id
    return {**data, f"comment_{argument}": "Name the thesis early.", "instructor_feedback": "Ok"}


def test_the_queue_shows_the_rubric_form(world):
    (row,) = essays(world, "Ann")
    page = client_for(world.users["ta"]).get(queue_url(world, world.essay, row)).content.decode()
    assert "Rubric “Essay rubric”" in page and "at most 20" in page
    assert "<legend>Argument</legend>" in page
    strong = level(world.rubric, "Argument", "Strong")
    assert f'name="level_{strong.criterion_id}" value="{strong.pk}"' in page
    assert "Strong · 8" in page and 'name="score_override"' not in page


def test_grading_with_the_rubric_saves_the_total_and_opens_the_next(world):
    ann, ben = essays(world, "Ann", "Ben")
    response = client_for(world.users["ta"]).post(
        queue_url(world, world.essay, ann),
        form_data(world, Argument="Strong", Evidence="Thorough", Style="Clear"),
    )
    assert response.status_code == 302
    assert response["Location"] == queue_url(world, world.essay, ben)
    graded = LabSubmission.objects.get(pk=ann.pk)
    assert (graded.score_obtained, graded.status) == (Decimal("18.00"), "graded")
    assert RubricMark.objects.get(submission=ann, criterion__title="Argument").comment == (
        "Name the thesis early."
    )
    # Reopened, the form shows the chosen levels.
    page = client_for(world.users["ta"]).get(queue_url(world, world.essay, ann)).content.decode()
    strong = level(world.rubric, "Argument", "Strong")
    assert f'value="{strong.pk}" id="id_level_{strong.criterion_id}_2" checked' in page


def test_a_missing_level_is_refused_in_the_queue_and_nothing_changes(world):
    (ann,) = essays(world, "Ann")
    response = client_for(world.users["instructor"]).post(
        queue_url(world, world.essay, ann), form_data(world, Argument="Strong", Evidence="Some")
    )
    assert response.status_code == 200
    assert "Choose one of the levels of “Style”." in response.content.decode()
    row = LabSubmission.objects.get(pk=ann.pk)
    assert (row.score_obtained, row.instructor_feedback) == (None, None)
    assert not RubricMark.objects.exists()


def test_another_tenant_cannot_grade_with_the_rubric(world):
    (ann,) = essays(world, "Ann")
    response = client_for(world.users["instructor_b"]).post(
        queue_url(world, world.essay, ann),
        form_data(world, Argument="Strong", Evidence="Some", Style="Clear"),
    )
    assert response.status_code == 404
    assert not RubricMark.objects.exists()


# The queue's 13 (staff/tests/test_teaching_queue.py) with the rubric's levels and the marks.
QUEUE_QUERIES = 15


@pytest.mark.parametrize("learners", [3, 9])
def test_queue_with_a_rubric_queries_do_not_grow(world, django_assert_num_queries, learners):
    rows = essays(world, *(f"L{n}" for n in range(learners)))
    rubric_submission_grade(
        submission_id=rows[0].pk,
        actor=world.users["instructor"],
        levels=choice(world.rubric, Argument="Fair", Evidence="Some", Style="Clear"),
    )
    client = client_for(world.users["instructor"])
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(queue_url(world, world.essay, rows[0]))
    assert response.status_code == 200


def page_url(world, item) -> str:
    name = "portal:assignment" if item.content_type == "assignment" else "portal:lab"
    return reverse(name, kwargs={"offering_id": world.offering_a1.pk, "item_id": item.pk})


def graded_essay(world, student, **picked):
    row = submission(student, world.offering_a1, world.essay, None, 20, status="submitted")
    argument = level(world.rubric, "Argument", "Weak").criterion_id
    rubric_submission_grade(
        submission_id=row.pk,
        actor=world.users["instructor"],
        levels=choice(world.rubric, **picked),
        comments={argument: "A <bold> claim."},
    )
    return row


def test_the_learner_sees_the_filled_rubric_and_comments(world):
    student = world.users["student"]
    graded_essay(world, student, Argument="Strong", Evidence="Some", Style="Polished")
    other = learner(world, "Other")
    graded_essay(world, other, Argument="Weak", Evidence="None", Style="Rough")
    page = client_for(student).get(page_url(world, world.essay)).content.decode()
    assert "Rubric “Essay rubric”: 17.00 of 20.00" in page
    assert '<th scope="row">Argument</th>' in page and "Strong" in page
    assert "A &lt;bold&gt; claim." in page  # escaped
    assert "0.00 of 20.00" not in page  # not the other learner's


def test_a_lab_page_shows_its_filled_rubric(world):
    rubric_attach(item=world.lab, rubric=world.rubric)
    row = submission(world.users["student"], world.offering_a1, world.lab, None, 100)
    rubric_submission_grade(
        submission_id=row.pk,
        actor=world.users["instructor"],
        levels=choice(world.rubric, Argument="Fair", Evidence="Some", Style="Rough"),
    )
    page = client_for(world.users["student"]).get(page_url(world, world.lab)).content.decode()
    assert "Rubric “Essay rubric”: 7.00 of 20.00" in page


def _assignment_page_queries(world, django_assert_num_queries, graded: int, expected: int):
    student = world.users["student"]
    for _ in range(graded):
        graded_essay(world, student, Argument="Fair", Evidence="Some", Style="Clear")
    client = client_for(student)
    client.get(page_url(world, world.essay))  # warm the outline cache
    with django_assert_num_queries(expected):
        response = client.get(page_url(world, world.essay))
    assert response.status_code == 200
    assert response.content.decode().count("Rubric “Essay rubric”: 11.00 of 20.00") == graded


# The request, the offering and item, the learner's submissions, and the rubric's criteria,
# levels and marks (three, whatever the number of graded submissions).
ASSIGNMENT_PAGE_QUERIES = 9


@pytest.mark.parametrize("graded", [1, 4])
def test_the_assignment_page_queries_do_not_grow(world, django_assert_num_queries, graded):
    _assignment_page_queries(world, django_assert_num_queries, graded, ASSIGNMENT_PAGE_QUERIES)
