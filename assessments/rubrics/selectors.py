"""Reads of rubrics: the rubric an item is graded with, its criteria and levels in order, and
the marks a submission was given (for the grading queue and for the learner's own page)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from assessments.rubrics.models import Rubric, RubricCriterion, RubricLevel, RubricMark


@dataclass(frozen=True)
class CriterionView:
    criterion: RubricCriterion
    levels: list[RubricLevel]
    mark: RubricMark | None = None

    @property
    def max_points(self) -> Decimal:
        return max((level.points for level in self.levels), default=Decimal(0))


@dataclass(frozen=True)
class RubricView:
    rubric: Rubric
    criteria: list[CriterionView] = field(default_factory=list)

    @property
    def max_points(self) -> Decimal:
        return sum((c.max_points for c in self.criteria), Decimal(0))

    @property
    def marked(self) -> bool:
        return any(c.mark is not None for c in self.criteria)

    @property
    def total(self) -> Decimal:
        return sum((c.mark.level.points for c in self.criteria if c.mark), Decimal(0))


def _criteria(item_id: int) -> list[RubricCriterion]:
    return list(
        RubricCriterion.objects.filter(rubric__attachments__content_item_id=item_id)
        .select_related("rubric")
        .prefetch_related(Prefetch("levels", queryset=RubricLevel.objects.order_by("position")))
        .order_by("position", "pk")
    )


def _view(criteria: list[RubricCriterion], marks: dict[int, RubricMark]) -> RubricView:
    return RubricView(
        criteria[0].rubric,
        [CriterionView(c, list(c.levels.all()), marks.get(c.pk)) for c in criteria],
    )


def rubric_of_item(*, item_id: int, submission_id: int | None = None) -> RubricView | None:
    """The item's rubric with its criteria and levels (two queries; one when the item has no
    rubric), and the marks of `submission_id` when given (one more)."""
    criteria = _criteria(item_id)
    if not criteria:
        return None
    marks: dict[int, RubricMark] = {}
    if submission_id is not None:
        marks = {
            mark.criterion_id: mark
            for mark in RubricMark.objects.filter(submission_id=submission_id).select_related(
                "level"
            )
        }
    return _view(criteria, marks)


def filled_rubrics(*, item_id: int, submission_ids: list[int]) -> dict[int, RubricView]:
    """The item's rubric as filled in for each of `submission_ids` that was graded with it, by
    submission id (at most three queries, whatever the number of submissions)."""
    if not submission_ids:
        return {}
    criteria = _criteria(item_id)
    if not criteria:
        return {}
    by_submission: dict[int, dict[int, RubricMark]] = {}
    for mark in RubricMark.objects.filter(submission_id__in=submission_ids).select_related("level"):
        by_submission.setdefault(mark.submission_id, {})[mark.criterion_id] = mark
    return {pk: _view(criteria, marks) for pk, marks in by_submission.items()}


def rubric_max_points(*, rubric_id: int) -> Decimal:
    """The most a rubric gives: the sum of each criterion's best level (one query)."""
    best: dict[int, Decimal] = {}
    for criterion_id, points in RubricLevel.objects.filter(
        criterion__rubric_id=rubric_id
    ).values_list("criterion_id", "points"):
        best[criterion_id] = max(points, best.get(criterion_id, points))
    return sum(best.values(), Decimal(0))
