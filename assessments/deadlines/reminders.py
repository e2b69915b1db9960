"""“Due in 24 hours”: every hour, each learner is told of the deadlines of their active
enrollments that fall within the next day and that they have not done yet.

The deadlines come from `learner_deadlines`, so the player's visibility rule, a dropped
enrollment and whether the work is done are decided in one place. The event key names the
deadline's kind, its item (or attempt) and its time: the hourly runs that each see the same
deadline write one notification, and a deadline moved to a new time is told again.
"""

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.deadlines.selectors import TASK_KINDS, Deadline, learner_deadlines
from catalog.models import CourseEnrollment, EnrollmentStatus
from lms.dates import display_datetime, zone_named
from notifications.services import notify
from tenancy.models import User

REMINDER_KIND = "deadline_soon"
REMINDER_WINDOW = timedelta(hours=24)


def reminder_event_key(deadline: Deadline) -> str:
    return (
        f"deadline-soon:{deadline.kind}:{deadline.offering_id}:{deadline.source_id or 0}"
        f":{deadline.at.isoformat()}"
    )


def _title(deadline: Deadline) -> str:
    return _("Due within 24 hours: %(title)s") % {"title": deadline.title}


def _summary(deadline: Deadline, zone_name: str) -> str:
    """The time in the learner's own zone, rendered in their language."""
    return _("%(kind)s in %(course)s at %(time)s.") % {
        "kind": deadline.kind_label,
        "course": deadline.course_title,
        "time": display_datetime(deadline.at, zone_named(zone_name)),
    }


def deadline_reminders_send(*, now: datetime | None = None) -> int:
    """Notify every learner with an active enrollment of their undone tasks due between `now`
    and a day later. One deadlines query per learner, one insert per reminder; a reminder
    already written is skipped by its event key. Returns how many notifications were written."""
    now = now or timezone.now()
    enrolled = CourseEnrollment.objects.filter(status=EnrollmentStatus.ACTIVE).values("user_id")
    written = 0
    for learner in User.objects.filter(is_active=True, pk__in=enrolled).order_by("pk"):
        due = [
            d
            for d in learner_deadlines(user_id=learner.pk, start=now, end=now + REMINDER_WINDOW)
            if d.kind in TASK_KINDS and d.done is False
        ]
        if not due:
            continue
        with transaction.atomic():
            for deadline in due:
                written += notify(
                    recipient=learner,
                    kind=REMINDER_KIND,
                    event_key=reminder_event_key(deadline),
                    title=partial(_title, deadline),
                    summary=partial(_summary, deadline, learner.time_zone),
                    link=deadline.path,
                )
    return written
