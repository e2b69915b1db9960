"""Writes of assignments: a learner's submission and its grading by staff.

Assignment submissions are rows of `lab_submissions` whose item is an assignment, so the grade
rollup counts them like labs: the latest `graded` submission, out of its `max_score` (the
payload's `max_points` when it was submitted). A submission holds what the payload's
`submission_types` accept: files (checked and stored like a lab's upload), a text, a web
address; the text, the address, the file names and whether it came in late go in
`auto_grade_json`. Nothing grades an assignment automatically: it stays `submitted` until staff
give it a score, which goes through the labs' review service (status `graded`, then
`submission_graded` on commit).
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from assessments.accommodations.selectors import learner_allowance
from assessments.labs import uploads
from assessments.labs.models import LabSubmission
from assessments.labs.services import (
    item_max_points,
    lab_submission_review,
    learner_lock,
    submission_store,
)
from catalog.models import CourseOffering
from content.models import ContentItem
from tenancy.models import User

# What a payload without `submission_types` accepts.
DEFAULT_SUBMISSION_TYPES = ("file", "text")
MAX_TEXT_LENGTH = 50_000


def submission_types(payload: dict[str, Any]) -> tuple[str, ...]:
    return tuple(payload.get("submission_types") or DEFAULT_SUBMISSION_TYPES)


def due_at(payload: dict[str, Any]) -> datetime | None:
    parsed = parse_datetime(payload.get("due_at") or "")
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def _answer(
    payload: dict[str, Any], *, files: list[UploadedFile], text: str, url: str
) -> tuple[dict[str, bytes] | None, dict[str, Any]]:
    """The submitted files and the recorded answer, checked against what the payload accepts."""
    accepted = submission_types(payload)
    files = [upload for upload in files if upload is not None]
    text, url = (text or "").strip(), (url or "").strip()
    given = {"file": bool(files), "text": bool(text), "url": bool(url)}
    refused = [kind for kind, present in given.items() if present and kind not in accepted]
    if refused:
        raise ValidationError(_("This assignment does not accept this kind of answer."))
    if not any(given.values()):
        raise ValidationError(_("Add your answer: fill in at least one of the fields."))
    answer: dict[str, Any] = {}
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(
            _("The text is %(n)s characters long; the limit is %(max)s."),
            params={"n": len(text), "max": MAX_TEXT_LENGTH},
        )
    if text:
        answer["text"] = text
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise ValidationError(_("Enter a full web address starting with https://.")) from exc
        answer["url"] = url
    submitted = uploads.submission_files(files) if files else None
    answer["files"] = sorted(submitted) if submitted else []
    return submitted, answer


def assignment_submission_create(
    *,
    user: User,
    offering: CourseOffering,
    item_id: int,
    files: list[UploadedFile],
    text: str = "",
    url: str = "",
) -> LabSubmission:
    """Record the learner's answer as `submitted`. After the due date it is refused unless the
    payload allows late work, then it is marked late. ValidationError (nothing stored) explains
    a refusal; PermissionDenied for someone not learning in the offering."""
    item = (
        ContentItem.objects.filter(
            pk=item_id, course_id=offering.course_id, content_type="assignment"
        )
        .values("pk", "data_json")
        .first()
    )
    if item is None:
        raise ValidationError(_("This item is not an assignment of the course."))
    payload = item["data_json"] or {}
    # A later due date given to this learner replaces the item's.
    allowance = learner_allowance(user_id=user.pk, offering_id=offering.pk, item_id=item_id)
    due = allowance.due_at or due_at(payload)
    late = due is not None and timezone.now() > due
    if late and not payload.get("allow_late"):
        raise ValidationError(
            _("The due date has passed and this assignment does not accept late submissions.")
        )
    submitted, answer = _answer(payload, files=files, text=text, url=url)
    answer["late"] = late
    with transaction.atomic():
        learner_lock(user=user, offering=offering)
        return submission_store(
            user=user,
            offering=offering,
            item_id=item_id,
            archive=uploads.files_archive(submitted) if submitted else None,
            max_score=item_max_points(payload) if payload.get("max_points") is not None else None,
            auto_grade_json=answer,
        )


def assignment_submission_grade(
    *, submission_id: int, actor: User, score: Any, feedback: str | None
) -> LabSubmission:
    """Staff grade an assignment submission: a score from 0 to its points, and feedback. The
    score is recorded as the staff score of the submission (who and when), which grades it and
    rolls the learner's course grade up once the transaction commits."""
    submission = (
        LabSubmission.objects.filter(pk=submission_id, content_item__content_type="assignment")
        .only("pk", "max_score")
        .first()
    )
    if submission is None:
        raise ValidationError(_("This is not a submission of an assignment."))
    if score is None or score == "":
        raise ValidationError({"score_override": _("Give a score.")})
    if submission.max_score is None:
        raise ValidationError(
            {
                "score_override": _(
                    "This assignment has no points; give it max_points before grading."
                )
            }
        )
    return lab_submission_review(
        submission_id=submission_id, actor=actor, feedback=feedback, score_override=score
    )
