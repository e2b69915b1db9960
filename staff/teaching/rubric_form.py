"""The grading form of an item with a rubric: one level to pick per criterion (radio buttons
showing each level's points), an optional comment per criterion, and feedback on the whole."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from assessments.rubrics.selectors import RubricView


def points_text(points: Decimal) -> str:
    """4.00 as "4", 2.50 as "2.5"."""
    return f"{points:f}".rstrip("0").rstrip(".") if "." in f"{points:f}" else f"{points:f}"


class RubricGradeForm(forms.Form):
    instructor_feedback = forms.CharField(
        label=gettext_lazy("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, rubric: RubricView, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        self.criterion_rows = []
        for shown in rubric.criteria:
            criterion = shown.criterion
            level_name, comment_name = f"level_{criterion.pk}", f"comment_{criterion.pk}"
            self.fields[level_name] = forms.TypedChoiceField(
                label=criterion.title,
                help_text=criterion.description,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                choices=[
                    (level.pk, f"{level.title} · {points_text(level.points)}")
                    for level in shown.levels
                ],
            )
            self.fields[comment_name] = forms.CharField(
                label=gettext_lazy("Comment on “%(criterion)s”") % {"criterion": criterion.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if shown.mark is not None:
                initial.setdefault(level_name, shown.mark.level_id)
                initial.setdefault(comment_name, shown.mark.comment)
            self.criterion_rows.append((self[level_name], self[comment_name]))
        self.order_fields([name for name in self.fields if name != "instructor_feedback"])

    def levels(self) -> dict[int, Any]:
        return {
            c.criterion.pk: self.cleaned_data.get(f"level_{c.criterion.pk}")
            for c in self.rubric.criteria
        }

    def comments(self) -> dict[int, str]:
        return {
            c.criterion.pk: self.cleaned_data.get(f"comment_{c.criterion.pk}") or ""
            for c in self.rubric.criteria
        }
