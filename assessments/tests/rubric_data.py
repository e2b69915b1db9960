"""A course's rubric for the rubric tests: three criteria worth 8, 6 and 6 points (20 in all,
an assignment's points in the test payloads)."""

from decimal import Decimal

from assessments.rubrics.models import Rubric, RubricCriterion, RubricLevel
from catalog.models import Course

CRITERIA = (
    ("Argument", (("Weak", 0), ("Fair", 4), ("Strong", 8))),
    ("Evidence", (("None", 0), ("Some", 3), ("Thorough", 6))),
    ("Style", (("Rough", 0), ("Clear", 4), ("Polished", 6))),
)


def essay_rubric(course: Course, title: str = "Essay rubric") -> Rubric:
    rubric = Rubric.objects.create(course=course, title=title)
    for position, (name, levels) in enumerate(CRITERIA):
        criterion = RubricCriterion.objects.create(rubric=rubric, position=position, title=name)
        RubricLevel.objects.bulk_create(
            RubricLevel(criterion=criterion, position=n, title=label, points=Decimal(points))
            for n, (label, points) in enumerate(levels)
        )
    return rubric


def level(rubric: Rubric, criterion: str, title: str) -> RubricLevel:
    return RubricLevel.objects.get(
        criterion__rubric=rubric, criterion__title=criterion, title=title
    )


def choice(rubric: Rubric, **picked: str) -> dict[int, int]:
    """{criterion id: level id} for `Argument="Strong", ...`."""
    chosen = {}
    for name, title in picked.items():
        chosen_level = level(rubric, name, title)
        chosen[chosen_level.criterion_id] = chosen_level.pk
    return chosen
