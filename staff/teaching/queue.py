"""Reads behind the grading queue of an item: its submissions in queue order (those waiting
for a grade first, who waited longest first, then the graded ones, newest first), where one
submission stands in it, and what it holds, shown inline: the text and web address of an
answer, the lab's test results, and the submitted files with a preview of the text ones,
code highlighted with Pygments (the highlighter Sphinx, GitLab and most Python tools use, so
its lexers know every language a lab is likely to be written in)."""

import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_for_filename
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound

from assessments.labs.models import LabSubmission
from assessments.labs.selectors import SubmissionView, submission_view
from assessments.labs.uploads import archive_files
from catalog.models import CourseOffering
from content.models import ContentItem, ContentType
from tenancy.access import holds_role_at_q

GRADED_TYPES = (ContentType.ENGINEERING_LAB, ContentType.ASSIGNMENT)
PREVIEW_BYTES = 200_000  # larger files are listed, not shown
FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)


def _queue(*, offering: CourseOffering, item_id: int) -> QuerySet[LabSubmission]:
    waiting = Q(score_obtained__isnull=True)
    return (
        LabSubmission.objects.filter(
            holds_role_at_q(user_ref="user", university_ref="course_offering__university"),
            course_offering=offering,
            content_item_id=item_id,
        )
        .annotate(
            waiting=Case(When(waiting, then=Value(True)), default=Value(False)),
            waiting_since=Case(When(waiting, then=F("submitted_at"))),
        )
        .order_by(
            F("waiting").desc(), F("waiting_since").asc(nulls_last=True), "-submitted_at", "-pk"
        )
    )


def graded_item(*, offering: CourseOffering, item_id: int) -> ContentItem:
    """A lab or assignment of the offering's course; 404 for anything else."""
    item = (
        ContentItem.objects.non_polymorphic()
        .filter(pk=item_id, course_id=offering.course_id, content_type__in=GRADED_TYPES)
        .first()
    )
    if item is None:
        raise Http404("No such item.")
    return item


@dataclass(frozen=True)
class QueuePlace:
    ids: list[int]
    current: int | None  # the submission shown; None when the queue is empty
    waiting: int  # how many wait for a grade

    @property
    def position(self) -> int:
        return self.ids.index(self.current) + 1 if self.current is not None else 0

    @property
    def previous_id(self) -> int | None:
        return self.ids[self.position - 2] if self.position > 1 else None

    @property
    def next_id(self) -> int | None:
        return self.ids[self.position] if 0 < self.position < len(self.ids) else None


def queue_place(*, offering: CourseOffering, item_id: int, submission_id: int | None) -> QueuePlace:
    """Where `submission_id` stands in the item's queue (the first when None); one query.
    A submission outside the queue (another item, offering or tenant) is a 404."""
    rows = list(_queue(offering=offering, item_id=item_id).values_list("pk", "waiting"))
    ids = [pk for pk, _ in rows]
    if submission_id is not None and submission_id not in ids:
        raise Http404("No such submission.")
    current = submission_id if submission_id is not None else (ids[0] if ids else None)
    return QueuePlace(ids, current, sum(1 for _, waiting in rows if waiting))


@dataclass(frozen=True)
class SubmittedFile:
    path: str
    size: int
    preview: SafeString | None = None  # highlighted text; None for binary or large files


@dataclass(frozen=True)
class QueuedSubmission:
    view: SubmissionView
    files: list[SubmittedFile] = field(default_factory=list)
    files_missing: bool = False  # the archive is named but no longer stored


def _preview(path: str, content: bytes) -> SafeString | None:
    if len(content) > PREVIEW_BYTES or b"\x00" in content:
        return None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    try:
        lexer = get_lexer_for_filename(PurePosixPath(path).name, text)
    except ClassNotFound:
        lexer = TextLexer()
    # Pygments escapes the text it marks up; its output is markup of spans and classes only.
    return mark_safe(highlight(text, lexer, FORMATTER))


def queued_submission(*, submission_id: int) -> QueuedSubmission:
    """The submission with its learner and item, and its files read from storage (one
    query and one read)."""
    submission = LabSubmission.objects.select_related("user", "content_item").get(pk=submission_id)
    view = submission_view(submission)
    if not submission.artifacts_url:
        return QueuedSubmission(view)
    try:
        with default_storage.open(submission.artifacts_url, "rb") as handle:
            files = archive_files(handle.read())
    except (OSError, ValueError, zipfile.BadZipFile):
        return QueuedSubmission(view, files_missing=True)
    return QueuedSubmission(
        view,
        [
            SubmittedFile(path, len(content), _preview(path, content))
            for path, content in sorted(files.items())
        ],
    )


def highlight_styles() -> str:
    """The stylesheet of the highlighted previews (static/css/pygments.css is made from it)."""
    return FORMATTER.get_style_defs(".highlight")
