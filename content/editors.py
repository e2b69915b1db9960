"""One form per content type, so staff edit fields instead of the JSON payload.

Each editor reads the stored `data_json` into its fields (and into row formsets for ordered
lists: text blocks, lab files, resources), builds the payload back from what was submitted and
validates it against the type's schema before anything is saved. Problems the schema finds are
reported on the field (or row) they come from, never as raw JSON paths, so the stored payload is
always valid for its type.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.forms import BaseFormSet, formset_factory
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from content.markup.mathml import latex_to_mathml
from content.markup.policy import safe_url
from content.models import (
    Asset,
    AssetType,
    AssignmentItem,
    ContentItem,
    EngineeringLabItem,
    QuizItem,
    ResourceItem,
    TextItem,
    VideoItem,
)
from content.payloads import RAW_MEDIA_URL_MESSAGE, is_raw_media_url, payload_errors
from content.transcripts import TranscriptError, decode_caption_file, parse_captions
from content.types.base import MAX_POINTS, MAX_TIME_LIMIT_SECONDS, URL
from content.types.engineering_lab import SCHEMA as ENGINEERING_LAB
from content.types.quiz import QuizReviewPolicy

_ERROR_PATH = re.compile(r"^(?P<key>[A-Za-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<rest>[^:]+))?: ")


def _number(value: Decimal | None) -> int | float | None:
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


def _url_field(**kwargs) -> forms.CharField:
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


# Video -------------------------------------------------------------------------------------


class VideoEditorForm(ItemEditorForm):
    provider = forms.ChoiceField(
        label=_("Provider"),
        choices=[("youtube", "YouTube"), ("vimeo", "Vimeo"), ("internal", _("Uploaded file"))],
    )
    video_id = forms.CharField(
        label=_("Video id"),
        required=False,
        max_length=128,
        help_text=_("The id on YouTube or Vimeo; or give the URL instead."),
    )
    url = _url_field(label=_("Video URL"), required=False)
    asset = forms.ModelChoiceField(
        label=_("Video from the asset library"), queryset=Asset.objects.none(), required=False
    )
    duration_seconds = forms.IntegerField(
        label=_("Duration (seconds)"), min_value=0, required=False
    )
    thumbnail_url = _url_field(label=_("Thumbnail URL"), required=False)
    transcript_file = forms.FileField(
        label=_("Transcript file"),
        required=False,
        help_text=_("WebVTT (.vtt) or SubRip (.srt); replaces the current transcript."),
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,.srt,text/vtt"}),
    )
    transcript_language = forms.CharField(
        label=_("Transcript language"), initial="en", min_length=2, max_length=16, required=False
    )
    remove_transcript = forms.BooleanField(label=_("Remove the transcript"), required=False)

    payload_fields = {
        "provider": "provider",
        "video_id": "video_id",
        "url": "url",
        "asset_id": "asset",
        "duration_seconds": "duration_seconds",
        "thumbnail_url": "thumbnail_url",
        "transcript": "transcript_file",
    }

    class Meta(ItemEditorForm.Meta):
        model = VideoItem

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = self.assets.filter(asset_type=AssetType.VIDEO)

    def initial_from_payload(self, payload):
        initial = super().initial_from_payload(payload)
        initial["asset"] = payload.get("asset_id")
        transcript = payload.get("transcript") or {}
        initial["transcript_language"] = transcript.get("language") or "en"
        initial.pop("transcript_file")
        return initial

    @property
    def current_transcript(self) -> dict[str, Any] | None:
        stored = self.instance.data_json if self.instance.pk else None
        return (stored or {}).get("transcript") if isinstance(stored, dict) else None

    def clean_transcript_file(self):
        upload = self.cleaned_data.get("transcript_file")
        if not upload:
            return None
        try:
            return parse_captions(decode_caption_file(upload.read()))
        except TranscriptError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = self.cleaned_data
        provider = cleaned.get("provider")
        if provider in ("youtube", "vimeo") and not (cleaned.get("video_id") or cleaned.get("url")):
            self.add_error("video_id", _("Give the video id or its URL."))
        if provider == "internal" and not (cleaned.get("asset") or cleaned.get("url")):
            self.add_error("asset", _("Pick an uploaded video or give its URL."))
        if cleaned.get("transcript_file") and not cleaned.get("transcript_language"):
            self.add_error("transcript_language", _("Say which language the transcript is in."))
        return super().clean()

    def build_payload(self, cleaned, rows):
        payload: dict[str, Any] = {"provider": cleaned["provider"]}
        for key in ("video_id", "url", "duration_seconds", "thumbnail_url"):
            if cleaned.get(key) not in (None, ""):
                payload[key] = cleaned[key]
        if cleaned.get("asset"):
            payload["asset_id"] = cleaned["asset"].pk
        segments = cleaned.get("transcript_file")
        if segments:
            payload["transcript"] = {
                "language": cleaned["transcript_language"],
                "segments": segments,
            }
        elif self.current_transcript and not cleaned.get("remove_transcript"):
            transcript = dict(self.current_transcript)
            if cleaned.get("transcript_language"):
                transcript["language"] = cleaned["transcript_language"]
            payload["transcript"] = transcript
        return payload


# Text --------------------------------------------------------------------------------------


class TextBlockForm(RowForm):
    type = forms.ChoiceField(
        label=_("Block"),
        choices=[
            ("paragraph", _("Paragraph")),
            ("math", _("Math (LaTeX)")),
            ("image", _("Image")),
            ("link_list", _("Link list")),
        ],
        initial="paragraph",
        widget=forms.Select(attrs={"class": "block-type"}),
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-for": "paragraph"}),
    )
    latex = forms.CharField(
        label=_("LaTeX"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-for": "math", "class": "latex-input"}),
    )
    display = forms.BooleanField(
        label=_("Display on its own line"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"data-for": "math"}),
    )
    asset = forms.ModelChoiceField(
        label=_("Image"),
        queryset=Asset.objects.none(),
        required=False,
        widget=forms.Select(attrs={"data-for": "image"}),
    )
    caption = forms.CharField(
        label=_("Caption"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"data-for": "image"}),
    )
    alt = forms.CharField(
        label=_("Alternative text"),
        required=False,
        max_length=500,
        help_text=_("Empty: the image's alt text from the asset library."),
        widget=forms.TextInput(attrs={"data-for": "image"}),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        help_text=_("One link per line: Label | https://example.edu/page"),
        widget=forms.Textarea(attrs={"rows": 3, "data-for": "link_list"}),
    )

    payload_fields = {
        "text": "text",
        "latex": "latex",
        "display": "display",
        "asset_id": "asset",
        "caption": "caption",
        "alt": "alt",
        "items": "links",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = self.assets.filter(asset_type=AssetType.IMAGE)

    @classmethod
    def initial_from(cls, entry):
        initial = dict(entry)
        initial["asset"] = entry.get("asset_id")
        if entry.get("type") == "math":
            initial["display"] = entry.get("display", True) is not False
        if isinstance(entry.get("items"), list):
            initial["links"] = "\n".join(
                f"{link.get('label', '')} | {link.get('url', '')}" for link in entry["items"]
            )
        return initial

    def clean_links(self):
        links = []
        for number, line in enumerate(self.cleaned_data.get("links", "").splitlines(), 1):
            if not line.strip():
                continue
            label, sep, url = line.rpartition("|")
            label, url = label.strip(), url.strip()
            if not sep or not label or not url:
                raise forms.ValidationError(
                    _("Line %(n)s: write the label, a | and the address.") % {"n": number}
                )
            try:
                safe_payload_url(url)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("Line %(n)s: %(problem)s") % {"n": number, "problem": error.messages[0]}
                ) from None
            links.append({"label": label, "url": url})
        return links

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("type")
        required = {"paragraph": "text", "math": "latex", "image": "asset", "link_list": "links"}
        field = required.get(kind)
        if field and not cleaned.get(field) and field not in self.errors:
            self.add_error(field, _("This block needs this."))
        latex = cleaned.get("latex")
        if kind == "math" and latex and latex_to_mathml(latex) is None:
            self.add_error("latex", _("This formula cannot be displayed; check the LaTeX."))
        return cleaned

    def row(self):
        c = self.cleaned_data
        kind = c["type"]
        if kind == "paragraph":
            return {"type": kind, "text": c["text"]}
        if kind == "math":
            return {"type": kind, "latex": c["latex"], "display": bool(c["display"])}
        if kind == "image":
            block = {"type": kind, "asset_id": c["asset"].pk if c.get("asset") else None}
            block.update({k: c[k] for k in ("caption", "alt") if c.get(k)})
            return block
        return {"type": kind, "items": c["links"]}


class TextEditorForm(ItemEditorForm):
    subtitle = forms.CharField(
        label=_("Heading inside the page"),
        required=False,
        max_length=255,
        help_text=_("Shown above the blocks when it differs from the item title."),
    )
    payload_fields = {"title": "subtitle"}
    row_formsets = {"blocks": row_formset(TextBlockForm, min_num=1)}
    row_labels = {"blocks": _("Blocks")}

    class Meta(ItemEditorForm.Meta):
        model = TextItem

    def build_payload(self, cleaned, rows):
        payload: dict[str, Any] = {"layout": "rich_text_v1"}
        if cleaned.get("subtitle"):
            payload["title"] = cleaned["subtitle"]
        payload["blocks"] = rows["blocks"]
        return payload


def _payload_datetime(value) -> str:
    """A date and time as payloads store it: ISO 8601 in UTC."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Quiz --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolOption:
    """A question pool a quiz may draw from, as the quiz editor lists it."""

    id: int
    course_id: int
    course_label: str
    title: str
    question_count: int

    @property
    def label(self) -> str:
        return ngettext(
            "%(title)s (%(count)d question)", "%(title)s (%(count)d questions)", self.question_count
        ) % {"title": self.title, "count": self.question_count}


