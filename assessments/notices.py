"""What a learner is told about their measured work: a lab or an assignment graded, a
certificate issued or revoked. Each is a notification written in the transaction that records
the fact (notifications.services.notify), keyed by the fact so that a task that runs twice
tells nobody twice.
"""

from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.grades.models import Certificate
from assessments.labs.models import LabSubmission
from lms import links
from notifications.services import notify


def _graded_title(submission: LabSubmission) -> str:
    values = {"title": submission.content_item.title}
    if submission.content_item.content_type == "assignment":
        return _("Your assignment “%(title)s” is graded") % values
    return _("Your lab “%(title)s” is graded") % values


def _graded_summary(submission: LabSubmission) -> str:
    if submission.score_obtained is None:
        return ""
    return _("Score: %(score)s of %(max)s.") % {
        "score": submission.score_obtained,
        "max": submission.max_score,
    }


def work_graded_notify(*, submission: LabSubmission) -> None:
    """A graded submission, once per grading (a rerun grades it again, and says so)."""
    stamp = submission.graded_at.isoformat() if submission.graded_at else "-"
    notify(
        recipient=submission.user,
        kind="work_graded",
        event_key=f"work-graded:{submission.pk}:{stamp}",
        title=partial(_graded_title, submission),
        summary=partial(_graded_summary, submission),
        link=links.page_path("course-grades", offering_id=submission.course_offering_id),
    )


def _certificate_notify(
    *, certificate: Certificate, kind: str, title: str, summary: str = ""
) -> None:
    """`title` holds %(course)s; it is translated in the holder's language."""
    course = certificate.course_offering.course.title
    notify(
        recipient=certificate.user,
        kind=kind,
        event_key=f"{kind}:{certificate.pk}",
        title=lambda: _(title) % {"course": course},
        summary=lambda: summary,
        link=links.page_path("certificate-verification", code=certificate.certificate_code),
    )


def certificate_issued_notify(*, certificate: Certificate) -> None:
    _certificate_notify(
        certificate=certificate,
        kind="certificate_issued",
        title=gettext_noop("Your certificate for %(course)s is issued"),
    )


def certificate_revoked_notify(*, certificate: Certificate) -> None:
    _certificate_notify(
        certificate=certificate,
        kind="certificate_revoked",
        title=gettext_noop("Your certificate for %(course)s was revoked"),
        summary=certificate.revocation_reason or "",
    )
