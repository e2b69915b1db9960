"""Course grades: the grading policy of an offering and the rollup that writes `course_grades`.

How a grade is computed (the SQL below does all of it in one statement per offering):

- Graded items are the course's active quizzes, engineering labs and assignments that a
  learner can see (no unpublished module above them). Each falls in one category: quizzes,
  labs, assignments.
- An item's score is a percent (0-100, to two decimals): for a quiz, the best submitted attempt
  (`score_obtained / max_score`), or the latest one when the policy says so; for a lab or an
  assignment, the latest graded submission in `lab_submissions` (whose score an instructor may
  have overridden), out of its `max_score` or else the payload's `max_points`. An item without
  a counted attempt or submission is not graded yet.
- Two totals, as the gradebook and the learner's page show them:
  - the projected final grade (`final_score`) counts ungraded items as 0, so unfinished work
    cannot pass a course. A category's percent is the mean of its item percents after dropping
    the learner's `drop_lowest_*` lowest (ungraded ones first; one item always counts);
  - the current grade (`current_score`) counts graded items only: a category's percent is the
    mean of its graded items after dropping the lowest of those (one always counts), and a
    category with nothing graded gives its weight to the others.
- Each category percent is rounded to two decimals, and a total is the weighted mean of those
  rounded percents over the categories that have items (an empty category gives its weight to
  the others), rounded to two decimals: the total is the policy applied to the numbers shown.
  The projected total earns the letter of the highest scheme entry it reaches and passes at
  `pass_threshold`.

A grade is provisional while the offering runs. It becomes final (`is_final`) when the
offering's staff finalise it or its end date passes (the beat task `grades_finalize_due_task`
finalises those), and, in a self-paced offering (no end date), for a learner whose every graded
item is graded and whose grade passes. A final passing grade, and only that, completes the
learner's active enrollment through the catalog's service, in the same transaction, and makes
the certificate due.

The rollup covers the learners with an active or completed enrollment. It takes a
transaction-level advisory lock per offering, so concurrent rollups of one offering run one
after the other, and writes with INSERT ... ON CONFLICT DO UPDATE ... WHERE changed, so running
it again changes nothing.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from psycopg.types.json import Jsonb

from assessments.grades.models import AttemptRule, Certificate, CourseGrade, GradingPolicy
from catalog.services.enrollment import enrollments_complete
from catalog.services.offerings import offering_grades_finalize
from syllabus import tree

CATEGORIES = ("quizzes", "labs", "assignments")
CATEGORY_OF_TYPE = {"quiz": "quizzes", "engineering_lab": "labs", "assignment": "assignments"}
# Submissions whose score counts: graded automatically or by an instructor.
GRADED_SUBMISSION_STATUSES = ("graded",)
GRADED_STATUSES = ("active", "completed")


def policy_errors(policy: GradingPolicy) -> dict[str, list[str]]:
    """What is wrong with a policy, per field; empty when it can be used."""
    errors: dict[str, list[str]] = {}
    weights = [policy.weight_quizzes, policy.weight_labs, policy.weight_assignments]
    if any(w is None or w < 0 or w > 100 for w in weights):
        errors["weight_quizzes"] = [_("Each weight is a percent from 0 to 100.")]
    elif sum(weights) != 100:
        errors["weight_quizzes"] = [
            _("The weights add up to %(sum)s; they must add up to 100.") % {"sum": sum(weights)}
        ]
    if policy.pass_threshold is None or not 0 <= policy.pass_threshold <= 100:
        errors["pass_threshold"] = [_("The pass threshold is a percent from 0 to 100.")]
    scheme_problem = letter_scheme_error(policy.letter_scheme)
    if scheme_problem:
        errors["letter_scheme"] = [scheme_problem]
    return errors


def letter_scheme_error(scheme: Any) -> str | None:
    if not isinstance(scheme, list) or not scheme:
        return _('Give a list of letters such as [{"letter": "A", "min": 90}, ...].')
    seen: set[str] = set()
    previous = None
    for entry in scheme:
        if not isinstance(entry, dict) or set(entry) != {"letter", "min"}:
            return _('Each entry has exactly a "letter" and a "min".')
        letter, minimum = entry["letter"], entry["min"]
        if not isinstance(letter, str) or not 1 <= len(letter.strip()) <= 8:
            return _("Each letter is 1 to 8 characters.")
        if letter in seen:
            return _("The letter %(letter)s appears twice.") % {"letter": letter}
        seen.add(letter)
        if isinstance(minimum, bool) or not isinstance(minimum, int | float):
            return _("Each minimum is a number.")
        if not 0 <= minimum <= 100:
            return _("Each minimum is a percent from 0 to 100.")
        if previous is not None and minimum >= previous:
            return _("List the letters from the highest minimum to the lowest.")
        previous = minimum
    if previous != 0:
        return _("The last letter needs a minimum of 0, so every total gets a letter.")
    return None


def policy_for_offering(offering_id: int) -> GradingPolicy:
    """The offering's policy, or the default one (unsaved) when staff have not set any."""
    policy = GradingPolicy.objects.filter(course_offering_id=offering_id).first()
    return policy or GradingPolicy(course_offering_id=offering_id)


