from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import CAPACITY_MESSAGE, CourseLevel, CourseOffering
from catalog.search import MAX_QUERY_LENGTH
from catalog.selectors.browse import CatalogFilters, CatalogOptions, CatalogSort

SUBJECT_INDENT = "\u2014\u00a0"  # em dash, no-break space: one per level below the root


class CatalogFilterForm(forms.Form):
    """The catalog's GET form. Choices come from already loaded options, so validating a choice
    costs no query; a field with a bad value is reported and left out of the filters."""

    q = forms.CharField(
        label=_("Search courses"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Title, code, subject or a word from the description"),
                "maxlength": MAX_QUERY_LENGTH,
            }
        ),
    )
    university = forms.TypedChoiceField(
        label=_("University"), required=False, coerce=int, empty_value=None
    )
    country = forms.TypedChoiceField(
        label=_("Country"), required=False, coerce=int, empty_value=None
    )
    domain = forms.TypedChoiceField(label=_("Domain"), required=False, coerce=int, empty_value=None)
    subject = forms.TypedChoiceField(
        label=_("Subject"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Includes its narrower subjects."),
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any level")), *CourseLevel.choices]
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    open_now = forms.BooleanField(label=_("Enrollment open now"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (CatalogSort.RELEVANCE, _("Relevance")),
            (CatalogSort.START, _("Start date")),
            (CatalogSort.RATING, _("Rating")),
        ],
        error_messages={"invalid_choice": _("Choose an order from the list.")},
    )

    def __init__(self, data=None, *, options: CatalogOptions) -> None:
        super().__init__(data)
        self.options = options
        self.fields["university"].choices = [
            ("", _("All universities")),
            *((u.pk, u.name) for u in options.universities),
        ]
        self.fields["country"].choices = [("", _("All countries")), *options.countries]
        self.fields["domain"].choices = [("", _("All domains")), *options.domains]
        self.fields["subject"].choices = [
            ("", _("All subjects")),
            *((s.pk, f"{SUBJECT_INDENT * s.depth}{s.name}") for s in options.subjects),
        ]
        self.fields["language"].choices = [("", _("Any language")), *options.languages]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())[:MAX_QUERY_LENGTH]

    def filters(self) -> CatalogFilters:
        if not self.is_bound:
            return CatalogFilters()
        self.is_valid()
        data = self.cleaned_data
        subjects = {s.pk: s for s in self.options.subjects}
        return CatalogFilters(
            q=data.get("q") or "",
            university_id=data.get("university"),
            country_id=data.get("country"),
            domain_id=data.get("domain"),
            subject=subjects.get(data.get("subject")),
            level=data.get("level") or "",
            language=data.get("language") or "",
            open_now=bool(data.get("open_now")),
            sort=data.get("sort") or CatalogSort.RELEVANCE,
        )


class OfferingAdminForm(forms.ModelForm):
    """The offering's staff form. Capacity 0 (refused by the column's CHECK) and -5 (refused by
    the field as negative) get the same message."""

    class Meta:
        model = CourseOffering
        fields = [
            "course",
            "term_name",
            "starts_at",
            "ends_at",
            "enrollment_start",
            "enrollment_end",
            "visibility",
            "capacity",
            "requires_approval",
        ]
        error_messages = {"capacity": {"min_value": CAPACITY_MESSAGE}}