# Question pools live in assessments, above content; assessments hands the quiz editor the
# function that lists the pools of some courses (AssessmentsConfig.ready).
PoolSource = Callable[..., list[PoolOption]]
_pool_source: list[PoolSource] = []


def register_quiz_pool_source(source: PoolSource) -> None:
    """`source(course_ids=[...])` lists the pools of those courses, with their question counts."""
    _pool_source[:] = [source]


def quiz_pool_options(course_ids: Iterable[int]) -> list[PoolOption]:
    ids = sorted(set(course_ids))
    if not ids or not _pool_source:
        return []
    return _pool_source[0](course_ids=ids)


class QuizEditorForm(ItemEditorForm):
    """The pool is picked from the pools of the quiz's course (another course's or another
    university's pool is not offered and not accepted), and a quiz asks for between one and
    as many questions as its pool holds."""

    question_pool_id = forms.TypedChoiceField(
        label=_("Question pool"),
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of this course's question pools.")},
        help_text=_("The pools of the quiz's course, with how many questions each holds."),
    )
    quiz_mode = forms.ChoiceField(
        label=_("Mode"), choices=[("practice", _("Practice")), ("exam", _("Exam"))]
    )
    num_questions_per_attempt = forms.IntegerField(label=_("Questions per attempt"), min_value=1)
    randomize_order = forms.BooleanField(label=_("Shuffle the questions"), required=False)
    time_limit_seconds = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=1,
        max_value=MAX_TIME_LIMIT_SECONDS,
        required=False,
        help_text=_("Empty: no time limit."),
    )
    mastery_points = forms.IntegerField(
        label=_("Mastery points"), min_value=0, max_value=MAX_POINTS, required=False
    )
    mastery_threshold = forms.IntegerField(
        label=_("Correct answers in a row for mastery"), min_value=1, required=False
    )
    mastery_max_attempts = forms.IntegerField(
        label=_("Attempts allowed"),
        min_value=1,
        required=False,
        help_text=_("Empty: unlimited."),
    )
    review_policy = forms.ChoiceField(
        label=_("Show the correct answers and explanations"),
        choices=[("", _("As the mode suggests")), *QuizReviewPolicy.choices],
        required=False,
        help_text=_(
            "As the mode suggests: exams after the last attempt, practice quizzes immediately. "
            "After the last attempt needs a number of attempts allowed or a closing time."
        ),
    )
    closes_at = forms.SplitDateTimeField(
        label=_("Closes"),
        required=False,
        widget=admin_widgets.AdminSplitDateTime,
        help_text=_("Empty: never. No attempt starts after it; open attempts end then."),
    )
    payload_fields = {
        "question_pool_id": "question_pool_id",
        "quiz_mode": "quiz_mode",
        "num_questions_per_attempt": "num_questions_per_attempt",
        "randomize_order": "randomize_order",
        "time_limit_seconds": "time_limit_seconds",
        "review_policy": "review_policy",
        "closes_at": "closes_at",
        "mastery": "mastery_threshold",
    }
    _optional = ("review_policy", "closes_at")
    _mastery = {
        "points": "mastery_points",
        "threshold_correct_in_row": "mastery_threshold",
        "max_attempts": "mastery_max_attempts",
    }

    class Meta(ItemEditorForm.Meta):
        model = QuizItem

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.course_id:
            course_ids = [self.instance.course_id]
        elif "module" in self.fields:
            modules = self.fields["module"].queryset
            course_ids = list(modules.values_list("course_id", flat=True).distinct())
        else:
            course_ids = []
        self.pools = {pool.id: pool for pool in quiz_pool_options(course_ids)}
        field = self.fields["question_pool_id"]
        field.choices = [("", _("Choose a question pool")), *self._pool_choices()]

    def _pool_choices(self) -> list:
        pools = list(self.pools.values())
        if len({pool.course_id for pool in pools}) <= 1:
            return [(pool.id, pool.label) for pool in pools]
        courses: dict[str, list] = {}
        for pool in pools:
            courses.setdefault(pool.course_label, []).append((pool.id, pool.label))
        return list(courses.items())

    def clean(self):
        cleaned = super().clean()
        pool = self.pools.get(cleaned.get("question_pool_id"))
        module = cleaned.get("module") or (self.instance.module if self.instance.pk else None)
        if pool is not None and module is not None and pool.course_id != module.course_id:
            self.add_error(
                "question_pool_id",
                _("This pool belongs to another course; choose one of this course's pools."),
            )
        elif pool is not None and pool.question_count == 0:
            self.add_error(
                "question_pool_id", _("This pool has no questions yet; add some to it first.")
            )
        elif pool is not None and (cleaned.get("num_questions_per_attempt") or 0) > (
            pool.question_count
        ):
            self.add_error(
                "num_questions_per_attempt",
                ngettext(
                    "The pool holds %(count)d question; ask for 1.",
                    "The pool holds %(count)d questions; ask for 1 to %(count)d.",
                    pool.question_count,
                )
                % {"count": pool.question_count},
            )
        if self.errors:
            self.payload = None  # nothing is saved, and the model is not validated
        return cleaned

    def initial_from_payload(self, payload):
        initial = super().initial_from_payload(payload)
        mastery = payload.get("mastery") or {}
        initial.update({field: mastery.get(key) for key, field in self._mastery.items()})
        if isinstance(payload.get("closes_at"), str):
            initial["closes_at"] = parse_datetime(payload["closes_at"])
        return initial

    def build_payload(self, cleaned, rows):
        payload = {
            key: cleaned.get(field)
            for key, field in self.payload_fields.items()
            if key != "mastery" and key not in self._optional
        }
        if cleaned.get("review_policy"):
            payload["review_policy"] = cleaned["review_policy"]
        if cleaned.get("closes_at"):
            payload["closes_at"] = _payload_datetime(cleaned["closes_at"])
        mastery = {k: cleaned[f] for k, f in self._mastery.items() if cleaned.get(f) is not None}
        if mastery:
            mastery.setdefault("max_attempts", None)
        payload["mastery"] = mastery or None
        return payload


