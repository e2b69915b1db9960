"""Writes of rubrics: attaching a course's rubric to one of its labs or assignments, and grading
a submission with it. The rubric's total (the sum of the chosen levels) is the submission's
score, given through the assignment or lab grading service so it is recorded with who and when
and rolls up like any other grade; marks and score are written in one transaction, so a score
the item refuses leaves the marks as they were."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.assignments.services import assignment_submission_grade
from assessments.labs.models import LabSubmission
from assessments.labs.services import item_max_points, lab_submission_review
from assessments.rubrics.models import Rubric, RubricAttachment, RubricMark
from assessments.rubrics.selectors import rubric_max_points, rubric_of_item
from content.models import ContentItem, ContentType
from tenancy.models import User

GRADED_TYPES = (ContentType.ENGINEERING_LAB, ContentType.ASSIGNMENT)


def attach_refusal(*, item: ContentItem, rubric: Rubric) -> str | None:
    """Why `item` cannot be graded with `rubric`, or None: the rubric must be one of the item's
    course and worth no more than the item's points."""
    if item.content_type not in GRADED_TYPES:
        return _("Only labs and assignments are graded with a rubric.")
    if rubric.course_id != item.course_id:
        return _("This rubric belongs to another course.")
    worth = rubric_max_points(rubric_id=rubric.pk)
    points = item_max_points(item.data_json or {})
    if worth > points:
        return _("The rubric is worth %(worth)s points but the item only %(points)s.") % {
            "worth": worth,
            "points": points,
        }
    return None


def rubric_attach(*, item: ContentItem, rubric: Rubric) -> RubricAttachment:
    """Grade `item` with `rubric` from now on (replacing the rubric it had)."""
    refusal = attach_refusal(item=item, rubric=rubric)
    if refusal:
        raise ValidationError(refusal)
    attached, _created = RubricAttachment.objects.update_or_create(
        content_item=item, defaults={"rubric": rubric}
    )
    return attached


def _chosen_level(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def rubric_submission_grade(
    *,
    submission_id: int,
    actor: User,
    levels: Mapping[int, Any],
    comments: Mapping[int, str] | None = None,
    feedback: str | None = None,
) -> LabSubmission:
    """Grade a submission with its item's rubric: `levels` maps each criterion id to the id of
    the chosen level, `comments` a criterion id to an optional comment. Every criterion needs one
    of its own levels; otherwise ValidationError and nothing changes."""
    comments = comments or {}
    submission = (
        LabSubmission.objects.filter(pk=submission_id)
        .select_related("content_item")
        .only("pk", "content_item__content_type", "content_item__course_id")
        .first()
    )
    if submission is None:
        raise ValidationError(_("No such submission."))
    item = submission.content_item
    view = rubric_of_item(item_id=item.pk)
    if view is None:
        raise ValidationError(_("This item is not graded with a rubric."))
    if view.rubric.course_id != item.course_id:
        raise ValidationError(_("This rubric belongs to another course."))
    chosen = []
    errors = []
    for criterion in view.criteria:
        level_id = _chosen_level(levels.get(criterion.criterion.pk))
        level = next((lv for lv in criterion.levels if lv.pk == level_id), None)
        if level is None:
            errors.append(
                _("Choose one of the levels of “%(criterion)s”.")
                % {"criterion": criterion.criterion.title}
            )
            continue
        comment = (comments.get(criterion.criterion.pk) or "").strip()
        chosen.append((criterion.criterion, level, comment))
    if errors:
        raise ValidationError(errors)
    total = sum((level.points for _c, level, _t in chosen), Decimal(0))
    with transaction.atomic():
        RubricMark.objects.filter(submission_id=submission_id).delete()
        RubricMark.objects.bulk_create(
            RubricMark(
                submission_id=submission_id,
                criterion=criterion,
                level=level,
                comment=comment,
                marked_by=actor,
            )
            for criterion, level, comment in chosen
        )
        if item.content_type == ContentType.ASSIGNMENT:
            return assignment_submission_grade(
                submission_id=submission_id, actor=actor, score=total, feedback=feedback
            )
        return lab_submission_review(
            submission_id=submission_id, actor=actor, feedback=feedback, score_override=total
        )
