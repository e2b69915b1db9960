"""Reads of grades: the staff gradebook of an offering (page and CSV) and a learner's report.

Both compute item and category scores with the rollup's own SQL (grading.SCORES_CTES), so what
they show is exactly what the rollup counts; the total, letter and pass come from the recorded
`course_grades` row.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.grading import (
    CATEGORIES,
    GRADED_STATUSES,
    SCORES_CTES,
    policy_for_offering,
    policy_params,
)
from assessments.models import Certificate, CourseGrade, GradingPolicy
from catalog.models import CourseEnrollment

CATEGORY_LABELS = {
    "quizzes": gettext_lazy("Quizzes"),
    "labs": gettext_lazy("Labs"),
    "assignments": gettext_lazy("Assignments"),
}


@dataclass(frozen=True)
class GradedItem:
    id: int
    title: str
    category: str


@dataclass(frozen=True)
class GradebookRow:
    user_id: int
    full_name: str
    email: str
    item_percents: list[Decimal | None]  # None: nothing counted yet (scores 0)
    category_percents: dict[str, Decimal | None]
    final_score: Decimal | None
    letter_grade: str | None
    passed: bool | None
    graded_at: datetime | None


_ITEMS_SQL = f"""
WITH {SCORES_CTES}
SELECT id, title, category FROM items ORDER BY position
"""

_ROWS_SQL = f"""
WITH {SCORES_CTES},
item_rows AS (
    SELECT user_id, array_agg(round(pct, 2) ORDER BY position) AS item_pcts
    FROM scored GROUP BY user_id
),
category_rows AS (
    SELECT user_id,
           round(max(pct) FILTER (WHERE category = 'quizzes'), 2) AS quizzes,
           round(max(pct) FILTER (WHERE category = 'labs'), 2) AS labs,
           round(max(pct) FILTER (WHERE category = 'assignments'), 2) AS assignments
    FROM per_category GROUP BY user_id
)
SELECT s.user_id, u.full_name, u.email, coalesce(ir.item_pcts, '{{}}'),
       cr.quizzes, cr.labs, cr.assignments,
       g.final_score, g.letter_grade, g.passed, g.graded_at
FROM students s
JOIN users u ON u.id = s.user_id
LEFT JOIN item_rows ir ON ir.user_id = s.user_id
LEFT JOIN category_rows cr ON cr.user_id = s.user_id
LEFT JOIN course_grades g
  ON g.user_id = s.user_id AND g.course_offering_id = %(offering_id)s
