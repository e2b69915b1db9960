"""Random policies, weights, drop-lowest rules, attempt rules and scores: the stored grade is
the formula of assessments/grades/services.py worked out here by hand, and the gradebook and the
learner's page print the very numbers stored."""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.grades.models import CourseGrade, GradingPolicy, default_letter_scheme
from assessments.grades.services import grades_rollup
from assessments.tests import trees
from assessments.tests.grading_data import attempt, submission
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory

CENT = Decimal("0.01")
TYPES = {"quizzes": "quiz", "labs": "engineering_lab", "assignments": "assignment"}
# An item's work: None (not graded yet), or a list of (score, max) attempts, oldest first
# (labs and assignments count the latest graded submission; quizzes the best or the latest).
work = st.none() | st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from([10, 20, 40])), min_size=1, max_size=2
)


@st.composite
def policies(draw) -> dict:
    w_quizzes = draw(st.integers(0, 100))
    w_labs = draw(st.integers(0, 100 - w_quizzes))
    return {
        "weight_quizzes": w_quizzes,
        "weight_labs": w_labs,
        "weight_assignments": 100 - w_quizzes - w_labs,
        "drop_lowest_quizzes": draw(st.integers(0, 3)),
        "drop_lowest_labs": draw(st.integers(0, 3)),
        "drop_lowest_assignments": draw(st.integers(0, 3)),
        "quiz_attempt_rule": draw(st.sampled_from(["best", "latest"])),
        "pass_threshold": draw(st.integers(0, 100)),
    }


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent(score: int, maximum: int) -> Decimal:
    return cents(min(Decimal(score) / Decimal(maximum), Decimal(1)) * 100)


def item_percent(category: str, attempts, rule: str) -> Decimal | None:
    if attempts is None:
        return None
    percents = [percent(score, maximum) for score, maximum in attempts]
    if category == "quizzes" and rule == "best":
        return max(percents)
    return percents[-1]


def mean_after_drop(values: list[Decimal], drop: int) -> Decimal:
    kept = sorted(values)[min(drop, len(values) - 1) :]
    return cents(sum(kept) / len(kept))


def weighted(parts: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    weights = sum(weight for weight, _ in parts)
    if not parts or weights == 0:
        return None
    return cents(sum(weight * pct for weight, pct in parts) / weights)


def formula(policy: dict, items: dict[str, list]) -> tuple[Decimal | None, Decimal | None]:
    """(projected final grade, current grade) by the rules of assessments/grades/services.py."""
    projected, current = [], []
    for category, works in items.items():
        if not works:
            continue  # no items: the category gives its weight to the others
        weight = Decimal(policy[f"weight_{category}"])
        drop = policy[f"drop_lowest_{category}"]
        percents = [item_percent(category, w, policy["quiz_attempt_rule"]) for w in works]
        projected.append((weight, mean_after_drop([p or Decimal(0) for p in percents], drop)))
        graded = [p for p in percents if p is not None]
        if graded:
            current.append((weight, mean_after_drop(graded, drop)))
    return weighted(projected), weighted(current)


def letter_for(total: Decimal) -> str:
    return next(e["letter"] for e in default_letter_scheme() if total >= e["min"])


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    policy=policies(),
    items=st.fixed_dictionaries(
        {category: st.lists(work, max_size=3) for category in TYPES}
    ).filter(lambda items: any(items.values())),
)
def test_stored_total_is_the_formula_and_both_pages_print_it(client, policy, items):
    offering = OfferingFactory()
    GradingPolicy.objects.create(course_offering=offering, **policy)
    learner = EnrollmentFactory(course_offering=offering).user
    unit = trees.module(trees.root(offering.course), "Unit")
    for category, works in items.items():
        for n, attempts in enumerate(works):
            item = trees.item(unit, f"{category} {n}", TYPES[category])
            for minute, (score, maximum) in enumerate(attempts or []):
                if category == "quizzes":
                    attempt(learner, offering, item, score, maximum, minutes=minute)
                else:
                    submission(learner, offering, item, score, maximum, minutes=minute)

    grades_rollup(offering_id=offering.pk)

    projected, current = formula(policy, items)
    grade = CourseGrade.objects.get(user=learner, course_offering=offering)
    assert (grade.final_score, grade.current_score) == (projected, current)
    if projected is not None:
        assert grade.letter_grade == letter_for(projected)
        assert grade.passed is (projected >= policy["pass_threshold"])

    client.force_login(learner)
    page = client.get(reverse("portal:grades", kwargs={"offering_id": offering.pk}))
    learner_numbers = dict(
        re.findall(
            r'data-grade="(final|current)"><strong>([^<%]+)%?</strong>', page.content.decode()
        )
    )
    client.force_login(RoleFactory(university=offering.university, role=Role.UNIVERSITY_ADMIN).user)
    book = client.get(reverse("admin:assessments_coursegrade_gradebook", args=[offering.pk]))
    book_numbers = dict(
        re.findall(r'data-grade="(final|current)">([^<]+)</td>', book.content.decode())
    )

    shown = {"final": projected, "current": current}
    if projected is None:  # no weight on any category with items: no grade to print
        return
    assert learner_numbers == {
        key: "Not graded yet" if value is None else str(value) for key, value in shown.items()
    }
    assert book_numbers == {
        key: "\u2013" if value is None else str(value) for key, value in shown.items()
    }
