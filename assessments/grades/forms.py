"""The learner's "what if" scores: a hypothetical percent for each item not graded yet."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class WhatIfForm(forms.Form):
    """One optional percent per ungraded item, named `score_<item id>`; empty fields leave the
    item ungraded."""

    def __init__(self, *args, items: list[dict], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[self.field_name(item["id"])] = forms.DecimalField(
                label=_("What if you scored (percent) on %(title)s") % {"title": item["title"]},
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                max_digits=5,
                decimal_places=2,
                error_messages={
                    "invalid": _("Enter a percent from 0 to 100."),
                    "min_value": _("Enter a percent from 0 to 100."),
                    "max_value": _("Enter a percent from 0 to 100."),
                    "max_digits": _("Enter a percent from 0 to 100."),
                    "max_decimal_places": _("Use at most two decimals."),
                },
            )

    @staticmethod
    def field_name(item_id: int) -> str:
        return f"score_{item_id}"

    def percents(self) -> dict[int, Decimal]:
        """The hypothetical percents typed, by item id (valid forms only)."""
        return {
            int(name.removeprefix("score_")): value
            for name, value in self.cleaned_data.items()
            if value is not None
        }
