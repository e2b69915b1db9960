"""Question pools, questions of every type and quiz items for the quiz tests."""

from decimal import Decimal
from typing import Any

from assessments.quizzes.models import Choice, Question, QuestionPool
from assessments.tests import trees
from catalog.models import CourseOffering
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from content.models import ContentItem


def pool(course, title: str = "Statics questions") -> QuestionPool:
    return QuestionPool.objects.create(course=course, title=title)


def question(pool: QuestionPool, question_type: str, prompt: str, **fields: Any) -> Question:
    choices = fields.pop("choices", ())
    position = fields.pop("position", pool.questions.count() + 1)
    q = Question(pool=pool, question_type=question_type, prompt=prompt, position=position)
    for name, value in fields.items():
        setattr(q, name, value)
    q.full_clean()
    q.save()
    for n, (text, ok) in enumerate(choices, start=1):
        Choice.objects.create(question=q, text=text, is_correct=ok, position=n)
    return q


def single(pool, prompt="Unit of force?", **kw) -> Question:
    kw.setdefault("choices", [("Newton", True), ("Joule", False), ("Watt", False)])
    kw.setdefault("explanation", "EXPLAIN-SINGLE: force is measured in newtons.")
    return question(pool, "single", prompt, **kw)


def multiple(pool, prompt="Which are vectors?", **kw) -> Question:
    kw.setdefault(
        "choices",
        [("Force", True), ("Velocity", True), ("Mass", False), ("Temperature", False)],
    )
    kw.setdefault("points", Decimal(2))
    return question(pool, "multiple", prompt, **kw)


def true_false(pool, prompt="A body at rest has no forces on it.", **kw) -> Question:
    kw.setdefault("correct_boolean", False)
    return question(pool, "true_false", prompt, **kw)


def numeric(pool, prompt="g in m/s^2?", **kw) -> Question:
    kw.setdefault("numeric_answer", Decimal("9.81"))
    kw.setdefault("numeric_tolerance", Decimal("0.05"))
    return question(pool, "numeric", prompt, **kw)


def short_text(pool, prompt="Name of the SI unit of energy?", **kw) -> Question:
    kw.setdefault("text_answer", "joule")
    kw.setdefault("text_match", "case_insensitive")
    return question(pool, "short_text", prompt, **kw)


def every_type(pool) -> list[Question]:
    return [single(pool), multiple(pool), true_false(pool), numeric(pool), short_text(pool)]


def quiz_payload(pool_id: int, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "question_pool_id": pool_id,
        "quiz_mode": "exam",
        "num_questions_per_attempt": 5,
        "randomize_order": False,
        "time_limit_seconds": None,
        "mastery": {"points": 50, "threshold_correct_in_row": 3, "max_attempts": 3},
    }
    mastery = overrides.pop("mastery", None)
    data.update(overrides)
    if mastery is not None:
        merged = {**data["mastery"], **mastery}
        data["mastery"] = {k: v for k, v in merged.items() if v is not None}
    return data


def quiz_setup(
    offering: CourseOffering | None = None, **payload: Any
) -> tuple[CourseOffering, ContentItem, QuestionPool, list[Question], Any]:
    """An offering with a quiz over a pool of one question of each type and an enrolled
    student: (offering, quiz item, pool, questions, student)."""
    offering = offering or OfferingFactory()
    bank = pool(offering.course)
    questions = every_type(bank)
    root = trees.root(offering.course)
    lesson = trees.module(root, "Lesson 1", module_type="lesson")
    item = trees.item(lesson, "Statics quiz", "quiz", data=quiz_payload(bank.pk, **payload))
    student = EnrollmentFactory(course_offering=offering).user
    return offering, item, bank, questions, student


def correct_answers(questions) -> dict[int, object]:
    """Form input answering each question right."""
    answers: dict[int, object] = {}
    for q in questions:
        if q.question_type == "single":
            answers[q.pk] = str(q.choices.get(is_correct=True).pk)
        elif q.question_type == "multiple":
            answers[q.pk] = [str(c.pk) for c in q.choices.filter(is_correct=True)]
        elif q.question_type == "true_false":
            answers[q.pk] = "true" if q.correct_boolean else "false"
        elif q.question_type == "numeric":
            answers[q.pk] = str(q.numeric_answer)
        else:
            answers[q.pk] = q.text_answer
    return answers
