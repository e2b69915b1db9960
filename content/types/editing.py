"""What every content type's editor form shares: staff edit fields instead of the JSON payload.

Each editor reads the stored `data_json` into its fields (and into row formsets for ordered
lists: text blocks, lab files, resources), builds the payload back from what was submitted and
validates it against the type's schema before anything is saved. Problems the schema finds are
reported on the field (or row) they come from, never as raw JSON paths, so the stored payload is
always valid for its type. The per-type forms live in the type's module.
"""

import re
from datetime import UTC
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from content.markup.policy import safe_url
from content.models import (
    Asset,
    ContentItem,
)
from content.payloads import RAW_MEDIA_URL_MESSAGE, is_raw_media_url, payload_errors
from content.types.base import URL

_ERROR_PATH = re.compile(r"^(?P<key>[A-Za-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<rest>[^:]+))?: ")


def payload_number(value: Decimal | None) -> int | float | None:
    """JSON numbers as authors expect them: 100, not 100.0 or "100.00"."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def safe_payload_url(value: str) -> None:
    """An http(s) address with a host or a path on this site: what the payload schemas accept
    and what the renderers will link to."""
    if not re.fullmatch(URL["pattern"], value) or safe_url(value) is None:
        raise forms.ValidationError(
            _("Give an address starting with https:// or http://, or a path starting with /.")
        )
    if is_raw_media_url(value):
        raise forms.ValidationError(RAW_MEDIA_URL_MESSAGE)


def url_field(**kwargs) -> forms.CharField:
    return forms.CharField(max_length=2048, validators=[safe_payload_url], **kwargs)


class RowForm(forms.Form):
    """One row of an ordered list in a payload; `row()` is its payload entry."""

    # payload key of the row -> form field, for errors the schema reports inside the row
    payload_fields: ClassVar[dict[str, str]] = {}

    def __init__(self, *args, assets: QuerySet[Asset] | None = None, **kwargs):
        self.assets = assets if assets is not None else Asset.objects.none()
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_from(cls, entry: dict[str, Any]) -> dict[str, Any]:
        return dict(entry)

    def row(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.payload_fields}


class ItemEditorForm(forms.ModelForm):
    """Base of the typed editors: the item's own columns plus the payload fields.

    Subclasses name their payload fields in `payload_fields` (payload key -> form field), their
    ordered lists in `row_formsets`, and override `initial_from_payload` and `build_payload` where
    the payload is more than flat fields.
    """

    payload_fields: ClassVar[dict[str, str]] = {}
    row_formsets: ClassVar[dict[str, type[BaseFormSet]]] = {}
    row_labels: ClassVar[dict[str, str]] = {}
    # Set by the admin per request: the assets the editing user may pick.
    asset_queryset: ClassVar[QuerySet[Asset] | None] = None

    class Meta:
        model = ContentItem
        fields = ["module", "title", "description", "estimated_duration_seconds", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.payload: dict[str, Any] | None = None
        stored = self.instance.data_json if self.instance.pk else None
        if isinstance(stored, dict):
            for name, value in self.initial_from_payload(stored).items():
                self.initial.setdefault(name, value)
        assets = self.asset_queryset if self.asset_queryset is not None else Asset.objects.none()
        self.assets = assets
        self.formsets: dict[str, BaseFormSet] = {}
        for name, formset_class in self.row_formsets.items():
            rows = (stored or {}).get(name) if isinstance(stored, dict) else None
            form_class = formset_class.form
            initial = [form_class.initial_from(r) for r in rows or [] if isinstance(r, dict)]
            self.formsets[name] = formset_class(
                data=self.data if self.is_bound else None,
                initial=initial or None,
                prefix=name,
                form_kwargs={"assets": assets},
            )

    @property
    def content_type(self) -> str:
        return self._meta.model.CONTENT_TYPE

    @property
    def nested_formsets(self) -> list[tuple[str, str, BaseFormSet]]:
        """(name, label, formset) for the change form template."""
        return [(n, self.row_labels.get(n, n), fs) for n, fs in self.formsets.items()]

    def initial_from_payload(self, payload: dict[str, Any]) -> dict[str, Any]:
        return {field: payload.get(key) for key, field in self.payload_fields.items()}

    def build_payload(self, cleaned: dict[str, Any], rows: dict[str, list[dict]]) -> dict:
        """The payload from the flat fields, the inverse of `initial_from_payload`; editors with
        rows or nested objects build theirs themselves."""
        return {
            key: cleaned[field]
            for key, field in self.payload_fields.items()
            if cleaned.get(field) not in (None, "")
        }

    def _ordered_rows(self) -> dict[str, list[RowForm]] | None:
        ordered: dict[str, list[RowForm]] = {}
        valid = True
        for name, formset in self.formsets.items():
            if not formset.is_valid():
                valid = False
                continue
            ordered[name] = list(formset.ordered_forms)
        return ordered if valid else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        ordered = self._ordered_rows()
        if ordered is None:
            self.add_error(None, _("Some rows below have problems; they are marked."))
            return cleaned
        if self.errors:
            return cleaned
        payload = self.build_payload(
            cleaned, {n: [f.row() for f in fs] for n, fs in ordered.items()}
        )
        problems = payload_errors(self.content_type, payload)
        for problem in problems:
            self._report(problem, ordered)
        if not problems:
            self.payload = payload
        return cleaned

    def _report(self, problem: str, ordered: dict[str, list[RowForm]]) -> None:
        """Put one schema problem on the field or row it is about."""
        match = _ERROR_PATH.match(problem)
        message = problem.split(": ", 1)[-1]
        if match is None:
            self.add_error(None, message)
            return
        key, index, rest = match["key"], match["index"], match["rest"]
        if key in ordered and index is not None and int(index) < len(ordered[key]):
            row = ordered[key][int(index)]
            row_key = (rest or "").split(".", 1)[0].split("[", 1)[0]
            field = row.payload_fields.get(row_key)
            row.add_error(field if field in row.fields else None, message)
            self.add_error(None, _("Some rows below have problems; they are marked."))
            return
        field = self.payload_fields.get(key)
        if field in self.fields and field not in self.errors:
            self.add_error(field, message)
        else:
            self.add_error(None, f"{key}: {message}")

    def _post_clean(self) -> None:
        # The model's clean() validates data_json; hand it the payload built above, and skip it
        # when the payload could not be built (the errors are already on the fields).
        if self.payload is None:
            return
        self.instance.data_json = self.payload
        super()._post_clean()


def row_formset(form: type[RowForm], *, min_num: int = 0) -> type[BaseFormSet]:
    return formset_factory(
        form, extra=0, min_num=min_num, validate_min=True, can_order=True, can_delete=True
    )


def payload_datetime(value) -> str:
    """A date and time as payloads store it: ISO 8601 in UTC."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
