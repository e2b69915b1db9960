"""Reads of grades: the staff gradebook of an offering (page and CSV) and a learner's report.

Both compute item scores, category scores and totals with the rollup's own SQL
(grading.scores_ctes) in the same statement, so the totals they print are always the policy
applied to the category percents printed beside them, and are the numbers the rollup stores.
Whether a grade is final comes from the recorded `course_grades` row.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.grades.models import Certificate, CourseGrade, GradingPolicy
from assessments.grades.services import (
    CATEGORIES,
    GRADED_STATUSES,
    policy_for_offering,
    policy_params,
    scores_ctes,
    tune_for_scores,
    what_if_params,
)
from catalog.models import CourseEnrollment, CourseOffering, CourseOfferingInstructor
from catalog.scoping import holds_role_at_offering_sql
from tenancy.access import administers, holds_role_at, holds_role_at_q
from tenancy.models import Role, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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
    item_percents: list[Decimal | None]  # None: not graded yet (0 in the projected grade)
    category_percents: dict[str, Decimal | None]  # projected: ungraded work as 0
    final_score: Decimal | None  # the projected final grade
    current_score: Decimal | None  # graded work only
    letter_grade: str | None
    passed: bool | None
    is_final: bool
    graded_at: datetime | None


_ITEMS_SQL = "SELECT id, title, category FROM items ORDER BY position"

# Item scores come as two arrays (positions and percents of the scored items), which the caller
# spreads over the item columns: no row per learner and item that has nothing.
_ROWS_SQL = """,
item_rows AS (
    SELECT user_id, array_agg(position ORDER BY position) AS positions,
           array_agg(pct::text ORDER BY position) AS pcts
    FROM scores GROUP BY user_id
),
category_rows AS (
    SELECT user_id,
           max(pct) FILTER (WHERE category = 'quizzes') AS quizzes,
           max(pct) FILTER (WHERE category = 'labs') AS labs,
           max(pct) FILTER (WHERE category = 'assignments') AS assignments
    FROM per_category GROUP BY user_id
)
SELECT {columns}
FROM students s
JOIN users u ON u.id = s.user_id
JOIN graded gr ON gr.user_id = s.user_id
LEFT JOIN item_rows ir ON ir.user_id = s.user_id
LEFT JOIN category_rows cr ON cr.user_id = s.user_id
LEFT JOIN course_grades g
  ON g.user_id = s.user_id AND g.course_offering_id = %(offering_id)s
WHERE {holds_role}
ORDER BY u.full_name, u.id
""".replace("{holds_role}", holds_role_at_offering_sql("s.user_id"))

_ROWS_SQL, _CSV_SQL = (
    _ROWS_SQL.replace("{columns}", columns)
    for columns in (
        """s.user_id, u.full_name, u.email, ir.positions, ir.pcts,
       cr.quizzes, cr.labs, cr.assignments,
       gr.total, gr.current_total, gr.letter, gr.passed,
       coalesce(g.is_final, false) OR gr.is_final, g.graded_at""",
        # The CSV's cells as the database writes them: numbers as text, yes / no, so that
        # no Decimal or bool is made for half a million cells.
        """u.full_name, u.email, ir.positions, ir.pcts,
       cr.quizzes::text, cr.labs::text, cr.assignments::text,
       gr.total::text, gr.current_total::text, coalesce(gr.letter, ''),
       CASE WHEN gr.passed THEN 'yes' WHEN NOT gr.passed THEN 'no' END,
       CASE WHEN coalesce(g.is_final, false) OR gr.is_final THEN 'yes' ELSE 'no' END,
       g.graded_at""",
    )
)

_PAGE_SQL = """
SELECT e.user_id
FROM course_enrollments e JOIN users u ON u.id = e.user_id
WHERE e.course_offering_id = %(offering_id)s AND e.status = ANY(%(enrolled_statuses)s)
  AND {holds_role}
ORDER BY u.full_name, u.id
LIMIT %(limit)s OFFSET %(offset)s
""".replace("{holds_role}", holds_role_at_offering_sql("e.user_id"))


def _params(offering_id: int, user_ids: list[int] | None) -> tuple[str, dict]:
    """The WITH clause for the offering's policy, and its parameters."""
    policy = policy_for_offering(offering_id)
    params = {"offering_id": offering_id, "user_ids": user_ids, **policy_params(policy)}
    return f"WITH {scores_ctes(policy)}", params


