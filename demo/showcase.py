"""What the course staff did in the demo, through the services their pages call, so that every
feature can be seen from the demo logins: the Linear Algebra exam chapter released (a timed
exam the demo student can still take twice), a study-group thread of Thermodynamics I locked
and a certificate of its finished offering revoked."""

from typing import TYPE_CHECKING

from assessments.grades.certificates import certificate_revoke
from assessments.grades.models import Certificate
from assessments.progress.tree_changes import tracked
from community.discussions.selectors import discussion_access
from community.discussions.services import thread_set_locked
from community.models import DiscussionThread
from demo.activity import KNOWN_STUDENT
from demo.catalogue import CURRENT, PAST
from demo.phrases import label
from syllabus.models import Module
from syllabus.services import module_set_published

if TYPE_CHECKING:
    from demo.seed import Demo

INSTRUCTOR = "instructor@demo.lms"
# The course whose exam preparation chapter (with its timed practice exam) is released.
EXAM_COURSE = "MATH210"
LOCKED_THREAD = ("ME201", "Study group for the first-law problem sets")
REVOKED_CERTIFICATE = (
    "ME201",
    "Academic integrity: the second lab report was copied from another student's work.",
)


def exam_release(demo: "Demo") -> Module:
    course = demo.courses[EXAM_COURSE]
    chapter = Module.objects.get(
        course=course,
        title=label(demo.specs[EXAM_COURSE].language, "Exam preparation"),
        is_published=False,
    )
    tracked(module_set_published, module=chapter, is_published=True)
    return chapter


def thread_lock(demo: "Demo") -> DiscussionThread:
    code, title = LOCKED_THREAD
    offering = demo.offerings[code][CURRENT]
    thread = DiscussionThread.objects.get(course_offering=offering, title=title)
    access = discussion_access(user=demo.users[INSTRUCTOR], offering_id=offering.pk)
    return thread_set_locked(access=access, thread=thread, locked=True)


def certificate_revoke_one(demo: "Demo") -> Certificate:
    """Revoke the first certificate of the finished offering that is not the demo student's."""
    code, reason = REVOKED_CERTIFICATE
    certificate = (
        Certificate.objects.filter(course_offering=demo.offerings[code][PAST])
        .exclude(user__email=KNOWN_STUDENT)
        .order_by("pk")
        .first()
    )
    if certificate is None:
        raise RuntimeError(f"{code} has no certificate to revoke.")
    return certificate_revoke(
        certificate_id=certificate.pk, actor=demo.users[INSTRUCTOR], reason=reason
    )


def staff_actions_seed(demo: "Demo") -> None:
    """What the staff did once the term's activity was there (`exam_release` runs before it,
    with the syllabi, so the learners' progress covers the released chapter)."""
    thread_lock(demo)
    certificate_revoke_one(demo)
