"""Every CHECK of every model is reported on the field it is about, in words for the person
filling the form, and never by the constraint's name."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint
from django.forms import modelform_factory

from content.models import ContentItem

START = datetime(2026, 9, 1, tzinfo=UTC)

# constraint name -> (field the message belongs on, values that break the constraint)
VIOLATIONS: dict[str, tuple[str, dict]] = {
    "user_university_roles_role_valid": ("role", {"role": "banana"}),
    "courses_level_valid": ("level", {"level": "banana"}),
    "rubric_levels_points_not_negative": ("points", {"points": Decimal("-1")}),
    "course_images_alt_text_present": ("alt_text", {"alt_text": ""}),
    "course_imports_status_valid": ("status", {"status": "banana"}),
    "notifications_channel_valid": ("channel", {"channel": "banana"}),
    "notification_preferences_channel_valid": ("channel", {"channel": "banana"}),
    "course_prerequisites_not_self": (
        "prerequisite_course",
        {"course_id": 7, "prerequisite_course_id": 7},
    ),
    "course_prerequisites_type_valid": ("prerequisite_type", {"prerequisite_type": "banana"}),
    "course_offerings_ends_after_start": (
        "ends_at",
        {"starts_at": START, "ends_at": START - timedelta(days=1)},
    ),
    "course_offerings_enrollment_window_ordered": (
        "enrollment_end",
        {"enrollment_start": START, "enrollment_end": START - timedelta(minutes=1)},
    ),
    "course_offerings_capacity_positive": ("capacity", {"capacity": 0}),
    "course_offerings_visibility_valid": ("visibility", {"visibility": "banana"}),
    "course_enrollments_status_valid": ("status", {"status": "banana"}),
    "module_templates_type_valid": ("template_type", {"template_type": "banana"}),
    "modules_module_type_valid": ("module_type", {"module_type": "banana"}),
    "content_items_content_type_valid": ("content_type", {"content_type": "banana"}),
    "content_items_duration_not_negative": (
        "estimated_duration_seconds",
        {"estimated_duration_seconds": -1},
    ),
    "user_module_progress_progress_percent_range": (
        "progress_percent",
        {"progress_percent": Decimal("100.5")},
    ),
    "user_content_progress_progress_percent_range": (
        "progress_percent",
        {"progress_percent": Decimal("-1")},
    ),
    "quiz_attempts_number_positive": ("attempt_number", {"attempt_number": 0}),
    "lab_submissions_status_valid": ("status", {"status": "banana"}),
    "lab_submissions_score_override_not_negative": (
        "score_override",
        {"score_override": Decimal("-0.5")},
    ),
    "certificates_revocation_has_reason": (
        "revocation_reason",
        {"revoked_at": START, "revocation_reason": ""},
    ),
    "grading_policies_weights_range": ("weight_quizzes", {"weight_quizzes": Decimal("101")}),
    "grading_policies_pass_threshold_range": ("pass_threshold", {"pass_threshold": Decimal(-1)}),
    "grading_policies_attempt_rule_valid": ("quiz_attempt_rule", {"quiz_attempt_rule": "banana"}),
    "questions_question_type_valid": ("question_type", {"question_type": "banana"}),
    "questions_text_match_valid": ("text_match", {"text_match": "banana"}),
    "questions_points_positive": ("points", {"points": Decimal(0)}),
    "questions_numeric_tolerance_not_negative": (
        "numeric_tolerance",
        {"numeric_tolerance": Decimal(-1)},
    ),
    "questions_numeric_has_key": (
        "numeric_answer",
        {"question_type": "numeric", "numeric_answer": None, "numeric_tolerance": Decimal(0)},
    ),
    "questions_short_text_has_key": (
        "text_answer",
        {"question_type": "short_text", "text_answer": "", "text_match": "exact"},
    ),
    "questions_true_false_has_key": (
        "correct_boolean",
        {"question_type": "true_false", "correct_boolean": None},
    ),
    "quiz_masteries_points_not_negative": ("points_awarded", {"points_awarded": -1}),
    "discussion_post_reports_reason_valid": ("reason", {"reason": "banana"}),
    "discussion_notification_settings_mode_valid": ("mode", {"mode": "banana"}),
    "discussion_notification_deliveries_channel": ("channel", {"channel": "banana"}),
    "course_reviews_rating_check": ("rating", {"rating": 6}),
    "course_reviews_display_name_valid": ("display_name", {"display_name": "banana"}),
    "role_changes_action_valid": ("action", {"action": "banana"}),
    "role_changes_role_valid": ("role", {"role": "banana"}),
    "invitations_role_valid": ("role", {"role": "banana"}),
    "invitations_offering_for_students": (
        "course_offering",
        {"course_offering_id": 1, "role": "instructor"},
    ),
    "accommodations_extra_minutes_range": ("extra_minutes", {"extra_minutes": 0}),
    "accommodations_time_factor_range": ("time_factor", {"time_factor": Decimal("0.5")}),
    "accommodations_extra_attempts_range": ("extra_attempts", {"extra_attempts": 21}),
    "accommodations_due_date_has_item": (
        "due_at",
        {"due_at": START, "content_item_id": None},
    ),
    "accommodations_grant_something": (
        "extra_minutes",
        {"extra_minutes": None, "time_factor": None, "extra_attempts": 0, "due_at": None},
    ),
}


def check_constraints() -> list[tuple[type, CheckConstraint]]:
    return [
        (model, constraint)
        for model in apps.get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, CheckConstraint)
    ]


def test_every_check_constraint_has_a_violation_case():
    assert sorted(c.name for _m, c in check_constraints()) == sorted(VIOLATIONS)


def assert_human(messages: list[str], constraint: CheckConstraint) -> None:
    assert messages == [str(constraint.violation_error_message)]
    assert constraint.name not in messages[0]
    assert "onstraint" not in messages[0]
    assert messages[0].endswith(".")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model,constraint", check_constraints(), ids=lambda v: getattr(v, "name", "")
)
def test_a_broken_check_is_reported_on_its_field_in_words(model, constraint):
    field, values = VIOLATIONS[constraint.name]
    instance = model(**values)
    with pytest.raises(ValidationError) as raised:
        constraint.validate(model, instance)
    assert list(raised.value.message_dict) == [field]
    assert_human(raised.value.message_dict[field], constraint)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model,constraint", check_constraints(), ids=lambda v: getattr(v, "name", "")
)
def test_a_model_form_shows_a_broken_check_on_its_field(model, constraint):
    """What the admin's forms do: the CHECK's message on the form field, none on the form.
    Content items are edited through their typed editors (content/tests/test_editors.py), and
    their content type is set by the type, never typed in."""
    field, values = VIOLATIONS[constraint.name]
    if model is ContentItem:
        assert not model._meta.get_field("content_type").editable
        return
    names = {name.removesuffix("_id") for name in values} | {field}
    data = {name.removesuffix("_id"): "" if v is None else str(v) for name, v in values.items()}
    form = modelform_factory(model, fields=sorted(names))(data=data)
    assert not form.is_valid()
    assert form.non_field_errors() == []
    assert form.errors[field]
    for messages in form.errors.values():
        assert not any(constraint.name in m or "onstraint" in m for m in messages)
