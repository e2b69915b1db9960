"""Question banks and quiz attempts in the admin.

Pools are scoped by their course (university, department, course staff); questions and their
options through the pool; attempts, masteries and regrades by offering, so an instructor of one
run of a course sees only that run's attempts. Attempts are read-only: scores change only by
regrading, which records every change.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.quizzes.models import (
    CHOICE_TYPES,
    Choice,
    Question,
    QuestionPool,
    QuizAttempt,
    QuizMastery,
    QuizRegrade,
)
from assessments.quizzes.regrade import attempts_regrade
from catalog.scoping import paths_via_course, paths_via_offering
from tenancy.auth import ALL, VIEW, register_role_permissions
from tenancy.models import Role
from tenancy.scoping import TenantScopedAdmin, TenantScopedTabularInline

_ADMINS = (Role.UNIVERSITY_ADMIN, Role.DEPARTMENT_ADMIN)
_TEACHERS = (Role.INSTRUCTOR, Role.TA)

for _model in ("questionpool", "question", "choice"):
    register_role_permissions(
        "assessments",
        _model,
        {**{r: ALL for r in (*_ADMINS, Role.INSTRUCTOR)}, Role.TA: VIEW},
    )
for _model in ("quizmastery", "quizregrade"):
    register_role_permissions("assessments", _model, {r: VIEW for r in (*_ADMINS, *_TEACHERS)})


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# Pools and questions ------------------------------------------------------------------------


class PoolQuestionInline(ReadOnlyMixin, TenantScopedTabularInline):
    """The pool's questions at a glance; each opens its own page (type, key, options)."""

    model = Question
    tenant_paths = paths_via_course("pool__course")
    fields = ("position", "prompt", "question_type", "points", "is_active")
    readonly_fields = fields
    show_change_link = True
    extra = 0


class QuestionPoolAdmin(TenantScopedAdmin):
    """Registered by staff.admin.question_pools, which adds importing and exporting banks in
    foreign formats (the interchange app, above this one)."""

    tenant_paths = paths_via_course("course")
    list_display = ("title", "id", "course", "university", "question_count", "updated_at")
    list_select_related = ("course", "university")
    list_filter = ("university",)
    search_fields = ("title", "course__code", "course__title")
    autocomplete_fields = ("course",)
    fields = ("course", "title", "description")
    inlines = (PoolQuestionInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description=_("questions"), ordering="question_count")
    def question_count(self, pool: QuestionPool) -> int:
        return pool.question_count


