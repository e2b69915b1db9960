"""Question pools for the demo's quizzes: one pool per quiz item, in the item's course, with
questions of every type, and each quiz payload pointed at its pool.

The questions are short engineering-mathematics exercises whose numbers vary from pool to pool
(deterministically, from the pool's position), so every quiz on the demo can be taken and
scored. Rows are written with bulk inserts: a few hundred pools of twenty questions each.
"""

from decimal import Decimal
from typing import TYPE_CHECKING

from assessments.quizzes.models import Choice, Question, QuestionPool
from content.models import ContentItem, ContentType

if TYPE_CHECKING:
    from demo.seed import Demo

QUESTIONS_PER_TYPE = 4


def _single(k: int) -> dict:
    a, b = 3 + k, 4 + 2 * k
    right = a * b
    return {
        "question_type": "single",
        "prompt": f"A constant force of {a} N moves a body {b} m along its line of action. "
        "How much work does it do?",
        "choices": [
            (f"{right} J", True),
            (f"{a + b} J", False),
            (f"{right * 2} J", False),
            (f"{b - a} J", False),
        ],
        "explanation": f"W = F · s = {a} N · {b} m = {right} J.",
    }


def _multiple(k: int) -> dict:
    vectors = [("Force", True), ("Velocity", True), ("Acceleration", True), ("Momentum", True)]
    scalars = [("Mass", False), ("Temperature", False), ("Energy", False), ("Time", False)]
    picked = [vectors[k % 4], vectors[(k + 1) % 4]]
    return {
        "question_type": "multiple",
        "prompt": "Which of these quantities are vectors? Choose all that apply.",
        "choices": [picked[0], scalars[k % 4], picked[1], scalars[(k + 1) % 4]],
        "explanation": "Vectors have a direction as well as a size; "
        f"{picked[0][0].lower()} and {picked[1][0].lower()} do, the others do not.",
        "points": Decimal(2),
    }


_STATEMENTS = [
    ("The derivative of a constant is zero.", True, "d/dx c = 0 for any constant c."),
    ("A body at rest has no forces acting on it.", False, "The forces on it cancel out."),
    (
        "Doubling a spring's extension doubles its stored energy.",
        False,
        "E = ½kx², so it is four times as much.",
    ),
    ("In SI units, pressure is measured in pascals.", True, "1 Pa = 1 N/m²."),
]


def _true_false(k: int) -> dict:
    prompt, truth, why = _STATEMENTS[k % len(_STATEMENTS)]
    return {
        "question_type": "true_false",
        "prompt": prompt,
        "correct_boolean": truth,
        "explanation": why,
    }


def _numeric(k: int, pool_no: int) -> dict:
    mass = 2 + (pool_no + k) % 7
    g = Decimal("9.81")
    return {
        "question_type": "numeric",
        "prompt": f"What is the weight, in newtons, of a {mass} kg mass (g = 9.81 m/s²)? "
        "Answers within 0.1 N count.",
        "numeric_answer": mass * g,
        "numeric_tolerance": Decimal("0.1"),
        "explanation": f"W = m · g = {mass} kg · 9.81 m/s² = {mass * g} N.",
    }


_WORDS = [
    ("What is the SI unit of energy?", "joule", "case_insensitive", "Energy is measured in J."),
    ("Name the SI unit of power.", "watt", "case_insensitive", "1 W = 1 J/s."),
    (
        "Give the unit of frequency (singular or plural).",
        r"(?i)\s*hertz\s*",
        "regex",
        "Frequency is measured in hertz (Hz).",
    ),
    ("Write the chemical symbol of iron.", "Fe", "exact", "Iron is Fe (from Latin ferrum)."),
]


def _short_text(k: int) -> dict:
    prompt, answer, match, why = _WORDS[k % len(_WORDS)]
    return {
        "question_type": "short_text",
        "prompt": prompt,
        "text_answer": answer,
        "text_match": match,
        "explanation": why,
    }


def pool_questions(pool_no: int) -> list[dict]:
    """The questions of the `pool_no`-th pool, every type QUESTIONS_PER_TYPE times."""
    questions = []
    for k in range(QUESTIONS_PER_TYPE):
        shift = pool_no + k
        questions += [
            _single(shift % 9),
            _multiple(shift),
            _true_false(shift),
            _numeric(k, pool_no),
            _short_text(shift),
        ]
    return questions


def pool_questions_create(pool_ids: list[int]) -> int:
    """The questions and choices of saved, empty pools, the `n`-th pool's from
    pool_questions(n); returns the number of questions."""
    specs: list[tuple[Question, list[tuple[str, bool]]]] = []
    for pool_no, pool_id in enumerate(pool_ids):
        for position, spec in enumerate(pool_questions(pool_no), start=1):
            spec = dict(spec)
            choices = spec.pop("choices", [])
            specs.append((Question(pool_id=pool_id, position=position, **spec), choices))
    questions = Question.objects.bulk_create(
        [question for question, _choices in specs], batch_size=2000
    )
    Choice.objects.bulk_create(
        [
            Choice(question=question, text=text, is_correct=ok, position=n)
            for question, (_unused, choices) in zip(questions, specs, strict=True)
            for n, (text, ok) in enumerate(choices, start=1)
        ],
        batch_size=5000,
    )
    return len(questions)


def question_pools_seed(demo: "Demo") -> int:
    """Questions of every type in the pool of every quiz item of the demo courses, the pool
    template_add gave it in its own course, titled after the quiz; returns the number of
    pools."""
    items = list(
        ContentItem.objects.non_polymorphic()
        .filter(content_type=ContentType.QUIZ, course__in=demo.courses.values())
        .order_by("pk")
    )
    pools = QuestionPool.objects.in_bulk([item.data_json["question_pool_id"] for item in items])
    for item in items:
        pool = pools[item.data_json["question_pool_id"]]
        if pool.course_id != item.course_id or pool.questions.exists():
            raise RuntimeError(f"quiz {item.pk} does not have an empty pool of its course")
        pool.title = item.title[:255]
        pool.description = "Questions of every type for the demo."
    QuestionPool.objects.bulk_update(pools.values(), ["title", "description"])
    pool_questions_create([item.data_json["question_pool_id"] for item in items])
    return len(items)