def policy_params(policy: GradingPolicy) -> dict[str, Any]:
    return {
        "w_quizzes": policy.weight_quizzes,
        "w_labs": policy.weight_labs,
        "w_assignments": policy.weight_assignments,
        "d_quizzes": policy.drop_lowest_quizzes,
        "d_labs": policy.drop_lowest_labs,
        "d_assignments": policy.drop_lowest_assignments,
        "pass_threshold": policy.pass_threshold,
        "letters": Jsonb(policy.letter_scheme),
        "graded_statuses": list(GRADED_SUBMISSION_STATUSES),
        "enrolled_statuses": list(GRADED_STATUSES),
    }


def what_if_params(percents: dict[int, Decimal]) -> dict[str, list]:
    """The parameters of a `what_if` statement: hypothetical percents by item id."""
    return {
        "what_if_items": list(percents),
        "what_if_percents": list(percents.values()),
    }


# The scores of the offering's learners, `%(user_ids)s` (an array) narrowing it to some of them
# when not null. Shared by the rollup and the gradebook. `scores` has a row per learner and item
# with something counted (a missing item scores 0); `per_category` a row per learner and
# category with items. The statement is built per policy: the best-attempt rule aggregates
# instead of sorting, and the ranking that drop-lowest needs is only there when a policy drops.
_BASE_CTES = (
    """
offering AS (
    SELECT id, course_id, ends_at,
           grades_finalized_at IS NOT NULL OR coalesce(ends_at <= statement_timestamp(), false)
           AS term_over
    FROM course_offerings WHERE id = %(offering_id)s
),
students AS (
    SELECT e.user_id, e.status
    FROM course_enrollments e
    WHERE e.course_offering_id = %(offering_id)s
      AND e.status = ANY(%(enrolled_statuses)s)
      AND (%(user_ids)s::bigint[] IS NULL OR e.user_id = ANY(%(user_ids)s::bigint[]))
),
hidden AS MATERIALIZED (
    SELECT """
    + tree.sql_subtree_columns("h")
    + """
    FROM modules h
    WHERE h.course_id = (SELECT course_id FROM offering) AND NOT h.is_published
),
items AS MATERIALIZED (
    SELECT ci.id, ci.title, ci.content_type,
           CASE ci.content_type WHEN 'quiz' THEN 'quizzes'
                                WHEN 'engineering_lab' THEN 'labs'
                                ELSE 'assignments' END AS category,
           CASE ci.content_type
               WHEN 'engineering_lab' THEN (ci.data_json #>> '{grading,max_points}')::numeric
               WHEN 'assignment' THEN (ci.data_json ->> 'max_points')::numeric
           END AS default_max,
           row_number() OVER (ORDER BY """
    + tree.sql_outline_order("m")
    + """, ci.sequence_index, ci.id) AS position
    FROM content_items ci
    JOIN modules m ON m.id = ci.module_id
    WHERE ci.course_id = (SELECT course_id FROM offering)
      AND ci.is_active
      AND ci.content_type IN ('quiz', 'engineering_lab', 'assignment')
      AND NOT EXISTS (
          SELECT 1 FROM hidden h
          WHERE """
    + tree.sql_within("m", "h")
    + """
      )
),
weights (category, weight, drop_n) AS (
    VALUES ('quizzes', %(w_quizzes)s::numeric, %(d_quizzes)s::int),
           ('labs', %(w_labs)s::numeric, %(d_labs)s::int),
           ('assignments', %(w_assignments)s::numeric, %(d_assignments)s::int)
),
category_sizes AS (
    -- n items; d of them dropped (one always counts)
    SELECT i.category, count(*) AS n, least(w.drop_n, count(*) - 1) AS d
    FROM items i JOIN weights w ON w.category = i.category
    GROUP BY i.category, w.drop_n
),
"""
)

