"""The demo's quizzes can be taken: every quiz item points at a pool of its own course with
questions of every type whose keys are complete, and a seeded student can start one."""

import pytest

from assessments.quizzes.models import CHOICE_TYPES, Question, QuestionPool, QuestionType
from assessments.quizzes.services import attempt_answers_save, attempt_start, attempt_submit
from catalog.models import CourseEnrollment, EnrollmentStatus
from content.models import ContentItem, ContentType
from demo.tests.test_seed_demo import seeded  # noqa: F401

pytestmark = pytest.mark.django_db


def test_every_quiz_has_a_pool_of_its_course_with_every_question_type(seeded):  # noqa: F811
    quizzes = list(ContentItem.objects.non_polymorphic().filter(content_type=ContentType.QUIZ))
    assert quizzes
    pools = {p.pk: p for p in QuestionPool.objects.all()}
    types_by_pool: dict[int, set[str]] = {}
    for pool_id, question_type in Question.objects.values_list("pool_id", "question_type"):
        types_by_pool.setdefault(pool_id, set()).add(question_type)
    template_quizzes = 0
    for item in quizzes:
        pool = pools.get(item.data_json["question_pool_id"])
        if pool is None or pool.course_id != item.course_id:
            template_quizzes += 1  # copied from a module template, see below
            continue
        assert pool.university_id == item.university_id
        assert types_by_pool[pool.pk] == set(QuestionType.values)
    assert template_quizzes == 0
    for question in Question.objects.prefetch_related("choices"):
        options = [(c.text, c.is_correct) for c in question.choices.all()]
        checked = options if question.question_type in CHOICE_TYPES else []
        assert question.key_errors(checked) == {}, question.prompt


def test_a_demo_student_takes_a_demo_quiz(seeded):  # noqa: F811
    enrollment = (
        CourseEnrollment.objects.filter(status=EnrollmentStatus.ACTIVE)
        .select_related("course_offering", "user")
        .order_by("pk")
        .first()
    )
    offering = enrollment.course_offering
    item = (
        ContentItem.objects.non_polymorphic()
        .filter(content_type=ContentType.QUIZ, course_id=offering.course_id)
        .order_by("pk")
        .first()
    )
    started = attempt_start(user=enrollment.user, offering=offering, item_id=item.pk)
    attempt = started.attempt
    assert len(attempt.raw_response_json["question_ids"]) == min(
        item.data_json["num_questions_per_attempt"], 20
    )
    first = Question.objects.get(pk=attempt.raw_response_json["question_ids"][0])
    answer = {
        "single": lambda q: str(q.choices.get(is_correct=True).pk),
        "multiple": lambda q: [str(c.pk) for c in q.choices.filter(is_correct=True)],
        "true_false": lambda q: "true" if q.correct_boolean else "false",
        "numeric": lambda q: str(q.numeric_answer),
        "short_text": lambda q: "joule" if q.text_match != "exact" else q.text_answer,
    }[first.question_type](first)
    attempt_answers_save(user=enrollment.user, attempt_id=attempt.pk, answers={first.pk: answer})
    done = attempt_submit(user=enrollment.user, attempt_id=attempt.pk)
    assert done.score_obtained is not None and done.max_score > 0