def may_finalize_grades(*, user: User, offering: CourseOffering) -> bool:
    """Whether `user` may make the offering's grades final: an admin over its course (platform,
    university or department) or one of its instructors holding the instructor role at its
    university. Teaching assistants recalculate but do not finalise."""
    if administers(
        user=user,
        university_id=offering.university_id,
        department_id=offering.course.department_id,
    ):
        return True
    instructs = holds_role_at(user, offering.university_id, role=Role.INSTRUCTOR)
    return (
        instructs
        and CourseOfferingInstructor.objects.filter(course_offering=offering, user=user).exists()
    )


def gradebook_items(*, offering_id: int) -> list[GradedItem]:
    with_clause, params = _params(offering_id, [])
    with connection.cursor() as cursor:
        cursor.execute(f"{with_clause} {_ITEMS_SQL}", params)
        return [GradedItem(*row) for row in cursor.fetchall()]


def _rows(
    offering_id: int, user_ids: list[int] | None, *, decimals: bool = True
) -> list[GradebookRow]:
    """Item percents come from the database as text (parsing half a million numerics costs
    more than the query); `decimals` turns them back into Decimals for the page."""
    with_clause, params = _params(offering_id, user_ids)
    with transaction.atomic(), connection.cursor() as cursor:
        tune_for_scores(cursor)
        cursor.execute(f"{with_clause} SELECT count(*) FROM items", params)
        n_items = cursor.fetchone()[0]
        cursor.execute(f"{with_clause.rstrip()}{_ROWS_SQL}", params)
        return [_row(values, n_items, decimals) for values in cursor.fetchall()]


def _row(values: tuple, n_items: int, decimals: bool) -> GradebookRow:
    user_id, name, email, positions, pcts, quizzes, labs, assignments, *grade = values
    items: list = [None] * n_items
    for position, pct in zip(positions or (), pcts or (), strict=True):
        items[position - 1] = Decimal(pct) if decimals else pct
    return GradebookRow(
        user_id,
        name,
        email,
        items,
        {"quizzes": quizzes, "labs": labs, "assignments": assignments},
        *grade,
    )


def gradebook_rows(*, offering_id: int, page: int = 1, per_page: int = 50) -> list[GradebookRow]:
    """One page of the gradebook, learners by name, whatever the page size in a fixed number
    of queries."""
    with connection.cursor() as cursor:
        cursor.execute(
            _PAGE_SQL,
            {
                "offering_id": offering_id,
                "enrolled_statuses": list(GRADED_STATUSES),
                "limit": per_page,
                "offset": (page - 1) * per_page,
            },
        )
        user_ids = [row[0] for row in cursor.fetchall()]
    return _rows(offering_id, user_ids) if user_ids else []


def gradebook_size(*, offering_id: int) -> int:
    return CourseEnrollment.objects.filter(
        holds_role_at_q(user_ref="user", university_ref="course_offering__university"),
        course_offering_id=offering_id,
        status__in=GRADED_STATUSES,
    ).count()


class _Echo:
    def write(self, value: str) -> str:
        return value


def gradebook_csv(*, offering_id: int, chunk_rows: int = 2000) -> Iterator[str]:
    """The whole gradebook as CSV text in chunks, for a streamed response: one query reads
    all the rows, with the cells already as text (a few MB for 10,000 learners); writing them
    is what streams, tuples straight from the cursor. Empty item cells mean not graded yet
    (0 in the projected grade, left out of the current one)."""
    items = gradebook_items(offering_id=offering_id)
    writer = csv.writer(_Echo())
    yield writer.writerow(
        [
            _("Name"),
            _("Email"),
            *[f"{_safe(item.title)} ({CATEGORY_LABELS[item.category]})" for item in items],
            *[CATEGORY_LABELS[category] for category in CATEGORIES],
            _("Projected final grade"),
            _("Current grade"),
            _("Letter"),
            _("Passed"),
            _("Final"),
            _("Graded at"),
        ]
    )
    with_clause, params = _params(offering_id, None)
    with transaction.atomic(), connection.cursor() as cursor:
        tune_for_scores(cursor)
        cursor.execute(f"{with_clause.rstrip()}{_CSV_SQL}", params)
        rows = cursor.fetchall()
    n_items = len(items)
    writerow = writer.writerow
    for start in range(0, len(rows), chunk_rows):
        out = []
        for name, email, positions, pcts, *cells, graded_at in rows[start : start + chunk_rows]:
            line = [""] * n_items
            for position, pct in zip(positions or (), pcts or (), strict=True):
                line[position - 1] = pct
            out.append(
                writerow(
                    [
                        _safe(name),
                        _safe(email),
                        *line,
                        *cells[:5],
                        _safe(cells[5]),
                        *cells[6:],
                        "" if graded_at is None else graded_at.isoformat(),
                    ]
                )
            )
        yield "".join(out)