_PCT = "round(least(greatest({score} / nullif({maximum}, 0), 0), 1) * 100, 2)"
_ATTEMPT_FILTER = """
    WHERE qa.course_offering_id = %(offering_id)s
      AND qa.submitted_at IS NOT NULL
      AND qa.score_obtained IS NOT NULL
      AND qa.max_score > 0
      AND (%(user_ids)s::bigint[] IS NULL OR qa.user_id = ANY(%(user_ids)s::bigint[]))
"""
_BEST_ATTEMPTS = f"""
quiz_scores AS (
    SELECT qa.user_id, qa.content_item_id AS item_id,
           max({_PCT.format(score="qa.score_obtained", maximum="qa.max_score")}) AS pct
    FROM quiz_attempts qa
    {_ATTEMPT_FILTER}
    GROUP BY qa.user_id, qa.content_item_id
),
"""
_LATEST_ATTEMPTS = f"""
quiz_scores AS (
    SELECT DISTINCT ON (qa.user_id, qa.content_item_id)
           qa.user_id, qa.content_item_id AS item_id,
           {_PCT.format(score="qa.score_obtained", maximum="qa.max_score")} AS pct
    FROM quiz_attempts qa
    {_ATTEMPT_FILTER}
    ORDER BY qa.user_id, qa.content_item_id, qa.submitted_at DESC, qa.id DESC
),
"""
_SUBMISSIONS = f"""
submission_scores AS (
    SELECT DISTINCT ON (ls.user_id, ls.content_item_id)
           ls.user_id, ls.content_item_id AS item_id,
           {_PCT.format(score="ls.score_obtained", maximum="coalesce(ls.max_score, i.default_max)")}
           AS pct
    FROM lab_submissions ls
    JOIN items i ON i.id = ls.content_item_id AND i.content_type <> 'quiz'
    WHERE ls.course_offering_id = %(offering_id)s
      AND ls.status = ANY(%(graded_statuses)s)
      AND ls.score_obtained IS NOT NULL
      AND (%(user_ids)s::bigint[] IS NULL OR ls.user_id = ANY(%(user_ids)s::bigint[]))
    ORDER BY ls.user_id, ls.content_item_id, ls.submitted_at DESC, ls.id DESC
),
"""
_SCORES = """
scores AS (
    SELECT q.user_id, i.id AS item_id, i.category, i.position, q.pct
    FROM quiz_scores q JOIN items i ON i.id = q.item_id AND i.content_type = 'quiz'
    UNION ALL
    SELECT sub.user_id, i.id, i.category, i.position, sub.pct
    FROM submission_scores sub JOIN items i ON i.id = sub.item_id{what_if}
),
"""
# "What if": hypothetical percents (`%(what_if_items)s`, `%(what_if_percents)s`, two arrays)
# for items not graded yet, scored as if they were; graded items keep their real score.
_WHAT_IF_SCORES = """
    UNION ALL
    SELECT s.user_id, i.id, i.category, i.position, round(least(greatest(h.pct, 0), 100), 2)
    FROM students s
    CROSS JOIN unnest(%(what_if_items)s::bigint[], %(what_if_percents)s::numeric[])
         AS h (item_id, pct)
    JOIN items i ON i.id = h.item_id
    WHERE NOT EXISTS (
              SELECT 1 FROM quiz_scores q
              WHERE i.content_type = 'quiz' AND q.user_id = s.user_id AND q.item_id = i.id)
      AND NOT EXISTS (
              SELECT 1 FROM submission_scores sub
              WHERE sub.user_id = s.user_id AND sub.item_id = i.id)"""