ORDER BY u.full_name, u.id
"""

_PAGE_SQL = """
SELECT e.user_id
FROM course_enrollments e JOIN users u ON u.id = e.user_id
WHERE e.course_offering_id = %(offering_id)s AND e.status = ANY(%(enrolled_statuses)s)
ORDER BY u.full_name, u.id
LIMIT %(limit)s OFFSET %(offset)s
"""


def _params(offering_id: int, user_ids: list[int] | None) -> dict:
    return {
        "offering_id": offering_id,
        "user_ids": user_ids,
        **policy_params(policy_for_offering(offering_id)),
    }


def gradebook_items(*, offering_id: int) -> list[GradedItem]:
    with connection.cursor() as cursor:
        cursor.execute(_ITEMS_SQL, _params(offering_id, []))
        return [GradedItem(*row) for row in cursor.fetchall()]


def _row(values: tuple) -> GradebookRow:
    user_id, name, email, items, quizzes, labs, assignments, *grade = values
    return GradebookRow(
        user_id,
        name,
        email,
        list(items),
        {"quizzes": quizzes, "labs": labs, "assignments": assignments},
        *grade,
    )


def gradebook_rows(*, offering_id: int, page: int = 1, per_page: int = 50) -> list[GradebookRow]:
    """One page of the gradebook, learners by name: two queries whatever the page size."""
    params = _params(offering_id, None)
    params.update(limit=per_page, offset=(page - 1) * per_page)
    with connection.cursor() as cursor:
        cursor.execute(_PAGE_SQL, params)
        params["user_ids"] = [row[0] for row in cursor.fetchall()]
        if not params["user_ids"]:
            return []
        cursor.execute(_ROWS_SQL, params)
        return [_row(values) for values in cursor.fetchall()]


def gradebook_size(*, offering_id: int) -> int:
    return CourseEnrollment.objects.filter(
        course_offering_id=offering_id, status__in=GRADED_STATUSES
    ).count()


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def gradebook_csv(*, offering_id: int, chunk_rows: int = 2000) -> Iterator[str]:
    """The whole gradebook as CSV lines, read through a server-side cursor in chunks, for a
    streamed response. Empty item cells mean nothing counted yet (the item scores 0)."""
    items = gradebook_items(offering_id=offering_id)
    writer = csv.writer(_Echo())
    yield writer.writerow(
        [
            _("Name"),
            _("Email"),
            *[f"{_safe(item.title)} ({CATEGORY_LABELS[item.category]})" for item in items],
            *[CATEGORY_LABELS[category] for category in CATEGORIES],
            _("Total"),
            _("Letter"),
            _("Passed"),
            _("Graded at"),
        ]
    )
    params = _params(offering_id, None)
    with connection.chunked_cursor() as cursor:
        cursor.execute(_ROWS_SQL, params)
        while chunk := cursor.fetchmany(chunk_rows):
            lines = []
            for values in chunk:
                row = _row(values)
                lines.append(
                    writer.writerow(
                        [
                            _safe(row.full_name),
                            _safe(row.email),
                            *[_cell(p) for p in row.item_percents],
                            *[_cell(row.category_percents[c]) for c in CATEGORIES],
                            _cell(row.final_score),
                            _safe(row.letter_grade or ""),
                            _cell(row.passed),
                            _cell(row.graded_at),
                        ]
                    )
                )
            yield "".join(lines)


def _safe(text: str) -> str:
    """Keep a spreadsheet from reading a learner's name as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@dataclass
class CategoryReport:
    category: str
    label: str
    weight: Decimal
    drop_lowest: int
    percent: Decimal | None
    items: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class LearnerGradeReport:
    policy: GradingPolicy
    categories: list[CategoryReport]
    grade: CourseGrade | None
    certificate: Certificate | None


_LEARNER_SQL = f"""
WITH {SCORES_CTES}
SELECT c.item_id, i.title, c.category, round(c.pct, 2), c.counts,
       round(pc.pct, 2)
FROM counted c
JOIN items i ON i.id = c.item_id
JOIN per_category pc ON pc.user_id = c.user_id AND pc.category = c.category
ORDER BY c.position
"""


def learner_grade_report(*, offering_id: int, user_id: int) -> LearnerGradeReport:
    """A learner's scores in an offering: each graded item (and whether it counts after
    drop-lowest), each category, the recorded grade and the certificate."""
    policy = policy_for_offering(offering_id)
    params = {"offering_id": offering_id, "user_ids": [user_id], **policy_params(policy)}
    with connection.cursor() as cursor:
        cursor.execute(_LEARNER_SQL, params)
        rows = cursor.fetchall()
    weights = {
        "quizzes": (policy.weight_quizzes, policy.drop_lowest_quizzes),
        "labs": (policy.weight_labs, policy.drop_lowest_labs),
        "assignments": (policy.weight_assignments, policy.drop_lowest_assignments),
    }
    categories: dict[str, CategoryReport] = {}
    for item_id, title, category, pct, counts, category_pct in rows:
        report = categories.get(category)
        if report is None:
            weight, drop = weights[category]
            report = categories[category] = CategoryReport(
                category, CATEGORY_LABELS[category], weight, drop, category_pct
            )
        report.items.append({"id": item_id, "title": title, "percent": pct, "counts": counts})
    grade = CourseGrade.objects.filter(course_offering_id=offering_id, user_id=user_id).first()
    certificate = Certificate.objects.filter(
        course_offering_id=offering_id, user_id=user_id
    ).first()
    ordered = [categories[c] for c in CATEGORIES if c in categories]
    return LearnerGradeReport(policy, ordered, grade, certificate)