# Engineering lab ---------------------------------------------------------------------------


def _schema_pattern(name: str) -> str:
    return ENGINEERING_LAB["properties"][name]["pattern"]


_LAB_PATH_PATTERN = ENGINEERING_LAB["properties"]["files"]["items"]["properties"]["path"]["pattern"]


class LabFileForm(RowForm):
    path = forms.CharField(
        label=_("Path"),
        max_length=500,
        validators=[
            RegexValidator(_LAB_PATH_PATTERN, _("A relative path without spaces or '..'."))
        ],
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("student_visible", _("Student works on it")), ("hidden_test", _("Hidden test"))],
    )
    payload_fields = {"path": "path", "role": "role"}


class EngineeringLabEditorForm(ItemEditorForm):
    runtime = forms.ChoiceField(
        label=_("Runtime"),
        choices=[("python-datascience", _("Python (data science)")), ("matlab", "MATLAB")],
    )
    container_image = forms.CharField(
        label=_("Container image"),
        max_length=500,
        validators=[
            RegexValidator(
                _schema_pattern("container_image"),
                _("Like registry.example.edu/labs/python:3.12."),
            )
        ],
    )
    cpu_limit = forms.CharField(
        label=_("CPU limit"),
        required=False,
        max_length=16,
        validators=[RegexValidator(_schema_pattern("cpu_limit"), _("Like 1, 0.5 or 500m."))],
    )
    memory_limit = forms.CharField(
        label=_("Memory limit"),
        required=False,
        max_length=16,
        validators=[RegexValidator(_schema_pattern("memory_limit"), _("Like 512Mi or 2Gi."))],
    )
    timeout_seconds = forms.IntegerField(
        label=_("Session time limit (seconds)"), min_value=1, max_value=86400
    )
    entrypoint = forms.CharField(label=_("Opens with"), required=False, max_length=255)
    env = forms.CharField(
        label=_("Environment variables"),
        required=False,
        help_text=_("One per line: NAME=value"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    grading_type = forms.ChoiceField(
        label=_("Grading"),
        choices=[("unit_tests", _("Automatic (unit tests)")), ("manual", _("Graded by staff"))],
    )
    grading_max_points = forms.DecimalField(
        label=_("Maximum points"), min_value=Decimal("0.01"), max_digits=8, decimal_places=2
    )
    payload_fields = {
        "runtime": "runtime",
        "container_image": "container_image",
        "cpu_limit": "cpu_limit",
        "memory_limit": "memory_limit",
        "timeout_seconds": "timeout_seconds",
        "entrypoint": "entrypoint",
        "env": "env",
        "grading": "grading_type",
    }
    row_formsets = {"files": row_formset(LabFileForm, min_num=1)}
    row_labels = {"files": _("Files")}

    class Meta(ItemEditorForm.Meta):
        model = EngineeringLabItem

    def initial_from_payload(self, payload):
        initial = super().initial_from_payload(payload)
        env = payload.get("env") or {}
        initial["env"] = "\n".join(f"{k}={v}" for k, v in env.items())
        grading = payload.get("grading") or {}
        initial["grading_type"] = grading.get("type")
        initial["grading_max_points"] = grading.get("max_points")
        return initial

    def clean_env(self):
        env: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data.get("env", "").splitlines(), 1):
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            name = name.strip()
            if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise forms.ValidationError(
                    _("Line %(n)s: write NAME=value with a name of letters, digits and _.")
                    % {"n": number}
                )
            env[name] = value.strip()
        return env

    def build_payload(self, cleaned, rows):
        payload: dict[str, Any] = {
            "lab_type": "code",
            "runtime": cleaned["runtime"],
            "container_image": cleaned["container_image"],
            "timeout_seconds": cleaned["timeout_seconds"],
        }
        for key in ("cpu_limit", "memory_limit", "entrypoint", "env"):
            if cleaned.get(key):
                payload[key] = cleaned[key]
        payload["files"] = rows["files"]
        payload["grading"] = {
            "type": cleaned["grading_type"],
            "max_points": _number(cleaned["grading_max_points"]),
        }
        return payload

    def _report(self, problem, ordered):
        if problem.startswith("files: "):
            self.add_error(None, problem.split(": ", 1)[1])
            return
        super()._report(problem, ordered)


# Assignment --------------------------------------------------------------------------------


class AssignmentEditorForm(ItemEditorForm):
    instructions = forms.CharField(
        label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 8})
    )
    due_at = forms.SplitDateTimeField(
        label=_("Due"), required=False, widget=admin_widgets.AdminSplitDateTime
    )
    max_points = forms.DecimalField(
        label=_("Maximum points"), min_value=0, max_digits=8, decimal_places=2, required=False
    )
    submission_types = forms.MultipleChoiceField(
        label=_("Students submit"),
        choices=[("file", _("A file")), ("text", _("Text")), ("url", _("A web address"))],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    allow_late = forms.BooleanField(label=_("Accept late submissions"), required=False)
    payload_fields = {
        "instructions": "instructions",
        "due_at": "due_at",
        "max_points": "max_points",
        "submission_types": "submission_types",
        "allow_late": "allow_late",
    }

    class Meta(ItemEditorForm.Meta):
        model = AssignmentItem

    def initial_from_payload(self, payload):
        initial = super().initial_from_payload(payload)
        if isinstance(payload.get("due_at"), str):
            initial["due_at"] = parse_datetime(payload["due_at"])
        return initial

    def build_payload(self, cleaned, rows):
        payload: dict[str, Any] = {"instructions": cleaned["instructions"]}
        if cleaned.get("due_at"):
            payload["due_at"] = _payload_datetime(cleaned["due_at"])
        if cleaned.get("max_points") is not None:
            payload["max_points"] = _number(cleaned["max_points"])
        if cleaned.get("submission_types"):
            payload["submission_types"] = list(cleaned["submission_types"])
        payload["allow_late"] = bool(cleaned.get("allow_late"))
        return payload


# Resource list -----------------------------------------------------------------------------


class ResourceRowForm(RowForm):
    label = forms.CharField(label=_("Label"), max_length=255)
    url = _url_field(label=_("Address"))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("pdf", "PDF"), ("article", _("Article")), ("video", _("Video"))]
    )
    payload_fields = {"label": "label", "url": "url", "kind": "kind"}


class ResourceEditorForm(ItemEditorForm):
    row_formsets = {"resources": row_formset(ResourceRowForm, min_num=1)}
    row_labels = {"resources": _("Resources")}

    class Meta(ItemEditorForm.Meta):
        model = ResourceItem

    def build_payload(self, cleaned, rows):
        return {"resources": rows["resources"]}


EDITOR_FORMS: dict[str, type[ItemEditorForm]] = {
    form._meta.model.CONTENT_TYPE: form
    for form in (
        VideoEditorForm,
        TextEditorForm,
        QuizEditorForm,
        EngineeringLabEditorForm,
        AssignmentEditorForm,
        ResourceEditorForm,
    )
}
