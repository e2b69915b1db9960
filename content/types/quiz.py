"""Quiz: a practice or exam quiz drawing questions from a pool, and its review policy."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from content.models import (
    QuizItem,
)
from content.types.base import (
    MAX_POINTS,
    MAX_TIME_LIMIT_SECONDS,
    POSITIVE_INT,
    ContentTypeDefinition,
    RenderContext,
    format_duration,
    render_template,
    time_element,
)
from content.types.editing import (
    ItemEditorForm,
    payload_datetime,
)


class QuizReviewPolicy(models.TextChoices):
    """When a learner sees the correct answers and explanations of a quiz they took."""

    IMMEDIATELY = (
        "immediately",
        gettext_lazy("Immediately (after each submission or practice check)"),
    )
    AFTER_LAST_ATTEMPT = "after_last_attempt", gettext_lazy("After the last attempt")
    AFTER_CLOSE = "after_close", gettext_lazy("After the quiz closes")
    NEVER = "never", gettext_lazy("Never")


def quiz_review_policy(data: dict[str, Any]) -> str:
    """The quiz's review policy; without one, exams keep their answers until the learner has
    no attempt left and practice quizzes show them at once."""
    policy = data.get("review_policy")
    if policy:
        return policy
    if data.get("quiz_mode") == "practice":
        return QuizReviewPolicy.IMMEDIATELY
    return QuizReviewPolicy.AFTER_LAST_ATTEMPT


SCHEMA = {
    "type": "object",
    "required": ["question_pool_id", "quiz_mode", "num_questions_per_attempt"],
    "properties": {
        "question_pool_id": POSITIVE_INT,
        "quiz_mode": {"enum": ["practice", "exam"]},
        "num_questions_per_attempt": POSITIVE_INT,
        "randomize_order": {"type": "boolean"},
        "time_limit_seconds": {
            "type": ["integer", "null"],
            "minimum": 1,
            "maximum": MAX_TIME_LIMIT_SECONDS,
        },
        "review_policy": {"enum": list(QuizReviewPolicy.values)},
        "closes_at": {"type": ["string", "null"], "format": "date-time"},
        "mastery": {
            "type": ["object", "null"],
            "properties": {
                "points": {"type": "integer", "minimum": 0, "maximum": MAX_POINTS},
                "threshold_correct_in_row": POSITIVE_INT,
                "max_attempts": {"type": ["integer", "null"], "minimum": 1},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}

DRAFT = {"question_pool_id": 1, "quiz_mode": "practice", "num_questions_per_attempt": 1}


def semantic_errors(data: dict[str, Any]) -> list[str]:
    """Rules the schema cannot say: a mastery threshold that can be reached, a review
    policy that has a moment to show the answers."""
    problems = []
    mastery = data.get("mastery") or {}
    threshold = mastery.get("threshold_correct_in_row")
    if threshold and threshold > data["num_questions_per_attempt"] * (
        mastery.get("max_attempts") or 10**6
    ):
        problems.append("mastery.threshold_correct_in_row: can never be reached")
    policy = data.get("review_policy")
    if policy == QuizReviewPolicy.AFTER_CLOSE and not data.get("closes_at"):
        problems.append("review_policy: showing answers after the quiz closes needs a closing time")
    if (
        policy == QuizReviewPolicy.AFTER_LAST_ATTEMPT
        and not mastery.get("max_attempts")
        and not data.get("closes_at")
    ):
        problems.append(
            "review_policy: with unlimited attempts and no closing time there is no last attempt"
        )
    return problems


def render_quiz(data: dict[str, Any], ctx: RenderContext) -> SafeString:
    modes = {"practice": _("Practice"), "exam": _("Exam")}
    mastery = data.get("mastery") or {}
    limit = data.get("time_limit_seconds")
    attempts = mastery.get("max_attempts")
    facts: list[tuple[str, str]] = [
        (_("Mode"), str(modes.get(data.get("quiz_mode"), data.get("quiz_mode", "")))),
        (_("Questions per attempt"), str(data.get("num_questions_per_attempt", ""))),
        (_("Time limit"), str(format_duration(limit) if limit else _("No time limit"))),
        (_("Attempts allowed"), str(attempts if attempts else _("Unlimited"))),
        (
            _("Question order"),
            str(_("Shuffled for each attempt") if data.get("randomize_order") else _("Fixed")),
        ),
    ]
    if mastery.get("threshold_correct_in_row"):
        facts.append(
            (
                _("Mastery"),
                str(
                    ngettext(
                        "%(n)s correct answer in a row",
                        "%(n)s correct answers in a row",
                        mastery["threshold_correct_in_row"],
                    )
                    % {"n": mastery["threshold_correct_in_row"]}
                ),
            )
        )
    if mastery.get("points") is not None:
        facts.append((_("Points"), str(mastery["points"])))
    closes = time_element(data.get("closes_at"), ctx.time_zone)
    if closes:
        facts.append((_("Closes"), closes))
    policy = QuizReviewPolicy(quiz_review_policy(data))
    facts.append((_("Correct answers shown"), str(policy.label)))
    return render_template("quiz", {"facts": facts})


# Editor ----------------------------------------------------------------------------------


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
        label=gettext_lazy("Question pool"),
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": gettext_lazy("Choose one of this course's question pools.")
        },
        help_text=gettext_lazy(
            "The pools of the quiz's course, with how many questions each holds."
        ),
    )
    quiz_mode = forms.ChoiceField(
        label=gettext_lazy("Mode"),
        choices=[("practice", gettext_lazy("Practice")), ("exam", gettext_lazy("Exam"))],
    )
    num_questions_per_attempt = forms.IntegerField(
        label=gettext_lazy("Questions per attempt"), min_value=1
    )
    randomize_order = forms.BooleanField(
        label=gettext_lazy("Shuffle the questions"), required=False
    )
    time_limit_seconds = forms.IntegerField(
        label=gettext_lazy("Time limit (seconds)"),
        min_value=1,
        max_value=MAX_TIME_LIMIT_SECONDS,
        required=False,
        help_text=gettext_lazy("Empty: no time limit."),
    )
    mastery_points = forms.IntegerField(
        label=gettext_lazy("Mastery points"), min_value=0, max_value=MAX_POINTS, required=False
    )
    mastery_threshold = forms.IntegerField(
        label=gettext_lazy("Correct answers in a row for mastery"), min_value=1, required=False
    )
    mastery_max_attempts = forms.IntegerField(
        label=gettext_lazy("Attempts allowed"),
        min_value=1,
        required=False,
        help_text=gettext_lazy("Empty: unlimited."),
    )
    review_policy = forms.ChoiceField(
        label=gettext_lazy("Show the correct answers and explanations"),
        choices=[("", gettext_lazy("As the mode suggests")), *QuizReviewPolicy.choices],
        required=False,
        help_text=gettext_lazy(
            "As the mode suggests: exams after the last attempt, practice quizzes immediately. "
            "After the last attempt needs a number of attempts allowed or a closing time."
        ),
    )
    closes_at = forms.SplitDateTimeField(
        label=gettext_lazy("Closes"),
        required=False,
        widget=admin_widgets.AdminSplitDateTime,
        help_text=gettext_lazy("Empty: never. No attempt starts after it; open attempts end then."),
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
        field.choices = [("", gettext_lazy("Choose a question pool")), *self._pool_choices()]

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
                gettext_lazy(
                    "This pool belongs to another course; choose one of this course's pools."
                ),
            )
        elif pool is not None and pool.question_count == 0:
            self.add_error(
                "question_pool_id",
                gettext_lazy("This pool has no questions yet; add some to it first."),
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
            payload["closes_at"] = payload_datetime(cleaned["closes_at"])
        mastery = {k: cleaned[f] for k, f in self._mastery.items() if cleaned.get(f) is not None}
        if mastery:
            mastery.setdefault("max_attempts", None)
        payload["mastery"] = mastery or None
        return payload


DEFINITION = ContentTypeDefinition(
    editor=QuizEditorForm,
    name="quiz",
    schema=SCHEMA,
    draft=DRAFT,
    render=render_quiz,
    semantic_errors=semantic_errors,
)