def _safe(text: str) -> str:
    """Keep a spreadsheet from reading a learner's name as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@dataclass
class CategoryReport:
    category: str
    label: "StrOrPromise"
    weight: Decimal
    drop_lowest: int
    percent: Decimal | None  # projected: ungraded work as 0
    current_percent: Decimal | None  # graded work only; None when nothing is graded yet
    items: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class LearnerGradeReport:
    policy: GradingPolicy
    categories: list[CategoryReport]
    grade: CourseGrade | None  # the recorded row: whether the grade is final, and when
    certificate: Certificate | None
    final_score: Decimal | None = None  # projected final grade, from the categories shown
    current_score: Decimal | None = None  # current grade: graded work only
    letter_grade: str | None = None
    passed: bool | None = None
    is_final: bool = False


# Every graded item for one learner; a missing item is dropped when it is among the first `d`
# missing items of its category (missing items score 0 and go first).
_LEARNER_SQL = """
SELECT i.id, i.title, i.category, round(c.pct, 2),
       CASE WHEN c.item_id IS NOT NULL THEN c.counts
            ELSE row_number() OVER (
                PARTITION BY i.category, c.item_id IS NULL ORDER BY i.position
            ) > cs.d END,
       pc.pct, pc.pct_current, gr.total, gr.current_total, gr.letter, gr.passed, gr.is_final
FROM items i
JOIN category_sizes cs ON cs.category = i.category
JOIN per_category pc ON pc.category = i.category
JOIN graded gr ON gr.user_id = pc.user_id
LEFT JOIN counted c ON c.item_id = i.id
ORDER BY i.position
"""


def learner_grade_report(
    *, offering_id: int, user_id: int, what_if: dict[int, Decimal] | None = None
) -> LearnerGradeReport:
    """A learner's scores in an offering: each graded item (and whether it counts after
    drop-lowest), each category, the recorded grade and the certificate. With `what_if`
    (percents by item id), ungraded items are scored at those percents by the rollup's own
    rules, and the totals are what the grade would then be; nothing is written."""
    policy = policy_for_offering(offering_id)
    params = {"offering_id": offering_id, "user_ids": [user_id], **policy_params(policy)}
    if what_if is not None:
        params.update(what_if_params(what_if))
    ctes = scores_ctes(policy, dropping=True, what_if=what_if is not None)
    with_clause = f"WITH {ctes}".rstrip()
    with connection.cursor() as cursor:
        cursor.execute(f"{with_clause} {_LEARNER_SQL}", params)
        rows = cursor.fetchall()
    weights = {
        "quizzes": (policy.weight_quizzes, policy.drop_lowest_quizzes),
        "labs": (policy.weight_labs, policy.drop_lowest_labs),
        "assignments": (policy.weight_assignments, policy.drop_lowest_assignments),
    }
    categories: dict[str, CategoryReport] = {}
    totals: list = [None, None, None, None, False]
    for item_id, title, category, pct, counts, category_pct, current_pct, *row_totals in rows:
        totals = row_totals
        report = categories.get(category)
        if report is None:
            weight, drop = weights[category]
            report = categories[category] = CategoryReport(
                category, CATEGORY_LABELS[category], weight, drop, category_pct, current_pct
            )
        report.items.append({"id": item_id, "title": title, "percent": pct, "counts": counts})
    grade = CourseGrade.objects.filter(course_offering_id=offering_id, user_id=user_id).first()
    certificate = Certificate.objects.filter(
        course_offering_id=offering_id, user_id=user_id
    ).first()
    ordered = [categories[c] for c in CATEGORIES if c in categories]
    # A category without items gives its weight to the others (see grading), so the learner
    # is shown the share each category really has of the total.
    present = sum(Decimal(report.weight) for report in ordered)
    if present:
        for report in ordered:
            report.weight = (Decimal(report.weight) * 100 / present).quantize(Decimal("0.01"))
    final_score, current_score, letter, passed, is_final = totals
    return LearnerGradeReport(
        policy,
        ordered,
        grade,
        certificate,
        final_score=final_score,
        current_score=current_score,
        letter_grade=letter,
        passed=passed,
        is_final=bool(is_final or (grade is not None and grade.is_final)),
    )
