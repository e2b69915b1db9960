"""Reads of labs: their files, a learner's submissions and their results; the tenant paths
the admin scopes lab files and submissions by."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assessments.labs.models import LabFile, LabStatus, LabSubmission
from assessments.triggers import lab_key
from catalog.scoping import paths_via_course, paths_via_offering
from lms import outbox

SUBMISSION_TENANT_PATHS = paths_via_offering("course_offering")
LAB_FILE_TENANT_PATHS = paths_via_course("content_item__course")
PENDING_STATUSES = (LabStatus.SUBMITTED, LabStatus.GRADING)
HISTORY_LENGTH = 20


def payload_paths(payload: dict[str, Any], role: str) -> list[str]:
    return [f["path"] for f in payload.get("files") or [] if f.get("role") == role]


def lab_file_contents(*, item_id: int, paths: list[str]) -> dict[str, bytes]:
    """The stored bytes of the lab's files among `paths`, by path, in one query."""
    rows = LabFile.objects.filter(content_item_id=item_id, path__in=paths).values_list(
        "path", "content"
    )
    return {path: bytes(content) for path, content in rows}


def starter_files(*, item_id: int, payload: dict[str, Any]) -> list[str]:
    """The student-visible paths of the lab that have content to download."""
    visible = payload_paths(payload, "student_visible")
    stored = set(
        LabFile.objects.filter(content_item_id=item_id, path__in=visible).values_list(
            "path", flat=True
        )
    )
    return [path for path in visible if path in stored]


def starter_file(*, item_id: int, payload: dict[str, Any], path: str) -> bytes | None:
    """A student-visible file's bytes; None for a hidden test, an unknown or an empty path."""
    if path not in payload_paths(payload, "student_visible"):
        return None
    return lab_file_contents(item_id=item_id, paths=[path]).get(path)


@dataclass(frozen=True)
class TestResult:
    name: str
    outcome: str
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"


@dataclass(frozen=True)
class SubmissionView:
    """A submission as its learner sees it."""

    submission: LabSubmission
    tests: list[TestResult] = field(default_factory=list)
    passed: int = 0
    total: int = 0
    reason: str = ""
    error: str = ""
    output: str = ""
    # What an assignment submission holds besides files.
    text: str = ""
    url: str = ""
    late: bool = False

    @property
    def pending(self) -> bool:
        return self.submission.status in PENDING_STATUSES

    @property
    def score(self) -> Decimal | None:
        return self.submission.score_obtained


def submission_view(submission: LabSubmission) -> SubmissionView:
    """Reads both result formats: the grader's (`tests`) and the older rows' (`results` with a
    `passed` flag per test)."""
    data = submission.auto_grade_json or {}
    if not isinstance(data, dict):
        data = {}
    tests: list[TestResult] = []
    for record in data.get("tests") or []:
        if isinstance(record, dict):
            tests.append(
                TestResult(
                    str(record.get("name", "")),
                    str(record.get("outcome", "")),
                    str(record.get("message") or ""),
                )
            )
    for record in data.get("results") or []:
        if isinstance(record, dict):
            outcome = "passed" if record.get("passed") else "failed"
            tests.append(TestResult(str(record.get("test", "")), outcome))
    output = "\n".join(part for part in (data.get("stdout"), data.get("stderr")) if part)
    return SubmissionView(
        submission=submission,
        tests=tests,
        passed=sum(1 for test in tests if test.passed),
        total=len(tests),
        reason=str(data.get("reason") or ""),
        error=str(data.get("error") or ""),
        output=output,
        text=str(data.get("text") or ""),
        url=str(data.get("url") or ""),
        late=data.get("late") is True,
    )


def learner_submissions(*, user_id: int, offering_id: int, item_id: int) -> list[SubmissionView]:
    """The learner's latest submissions of the lab in the offering, newest first."""
    rows = LabSubmission.objects.filter(
        user_id=user_id, course_offering_id=offering_id, content_item_id=item_id
    ).order_by("-submitted_at", "-pk")[:HISTORY_LENGTH]
    return [submission_view(row) for row in rows]


def learner_submission(*, user_id: int, offering_id: int, submission_id: int) -> LabSubmission:
    """One of the learner's own submissions; LabSubmission.DoesNotExist for anyone else's."""
    return LabSubmission.objects.get(
        pk=submission_id, user_id=user_id, course_offering_id=offering_id
    )


def lab_grading_queued(*, submission_id: int) -> bool:
    """Whether the submission's grading still waits to reach the broker (it was away when the
    submission was stored): pages say "queued" rather than "starts in a moment"."""
    return outbox.waiting_to_send(key=lab_key(submission_id))