# Without drops every scored item counts.
_SUMS_ALL = """
sums AS (
    SELECT user_id, category, count(*) AS n_scored, sum(pct) AS total,
           sum(pct) AS total_current, count(*) AS n_current
    FROM scores GROUP BY user_id, category
),
"""
# Drop-lowest: the m missing items (0) go first, then the lowest scored ones, `d` in all; a
# scored item counts when its rank among the learner's scored items passes d - m.
_SUMS_DROPPING = """
ranked AS (
    SELECT s.*,
           row_number() OVER w AS rank_low,
           count(*) OVER (PARTITION BY s.user_id, s.category) AS n_scored
    FROM scores s
    WINDOW w AS (PARTITION BY s.user_id, s.category ORDER BY s.pct, s.position)
),
counted AS (
    SELECT r.*, r.rank_low > greatest(cs.d - (cs.n - r.n_scored), 0) AS counts,
           r.rank_low > least(cs.d, r.n_scored - 1) AS counts_current
    FROM ranked r JOIN category_sizes cs ON cs.category = r.category
),
sums AS (
    SELECT user_id, category, count(*) AS n_scored,
           sum(pct) FILTER (WHERE counts) AS total,
           sum(pct) FILTER (WHERE counts_current) AS total_current,
           count(*) FILTER (WHERE counts_current) AS n_current
    FROM counted GROUP BY user_id, category
),
"""
_TOTALS = """
per_category AS (
    SELECT s.user_id, cs.category, coalesce(sums.n_scored, 0) AS n_scored,
           round(coalesce(sums.total, 0) / (cs.n - cs.d), 2) AS pct,
           round(sums.total_current / nullif(sums.n_current, 0), 2) AS pct_current
    FROM students s
    CROSS JOIN category_sizes cs
    LEFT JOIN sums ON sums.user_id = s.user_id AND sums.category = cs.category
),
totals AS (
    SELECT s.user_id,
           round(sum(w.weight * pc.pct) / nullif(sum(w.weight), 0), 2) AS total,
           round(
               sum(w.weight * pc.pct_current)
               / nullif(sum(w.weight) FILTER (WHERE pc.pct_current IS NOT NULL), 0), 2
           ) AS current_total,
           coalesce(sum(pc.n_scored), 0) = (SELECT count(*) FROM items) AS all_graded
    FROM students s
    LEFT JOIN per_category pc ON pc.user_id = s.user_id
    LEFT JOIN weights w ON w.category = pc.category
    GROUP BY s.user_id
),
letters AS (
    SELECT e ->> 'letter' AS letter, (e ->> 'min')::numeric AS minimum
    FROM jsonb_array_elements(%(letters)s::jsonb) e
),
passing AS (
    SELECT t.*,
           (SELECT l.letter FROM letters l WHERE l.minimum <= t.total
            ORDER BY l.minimum DESC LIMIT 1) AS letter,
           CASE WHEN t.total IS NOT NULL THEN t.total >= %(pass_threshold)s END AS passed
    FROM totals t
),
graded AS (
    SELECT p.user_id, p.total, p.current_total, p.letter, p.passed,
           o.term_over OR (o.ends_at IS NULL AND p.all_graded AND coalesce(p.passed, false))
           AS is_final
    FROM passing p CROSS JOIN offering o
)
"""


def scores_ctes(
    policy: GradingPolicy, *, dropping: bool | None = None, what_if: bool = False
) -> str:
    """The WITH list (without WITH) computing the scores under `policy`; `dropping` forces the
    ranking of scored items (the learner's report shows which were dropped), `what_if` scores
    ungraded items at the percents given in `what_if_params`."""
    if dropping is None:
        dropping = any(
            (policy.drop_lowest_quizzes, policy.drop_lowest_labs, policy.drop_lowest_assignments)
        )
    best = policy.quiz_attempt_rule == AttemptRule.BEST
    return "".join(
        [
            _BASE_CTES,
            _BEST_ATTEMPTS if best else _LATEST_ATTEMPTS,
            _SUBMISSIONS,
            _SCORES.format(what_if=_WHAT_IF_SCORES if what_if else ""),
            _SUMS_DROPPING if dropping else _SUMS_ALL,
            _TOTALS,
        ]
    )


