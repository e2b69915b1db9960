"""Writes of labs: a learner's submission, its autograding, and staff review.

The life of a submission: `submitted` when stored; `grading` while a worker runs the tests;
`graded` with per-test results in `auto_grade_json` and `auto_score` (a run cut short by a time,
memory or process limit is graded too: the tests it did not finish fail, with the reason); or
`error` when the lab cannot be graded as configured (a runtime this server cannot run, a hidden
test without content), with the reason in `auto_grade_json["error"]`.

Claiming is one conditional UPDATE (`submitted` -> `grading`), so a task delivered twice runs
the tests once. A claim older than the longest possible run (its worker died) may be claimed
again. The result is written only by the run that holds the claim (`grading_started_at` is its
token). `score_obtained` is the staff override when there is one, else the automatic score;
after grading or a review changes it, `submission_graded` is sent once the transaction commits.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.labs import uploads
from assessments.labs.limits import limits_for
from assessments.labs.models import LabFile, LabStatus, LabSubmission
from assessments.labs.sandbox import LabJob, LabSetupError, RunOutcome, lab_runner
from assessments.labs.selectors import PENDING_STATUSES, lab_file_contents, payload_paths
from assessments.notices import work_graded_notify
from assessments.progress.services import graded_work_complete
from assessments.triggers import grade_rollup_soon, lab_grade_soon
from catalog.models import CourseEnrollment, CourseOffering
from content.models import ContentItem
from syllabus.selectors import LEARNING_STATUSES
from tenancy.models import User

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")


def grading_stale_after() -> timedelta:
    """How old a claim must be before another worker may take it over: longer than any run
    can last (the task's hard time limit) plus a margin."""
    return timedelta(seconds=settings.LAB_GRADING_MAX_SECONDS + 180)


def autograded(payload: dict[str, Any]) -> bool:
    return (payload.get("grading") or {}).get("type") == "unit_tests"


def item_max_points(payload: dict[str, Any]) -> Decimal:
    """The points of a lab (`grading.max_points`) or of an assignment (`max_points`)."""
    points = (payload.get("grading") or {}).get("max_points") or payload.get("max_points")
    return Decimal(str(points or 0)).quantize(CENT)


def _enqueue(submission_id: int) -> None:
    """In the transaction that stored the submission: grading starts once it commits, or once
    the broker is back (the task outbox)."""
    lab_grade_soon(submission_id=submission_id)


def _announce(submission: LabSubmission) -> None:
    """Inside the transaction that changed the score: a graded submission completes its item
    in the learner's progress now, and the grade rollup hears of it once this commits."""
    if submission.status == LabStatus.GRADED:
        graded_work_complete(
            user_id=submission.user_id,
            offering_id=submission.course_offering_id,
            item_id=submission.content_item_id,
        )
        work_graded_notify(submission=submission)
    grade_rollup_soon(offering_id=submission.course_offering_id, user_id=submission.user_id)


def storage_name(*, offering: CourseOffering, item_id: int, user_id: int) -> str:
    """Where a submission's archive goes: under its university, offering, lab and learner,
    with a random part so names are not guessable."""
    return (
        f"labs/u{offering.university_id}/o{offering.pk}/i{item_id}/user{user_id}/"
        f"{uuid.uuid4().hex}.zip"
    )


# Submitting -----------------------------------------------------------------------------------


def learner_lock(*, user: User, offering: CourseOffering) -> None:
    """Inside a transaction: lock the learner's enrollment (a drop waits for the submission),
    PermissionDenied for someone not learning in the offering."""
    enrolled = (
        CourseEnrollment.objects.select_for_update()
        .filter(user_id=user.pk, course_offering_id=offering.pk, status__in=LEARNING_STATUSES)
        .exists()
    )
    if not enrolled:
        raise PermissionDenied("Only enrolled learners submit work.")


def submission_store(
    *, user: User, offering: CourseOffering, item_id: int, archive: bytes | None, **fields: Any
) -> LabSubmission:
    """Inside the caller's transaction: store the archive of the submitted files (when there
    is one) and record the submission as `submitted`; a stored file whose row cannot be
    written is removed again."""
    name = None
    if archive is not None:
        name = default_storage.save(
            storage_name(offering=offering, item_id=item_id, user_id=user.pk),
            ContentFile(archive),
        )
    try:
        with transaction.atomic():
            return LabSubmission.objects.create(
                user_id=user.pk,
                course_offering_id=offering.pk,
                content_item_id=item_id,
                status=LabStatus.SUBMITTED,
                artifacts_url=name,
                **fields,
            )
    except Exception:
        if name is not None:
            default_storage.delete(name)
        raise


def lab_submission_create(
    *, user: User, offering: CourseOffering, item_id: int, files: list[UploadedFile]
) -> LabSubmission:
    """Store the learner's upload and record it as `submitted`; grading starts after commit.

    Raises ValidationError (nothing stored) for a bad upload or while an earlier submission of
    the same lab is still waiting or being graded, PermissionDenied for someone not learning in
    the offering.
    """
    item = (
        ContentItem.objects.filter(
            pk=item_id, course_id=offering.course_id, content_type="engineering_lab"
        )
        .values("pk", "data_json")
        .first()
    )
    if item is None:
        raise ValidationError(_("This item is not a lab of the course."))
    payload = item["data_json"]
    known = [f["path"] for f in payload.get("files") or []]
    submitted = uploads.submission_files(files, known_paths=known)
    archive = uploads.files_archive(submitted)
    with transaction.atomic():
        learner_lock(user=user, offering=offering)
        pending = LabSubmission.objects.filter(
            user_id=user.pk,
            course_offering_id=offering.pk,
            content_item_id=item_id,
            status__in=PENDING_STATUSES,
        ).exists()
        if pending:
            raise ValidationError(
                _("Your previous submission is still being graded; submit again once it is done.")
            )
        submission = submission_store(
            user=user,
            offering=offering,
            item_id=item_id,
            archive=archive,
            max_score=item_max_points(payload),
            auto_grade_json={"files": sorted(submitted)},
        )
        if autograded(payload):
            _enqueue(submission.pk)
    return submission


# Grading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """The outcome of trying to claim a submission for grading: `token` when claimed; else
    `retry_in` seconds when another run holds a claim that may still finish or go stale."""

    token: Any = None
    retry_in: int | None = None


def lab_submission_claim(*, submission_id: int) -> Claim:
    now = timezone.now()
    stale = now - grading_stale_after()
    claimable = LabSubmission.objects.filter(
        pk=submission_id, content_item__data_json__grading__type="unit_tests"
    ).filter(
        Q(status=LabStatus.SUBMITTED) | Q(status=LabStatus.GRADING, grading_started_at__lt=stale)
    )
    if claimable.update(status=LabStatus.GRADING, grading_started_at=now):
        return Claim(token=now)
    started = (
        LabSubmission.objects.filter(pk=submission_id, status=LabStatus.GRADING)
        .values_list("grading_started_at", flat=True)
        .first()
    )
    if started is None:
        return Claim()
    wait = (started + grading_stale_after() - now).total_seconds()
    return Claim(retry_in=max(1, int(wait) + 1))


def grading_job(submission: LabSubmission) -> LabJob:
    """The files and limits of the run: the lab's starter files, the submission over them,
    then the hidden tests over both."""
    payload = submission.content_item.data_json
    visible = payload_paths(payload, "student_visible")
    hidden = payload_paths(payload, "hidden_test")
    if not hidden:
        raise LabSetupError("The lab lists no hidden test file.")
    stored = lab_file_contents(item_id=submission.content_item_id, paths=visible + hidden)
    missing = [path for path in hidden if path not in stored]
    if missing:
        raise LabSetupError(
            f"The hidden test file {missing[0]} has no content yet; staff need to upload it."
        )
    if not submission.artifacts_url:
        raise LabSetupError("The submission has no stored files.")
    try:
        with default_storage.open(submission.artifacts_url, "rb") as handle:
            archive = handle.read()
    except FileNotFoundError as exc:
        raise LabSetupError("The submitted files are no longer in storage.") from exc
    files = {path: stored[path] for path in visible if path in stored}
    files.update(uploads.archive_files(archive))
    files.update({path: stored[path] for path in hidden})
    try:
        limits = limits_for(payload)
    except ValueError as exc:
        raise LabSetupError(f"The lab's limits cannot be read: {exc}") from exc
    return LabJob(
        runtime=payload.get("runtime", ""),
        container_image=payload.get("container_image", ""),
        files=files,
        tests=hidden,
        limits=limits,
        env=dict(payload.get("env") or {}),
        label=f"lab-submission-{submission.pk}",
    )


def grade_report(outcome: RunOutcome, *, hidden: list[str], max_points: Decimal) -> dict:
    """auto_grade_json of a run. A test file that reported nothing (the run stopped first)
    counts as one failed test with the reason."""
    tests = list(outcome.tests)
    for path in hidden:
        if not any(t["name"] == path or t["name"].startswith(f"{path}::") for t in tests):
            message = outcome.reason or "The tests of this file did not report a result."
            tests.append({"name": path, "outcome": "failed", "message": message, "duration_ms": 0})
    passed = sum(1 for t in tests if t["outcome"] == "passed")
    score = (max_points * passed / len(tests)).quantize(CENT, ROUND_HALF_UP) if tests else None
    return {
        "tests": tests,
        "passed": passed,
        "failed": len(tests) - passed,
        "total": len(tests),
        "score": str(score) if score is not None else None,
        "max_points": str(max_points),
        "reason": outcome.reason,
        "stdout": outcome.stdout,
        "stderr": outcome.stderr,
        "duration_ms": outcome.duration_ms,
        "sandbox": outcome.sandbox,
    }


def _finish(submission_id: int, token, **values) -> bool:
    with transaction.atomic():
        updated = LabSubmission.objects.filter(
            pk=submission_id, status=LabStatus.GRADING, grading_started_at=token
        ).update(graded_at=timezone.now(), **values)
        if updated:
            _announce(
                LabSubmission.objects.select_related("user", "content_item").get(pk=submission_id)
            )
    return bool(updated)


def lab_submission_grade(*, submission_id: int) -> Claim:
    """Claim a `submitted` submission and run its tests. Returns the claim; a submission that
    is not waiting (graded, manually graded, missing) is left as it is."""
    claim = lab_submission_claim(submission_id=submission_id)
    if claim.token is not None:
        lab_submission_run(submission_id=submission_id, token=claim.token)
    return claim


def lab_submission_run(*, submission_id: int, token) -> bool:
    """Run the hidden tests of a claimed submission and record the results (only while the
    claim `token` still holds). Errors other than the lab's own set-up propagate, for the task
    to retry."""
    submission = LabSubmission.objects.select_related("content_item").get(pk=submission_id)
    payload = submission.content_item.data_json
    try:
        job = grading_job(submission)
        outcome = lab_runner().run(job)
    except LabSetupError as exc:
        return lab_submission_fail(submission_id=submission_id, token=token, reason=str(exc))
    max_points = item_max_points(payload)
    report = grade_report(outcome, hidden=job.tests, max_points=max_points)
    if not report["total"]:
        return lab_submission_fail(
            submission_id=submission_id, token=token, reason="The hidden tests ran no test."
        )
    auto = Decimal(report["score"])
    return _finish(
        submission_id,
        token,
        status=LabStatus.GRADED,
        auto_grade_json=report,
        auto_score=auto,
        max_score=max_points,
        score_obtained=Coalesce(F("score_override"), Value(auto)),
    )


def lab_submission_fail(*, submission_id: int, token, reason: str) -> bool:
    """Record that the submission cannot be graded, and why."""
    logger.warning("Lab submission %s cannot be graded: %s", submission_id, reason)
    return _finish(
        submission_id,
        token,
        status=LabStatus.ERROR,
        auto_grade_json={"error": reason, "tests": []},
        auto_score=None,
        score_obtained=F("score_override"),
    )


def lab_submission_release(*, submission_id: int, token) -> bool:
    """Give a claim back (the run failed for a passing reason, such as storage being down), so
    the retried task can claim it again."""
    return bool(
        LabSubmission.objects.filter(
            pk=submission_id, status=LabStatus.GRADING, grading_started_at=token
        ).update(status=LabStatus.SUBMITTED, grading_started_at=None)
    )


# Staff ----------------------------------------------------------------------------------------


def lab_submissions_regrade(*, submission_ids: list[int]) -> int:
    """Queue graded or failed submissions of autograded labs for another run; a staff override
    keeps winning over the new automatic score. Returns how many were queued."""
    with transaction.atomic():
        ids = list(
            LabSubmission.objects.select_for_update()
            .filter(
                pk__in=submission_ids,
                status__in=(LabStatus.GRADED, LabStatus.ERROR),
                content_item__data_json__grading__type="unit_tests",
            )
            .values_list("pk", flat=True)
        )
        LabSubmission.objects.filter(pk__in=ids).update(
            status=LabStatus.SUBMITTED, grading_started_at=None
        )
        for submission_id in ids:
            _enqueue(submission_id)
    return len(ids)


def _parse_score(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError({"score_override": _("Enter a number.")}) from exc
    if not score.is_finite():
        raise ValidationError({"score_override": _("Enter a number.")})
    return score.quantize(CENT, ROUND_HALF_UP)


def lab_submission_review(
    *, submission_id: int, actor: User, feedback: str | None, score_override: Any
) -> LabSubmission:
    """Staff feedback and score override, recorded with who and when. An override (0 up to
    the lab's points) wins over the automatic score; clearing it brings the automatic score
    back. Overriding a submission that has no automatic grade (a manually graded lab, an
    error) grades it."""
    with transaction.atomic():
        submission = (
            LabSubmission.objects.select_for_update()
            .select_related("content_item")
            .get(pk=submission_id)
        )
        override = _parse_score(score_override)
        max_score = submission.max_score or item_max_points(submission.content_item.data_json)
        if override is not None and not (0 <= override <= max_score):
            raise ValidationError(
                {"score_override": _("Give a score from 0 to %(max)s.") % {"max": max_score}}
            )
        now = timezone.now()
        feedback = (feedback or "").strip() or None
        if feedback != submission.instructor_feedback:
            submission.instructor_feedback = feedback
            submission.feedback_by = actor
            submission.feedback_at = now
        score_changed = override != submission.score_override
        if score_changed:
            submission.score_override = override
            submission.score_overridden_by = actor
            submission.score_overridden_at = now
            submission.score_obtained = override if override is not None else submission.auto_score
            waiting_for_staff = submission.status == LabStatus.ERROR or (
                submission.status == LabStatus.SUBMITTED
                and not autograded(submission.content_item.data_json)
            )
            if override is not None and waiting_for_staff:
                submission.status = LabStatus.GRADED
                submission.graded_at = now
            if submission.max_score is None:
                submission.max_score = max_score
        submission.save()
        if score_changed:
            _announce(submission)
    return submission


def lab_file_save(*, item: ContentItem, path: str, content: bytes) -> LabFile:
    """Store the content of one of the lab's listed files (insert or replace)."""
    listed = {f["path"] for f in (item.data_json or {}).get("files") or []}
    if path not in listed:
        raise ValidationError(
            {"path": _("The lab's payload does not list %(path)s.") % {"path": path}}
        )
    row, _created = LabFile.objects.update_or_create(
        content_item=item, path=path, defaults={"content": content}
    )
    return row
