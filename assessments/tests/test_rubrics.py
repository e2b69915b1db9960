"""Rubrics: the total of the chosen levels becomes the submission's score through the grading
services; a wrong or missing level, another course's rubric and a rubric worth more than the
item are refused with a message and nothing changes; the admin shows each tenant its own."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assessments.labs.models import LabStatus, LabSubmission
from assessments.rubrics.models import RubricAttachment, RubricLevel, RubricMark
from assessments.rubrics.selectors import filled_rubrics, rubric_of_item
from assessments.rubrics.services import rubric_attach, rubric_submission_grade
from assessments.tests import trees
from assessments.tests.grading_data import submission
from assessments.tests.rubric_data import choice, essay_rubric, level
from catalog.tests.tenants import build_tenants

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    tenants = build_tenants()
    unit = trees.module(trees.root(tenants.course_a1), "Unit")
    tenants.essay = trees.item(unit, "Essay", "assignment")
    tenants.lab = trees.item(unit, "Lab", "engineering_lab")
    tenants.rubric = essay_rubric(tenants.course_a1)
    rubric_attach(item=tenants.essay, rubric=tenants.rubric)
    tenants.row = submission(
        tenants.users["student"], tenants.offering_a1, tenants.essay, None, 20, status="submitted"
    )
    return tenants


def grade(world, row=None, **picked):
    return rubric_submission_grade(
        submission_id=(row or world.row).pk,
        actor=world.users["ta"],
        levels=choice(world.rubric, **picked),
        comments={level(world.rubric, "Argument", "Weak").criterion_id: " Sharper thesis. "},
        feedback="Good work.",
    )


def test_the_total_of_the_chosen_levels_is_the_score(world):
    graded = grade(world, Argument="Strong", Evidence="Some", Style="Clear")
    assert (graded.score_obtained, graded.status) == (Decimal("15.00"), LabStatus.GRADED)
    assert (graded.score_overridden_by_id, graded.instructor_feedback) == (
        world.users["ta"].pk,
        "Good work.",
    )
    view = rubric_of_item(item_id=world.essay.pk, submission_id=world.row.pk)
    assert view is not None
    assert [(c.criterion.title, c.mark.level.title, c.mark.comment) for c in view.criteria] == [
        ("Argument", "Strong", "Sharper thesis."),
        ("Evidence", "Some", ""),
        ("Style", "Clear", ""),
    ]
    assert (view.total, view.max_points) == (Decimal(15), Decimal(20))


def test_grading_again_replaces_the_marks(world):
    grade(world, Argument="Strong", Evidence="Some", Style="Clear")
    graded = grade(world, Argument="Fair", Evidence="None", Style="Polished")
    assert graded.score_obtained == Decimal("10.00")
    assert RubricMark.objects.filter(submission=world.row).count() == 3
    assert sorted(RubricMark.objects.values_list("level__title", flat=True)) == [
        "Fair",
        "None",
        "Polished",
    ]


def test_a_lab_is_graded_with_a_rubric_through_its_review(world):
    rubric_attach(item=world.lab, rubric=world.rubric)
    row = submission(world.users["student"], world.offering_a1, world.lab, None, 100)
    graded = grade(world, row, Argument="Fair", Evidence="Thorough", Style="Rough")
    assert (graded.score_obtained, graded.score_override) == (Decimal("10.00"), Decimal("10.00"))


def _unchanged(world) -> None:
    row = LabSubmission.objects.get(pk=world.row.pk)
    assert (row.score_obtained, row.status, row.instructor_feedback) == (None, "submitted", None)
    assert not RubricMark.objects.exists()


def test_a_missing_level_is_refused_and_nothing_changes(world):
    with pytest.raises(ValidationError) as refused:
        grade(world, Argument="Strong", Evidence="Some")
    assert refused.value.messages == ["Choose one of the levels of “Style”."]
    _unchanged(world)


@pytest.mark.parametrize("bad", ["another criterion's", "garbage", "another rubric's"])
def test_a_level_that_is_not_the_criterion_s_is_refused(world, bad):
    levels = choice(world.rubric, Argument="Strong", Evidence="Some", Style="Clear")
    style = level(world.rubric, "Style", "Clear").criterion_id
    if bad == "another criterion's":
        levels[style] = level(world.rubric, "Argument", "Strong").pk
    elif bad == "garbage":
        levels[style] = "top"
    else:
        other = essay_rubric(world.course_a1, "Other rubric")
        levels[style] = level(other, "Style", "Clear").pk
    with pytest.raises(ValidationError) as refused:
        rubric_submission_grade(submission_id=world.row.pk, actor=world.users["ta"], levels=levels)
    assert refused.value.messages == ["Choose one of the levels of “Style”."]
    _unchanged(world)


def test_a_total_over_the_item_s_points_is_refused_and_the_marks_are_not_kept(world):
    RubricLevel.objects.filter(title="Polished").update(points=Decimal(7))  # 21 at most now
    with pytest.raises(ValidationError) as refused:
        grade(world, Argument="Strong", Evidence="Thorough", Style="Polished")
    assert refused.value.message_dict == {"score_override": ["Give a score from 0 to 20.00."]}
    _unchanged(world)


def test_another_course_s_rubric_is_refused(world):
    foreign = essay_rubric(world.course_b1)
    before = list(RubricAttachment.objects.values_list("content_item_id", "rubric_id"))
    with pytest.raises(ValidationError) as refused:
        rubric_attach(item=world.essay, rubric=foreign)
    assert refused.value.messages == ["This rubric belongs to another course."]
    assert list(RubricAttachment.objects.values_list("content_item_id", "rubric_id")) == before


def test_only_labs_and_assignments_fitting_the_rubric_take_one(world):
    text = trees.item(world.essay.module, "Reading", "text")
    with pytest.raises(ValidationError) as refused:
        rubric_attach(item=text, rubric=world.rubric)
    assert refused.value.messages == ["Only labs and assignments are graded with a rubric."]
    small = trees.item(
        world.essay.module,
        "Short essay",
        "assignment",
        data={"instructions": "Write.", "max_points": 10},
    )
    with pytest.raises(ValidationError) as refused:
        rubric_attach(item=small, rubric=world.rubric)
    assert refused.value.messages == ["The rubric is worth 20.00 points but the item only 10.00."]
    assert not RubricAttachment.objects.filter(content_item__in=[text, small]).exists()


def test_an_item_without_a_rubric_is_not_graded_with_one(world):
    row = submission(world.users["student"], world.offering_a1, world.lab, None, 100)
    with pytest.raises(ValidationError) as refused:
        rubric_submission_grade(submission_id=row.pk, actor=world.users["ta"], levels={})
    assert refused.value.messages == ["This item is not graded with a rubric."]
    assert filled_rubrics(item_id=world.lab.pk, submission_ids=[row.pk]) == {}


def test_filled_rubrics_of_several_submissions_in_three_queries(world, django_assert_num_queries):
    grade(world, Argument="Strong", Evidence="Some", Style="Clear")
    other = submission(world.users["student"], world.offering_a1, world.essay, None, 20)
    grade(world, other, Argument="Weak", Evidence="None", Style="Rough")
    waiting = submission(world.users["student"], world.offering_a1, world.essay, None, 20)
    with django_assert_num_queries(3):
        filled = filled_rubrics(
            item_id=world.essay.pk, submission_ids=[world.row.pk, other.pk, waiting.pk]
        )
    assert {pk: view.total for pk, view in filled.items()} == {
        world.row.pk: Decimal(15),
        other.pk: Decimal(0),
    }


def test_the_admin_lists_each_tenant_its_own_rubrics(world):
    essay_rubric(world.course_b1, "Cells rubric")
    listing = reverse("admin:assessments_rubric_changelist")
    for user, titles in (
        (world.users["instructor"], ["Essay rubric"]),
        (world.users["instructor_b"], ["Cells rubric"]),
    ):
        client = Client()
        client.force_login(user)
        response = client.get(listing)
        assert [r.title for r in response.context["cl"].result_list] == titles
    client.force_login(world.users["instructor_b"])
    change = reverse("admin:assessments_rubric_change", args=[world.rubric.pk])
    assert client.get(change).status_code == 404


def test_the_admin_forms_open_and_refuse_another_course_s_rubric(world):
    client = Client()
    client.force_login(world.users["instructor"])
    for name in ("rubric_add", "rubriccriterion_add", "rubricattachment_add"):
        assert client.get(reverse(f"admin:assessments_{name}")).status_code == 200
    criterion = level(world.rubric, "Style", "Clear").criterion
    change = reverse("admin:assessments_rubriccriterion_change", args=[criterion.pk])
    assert client.get(change).status_code == 200
    foreign = essay_rubric(world.course_b1)  # not even among the choices
    attachment = RubricAttachment.objects.get(content_item=world.essay)
    response = client.post(
        reverse("admin:assessments_rubricattachment_change", args=[attachment.pk]),
        {"content_item": world.essay.pk, "rubric": foreign.pk},
    )
    assert response.status_code == 200
    assert RubricAttachment.objects.get(pk=attachment.pk).rubric_id == world.rubric.pk