_ROLLUP_SQL = """
INSERT INTO course_grades AS g (
    user_id, course_offering_id, final_score, current_score, letter_grade, passed, is_final,
    finalized_at, graded_at
)
SELECT user_id, %(offering_id)s, total, current_total, letter, passed, is_final,
       CASE WHEN is_final THEN statement_timestamp() END, statement_timestamp()
FROM graded
ON CONFLICT (user_id, course_offering_id) DO UPDATE SET
    final_score = EXCLUDED.final_score,
    current_score = EXCLUDED.current_score,
    letter_grade = EXCLUDED.letter_grade,
    passed = EXCLUDED.passed,
    is_final = g.is_final OR EXCLUDED.is_final,
    finalized_at = coalesce(g.finalized_at, EXCLUDED.finalized_at),
    graded_at = EXCLUDED.graded_at
WHERE (g.final_score, g.current_score, g.letter_grade, g.passed, g.is_final)
      IS DISTINCT FROM (EXCLUDED.final_score, EXCLUDED.current_score, EXCLUDED.letter_grade,
                        EXCLUDED.passed, g.is_final OR EXCLUDED.is_final)
"""

_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtextextended('course_grades', %s))"


def tune_for_scores(cursor) -> None:
    """For the statements over a whole offering (inside a transaction): JIT compilation costs
    seconds and gains nothing on these plans, and the sorts of a 10,000-learner offering fit
    in memory with a larger work_mem."""
    cursor.execute("SET LOCAL jit = off")
    cursor.execute("SET LOCAL work_mem = '128MB'")


@dataclass(frozen=True)
class RollupResult:
    changed: int  # grade rows written or changed
    completed: int  # enrollments this rollup marked completed
    certificates_due: list[int]  # learners who passed and whose certificate is not finished


def grades_rollup(*, offering_id: int, user_ids: list[int] | None = None) -> RollupResult:
    """Recompute the course grades of the offering (of `user_ids` only, when given)."""
    policy = policy_for_offering(offering_id)
    params = {
        "offering_id": offering_id,
        "user_ids": list(user_ids) if user_ids is not None else None,
        **policy_params(policy),
    }
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_LOCK_SQL, [offering_id])
            tune_for_scores(cursor)
            cursor.execute(f"WITH {scores_ctes(policy)} {_ROLLUP_SQL}", params)
            changed = cursor.rowcount
        # Only a final grade completes the enrollment and earns the certificate: a running
        # offering's grade is provisional, whatever it reaches.
        passing = CourseGrade.objects.filter(
            course_offering_id=offering_id, passed=True, is_final=True
        )
        if user_ids is not None:
            passing = passing.filter(user_id__in=params["user_ids"])
        passing_ids = list(passing.values_list("user_id", flat=True))
        completed = enrollments_complete(offering_id=offering_id, user_ids=passing_ids)
        settled = Certificate.objects.filter(
            course_offering_id=offering_id, user_id=OuterRef("user_id")
        ).filter(Q(revoked_at__isnull=False) | (~Q(pdf_path="") & Q(emailed_at__isnull=False)))
        due = list(passing.exclude(Exists(settled)).values_list("user_id", flat=True))
    return RollupResult(changed=changed, completed=completed, certificates_due=due)


def grades_finalize(*, offering_id: int) -> RollupResult:
    """Make the offering's grades final (staff finalising it, or its term having ended) and
    roll them up: passing learners complete and their certificates become due. Running it again
    changes nothing."""
    with transaction.atomic():
        offering_grades_finalize(offering_id=offering_id)
        return grades_rollup(offering_id=offering_id)


def offerings_to_finalize() -> list[int]:
    """Dated offerings whose end has passed and whose grades were not finalised yet."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM course_offerings"
            " WHERE ends_at <= statement_timestamp() AND grades_finalized_at IS NULL ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def offerings_to_roll_up() -> list[int]:
    """Offerings with at least one active enrollment: the nightly rollup covers them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT course_offering_id FROM course_enrollments WHERE status = 'active'"
            " ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]
