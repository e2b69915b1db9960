"""The quiz payload's review policy and closing time: valid values round-trip through the
editor, bad combinations get a message on the field and store nothing."""

import copy

import pytest

from content.models import ContentItem
from content.payloads import payload_errors
from content.services import content_item_create
from content.tests.test_editors import (  # noqa: F401
    editor,
    module,
    new_item_data,
    question_pools,
    submitted,
)
from content.tests.test_models import VALID
from content.types.quiz import QuizReviewPolicy, quiz_review_policy

pytestmark = pytest.mark.django_db

QUIZ = VALID["quiz"]  # an exam with 5 attempts allowed


def test_the_review_policy_defaults_by_mode():
    assert quiz_review_policy(QUIZ) == "after_last_attempt"
    assert quiz_review_policy({**QUIZ, "quiz_mode": "practice"}) == "immediately"
    assert quiz_review_policy({**QUIZ, "review_policy": "never"}) == "never"


@pytest.mark.parametrize("policy", QuizReviewPolicy.values)
def test_every_policy_is_a_valid_payload(policy):
    payload = {**QUIZ, "review_policy": policy, "closes_at": "2026-12-24T12:00:00Z"}
    assert payload_errors("quiz", payload) == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            {**QUIZ, "review_policy": "sometimes"},
            "review_policy: 'sometimes' is not one of",
        ),
        (
            {**QUIZ, "review_policy": "after_close"},
            "review_policy: showing answers after the quiz closes needs a closing time",
        ),
        (
            {**QUIZ, "review_policy": "after_last_attempt", "mastery": None},
            "review_policy: with unlimited attempts and no closing time there is no last attempt",
        ),
        ({**QUIZ, "closes_at": "Friday"}, "closes_at: 'Friday' is not a 'date-time'"),
    ],
)
def test_bad_review_settings_are_refused(payload, message):
    problems = payload_errors("quiz", payload)
    assert len(problems) == 1 and problems[0].startswith(message), problems


@pytest.mark.parametrize("policy", QuizReviewPolicy.values)
def test_the_editor_keeps_each_policy(module, policy):  # noqa: F811
    payload = {**copy.deepcopy(QUIZ), "review_policy": policy, "closes_at": "2026-12-24T12:00:00Z"}
    item, _ = content_item_create(module=module, content_type="quiz", title="Q", data_json=payload)
    item = ContentItem.objects.get(pk=item.pk)
    form = editor("quiz", data=submitted(editor("quiz", instance=item)), instance=item)
    assert form.is_valid(), form.errors
    assert form.payload == payload
    form.save()
    assert ContentItem.objects.get(pk=item.pk).data_json == payload


QUIZ_FIELDS = {"question_pool_id": "3", "quiz_mode": "exam", "num_questions_per_attempt": "2"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"review_policy": "after_close"}, "needs a closing time"),
        ({"review_policy": "after_last_attempt"}, "there is no last attempt"),
        ({"review_policy": "sometimes"}, "Select a valid choice."),
    ],
)
def test_the_editor_puts_review_problems_on_the_field(module, fields, message):  # noqa: F811
    form = editor("quiz", data=new_item_data(module, **QUIZ_FIELDS, **fields))
    assert not form.is_valid()
    assert any(message in error for error in form.errors["review_policy"]), form.errors
    assert form.payload is None
    assert ContentItem.objects.count() == 0


def test_the_editor_stores_a_chosen_policy_and_closing_time(module):  # noqa: F811
    fields = {
        **QUIZ_FIELDS,
        "review_policy": "after_close",
        "closes_at_0": "2026-12-24",
        "closes_at_1": "12:00:00",
        "mastery_max_attempts": "2",
    }
    form = editor("quiz", data=new_item_data(module, **fields))
    assert form.is_valid(), form.errors
    assert form.payload["review_policy"] == "after_close"
    assert form.payload["closes_at"] == "2026-12-24T12:00:00Z"


def test_the_editor_leaves_the_default_policy_out_of_the_payload(module):  # noqa: F811
    form = editor("quiz", data=new_item_data(module, **QUIZ_FIELDS, mastery_max_attempts="2"))
    assert form.is_valid(), form.errors
    assert "review_policy" not in form.payload and "closes_at" not in form.payload