class ChoiceFormSet(BaseInlineFormSet):
    """A choice question needs options with the right number of correct ones; other types
    take none. Checked against the question type being saved, before anything is written."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        question = self.instance
        options = [
            (form.cleaned_data["text"], form.cleaned_data.get("is_correct", False))
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("text")
        ]
        errors = question.key_errors(options)
        if "choices" in errors:
            raise ValidationError(errors["choices"])


class ChoiceInline(TenantScopedTabularInline):
    model = Choice
    tenant_paths = paths_via_course("question__pool__course")
    formset = ChoiceFormSet
    fields = ("position", "text", "is_correct")
    extra = 4


@admin.register(Question)
class QuestionAdmin(TenantScopedAdmin):
    tenant_paths = paths_via_course("pool__course")
    list_display = ("short_prompt", "question_type", "points", "pool", "position", "is_active")
    list_select_related = ("pool",)
    list_filter = ("question_type", "is_active", "pool")
    search_fields = ("prompt", "pool__title")
    autocomplete_fields = ("pool",)
    inlines = (ChoiceInline,)
    actions = ("regrade_attempts",)
    fieldsets = (
        (None, {"fields": ("pool", "question_type", "prompt", "points", "position", "is_active")}),
        (
            _("Answer key"),
            {
                "description": _(
                    "Fill in the part for the question's type: options below for single and "
                    "multiple choice, the statement's truth for true/false, the number and "
                    "tolerance for numeric, the expected text and how it is compared for "
                    "short text. After fixing a key, regrade the attempts that contain the "
                    "question (action on the question list)."
                ),
                "fields": (
                    "correct_boolean",
                    ("numeric_answer", "numeric_tolerance"),
                    ("text_answer", "text_match"),
                ),
            },
        ),
        (_("Feedback"), {"fields": ("explanation",)}),
    )

    @admin.display(description=_("question"), ordering="prompt")
    def short_prompt(self, question: Question) -> str:
        return question.prompt if len(question.prompt) <= 80 else f"{question.prompt[:79]}…"

    def get_inline_instances(self, request: HttpRequest, obj=None):
        if obj is not None and obj.question_type not in CHOICE_TYPES:
            return []
        return super().get_inline_instances(request, obj)

    @admin.action(description=_("Regrade the attempts containing the selected questions"))
    def regrade_attempts(self, request: HttpRequest, queryset: QuerySet) -> None:
        result = attempts_regrade(
            question_ids=list(queryset.values_list("pk", flat=True)), actor=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(n)d attempt regraded; %(changed)d score changed (see quiz regrades).",
                "%(n)d attempts regraded; %(changed)d scores changed (see quiz regrades).",
                result.regraded,
            )
            % {"n": result.regraded, "changed": result.changed},
            messages.SUCCESS,
        )


# Attempts, masteries and regrades ------------------------------------------------------------


class SubmittedFilter(admin.SimpleListFilter):
    title = _("submitted")
    parameter_name = "submitted"

    def lookups(self, request, model_admin):
        return [("1", _("Submitted")), ("0", _("In progress"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(submitted_at__isnull=self.value() == "0")
        return queryset


class RegradeInline(ReadOnlyMixin, TenantScopedTabularInline):
    model = QuizRegrade
    tenant_paths = paths_via_offering("attempt__course_offering")
    fields = ("regraded_at", "question", "old_score", "new_score", "old_passed", "new_passed")
    fields += ("regraded_by",)
    readonly_fields = fields
    extra = 0


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyMixin, TenantScopedAdmin):
    tenant_paths = paths_via_offering("course_offering")
    person_field = "user"
    list_display = ("user", "content_item", "course_offering", "attempt_number", "started_at")
    list_display += ("submitted_at", "score_obtained", "max_score", "passed")
    list_select_related = ("user", "content_item", "course_offering__course")
    list_filter = ("course_offering", SubmittedFilter, "passed", "course_offering__university")
    search_fields = ("user__email", "user__full_name", "content_item__title")
    date_hierarchy = "started_at"
    fields = ("user", "course_offering", "content_item", "attempt_number", "started_at")
    fields += ("deadline_at", "submitted_at", "score_obtained", "max_score", "passed")
    fields += ("raw_response_json",)
    readonly_fields = fields
    inlines = (RegradeInline,)


@admin.register(QuizMastery)
class QuizMasteryAdmin(ReadOnlyMixin, TenantScopedAdmin):
    tenant_paths = paths_via_offering("course_offering")
    person_field = "user"
    list_display = ("user", "content_item", "course_offering", "mastered_at", "points_awarded")
    list_select_related = ("user", "content_item", "course_offering__course")
    list_filter = ("course_offering",)
    search_fields = ("user__email", "user__full_name")
    fields = ("user", "course_offering", "content_item", "attempt", "mastered_at")
    fields += ("points_awarded",)
    readonly_fields = fields


@admin.register(QuizRegrade)
class QuizRegradeAdmin(ReadOnlyMixin, TenantScopedAdmin):
    tenant_paths = paths_via_offering("attempt__course_offering")
    person_field = "attempt__user"
    list_display = ("regraded_at", "attempt", "question", "old_score", "new_score")
    list_display += ("new_passed", "regraded_by")
    list_select_related = ("attempt__user", "question", "regraded_by")
    list_filter = ("attempt__course_offering",)
    fields = ("attempt", "question", "old_score", "new_score", "old_passed", "new_passed")
    fields += ("regraded_by", "regraded_at")
    readonly_fields = fields
