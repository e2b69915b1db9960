"""Deadlines in the coming two weeks for the demo student, whatever day the seed runs.

The course material falls due weekly from the second week of the term, so by the time a
newcomer logs in most of it is behind them and "Coming up" would be empty. The instructors
therefore set the next quizzes to close and the next assignments to fall due in the coming
days, through the same service the item editor calls, on items the demo student has not done
yet and sees in the outline.
"""

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from assessments.labs.models import LabSubmission
from assessments.quizzes.models import QuizAttempt
from catalog.models import CourseOffering
from content.models import ContentItem, ContentType
from content.services import content_item_update
from content.types.editing import payload_datetime
from demo.activity import ACTIVE, KNOWN_STUDENT
from demo.catalogue import KNOWN_STUDENT_ENROLLMENTS
from syllabus.selectors import outline_rows

if TYPE_CHECKING:
    from demo.seed import Demo

# Days from the seed's day on which each course's next items close or fall due, in turn.
COMING_DAYS = (2, 5, 9, 12)
# The hour (in the university's zone) at which they do.
DUE_TIME = time(23, 59)


def _undone_items(student_id: int, offering: CourseOffering) -> list[ContentItem]:
    """The quizzes and assignments of the offering's course the student sees and has not
    done, in outline order."""
    order = {
        row["id"]: n
        for n, row in enumerate(outline_rows(course_id=offering.course_id, published_only=True))
    }
    done = set(
        QuizAttempt.objects.filter(
            user_id=student_id, course_offering=offering, submitted_at__isnull=False
        ).values_list("content_item_id", flat=True)
    ) | set(
        LabSubmission.objects.filter(user_id=student_id, course_offering=offering).values_list(
            "content_item_id", flat=True
        )
    )
    items = ContentItem.objects.filter(
        course_id=offering.course_id,
        is_active=True,
        module_id__in=order,
        content_type__in=[ContentType.QUIZ, ContentType.ASSIGNMENT],
    ).exclude(pk__in=done)
    return sorted(items, key=lambda i: (order[i.module_id], i.sequence_index))


def _at(now: datetime, days: int, zone: ZoneInfo) -> str:
    day = now.astimezone(zone).date() + timedelta(days=days)
    return payload_datetime(datetime.combine(day, DUE_TIME, tzinfo=zone))


def coming_deadlines_seed(demo: "Demo") -> list[ContentItem]:
    """Give the demo student's next undone items of each active course a date in the coming
    `COMING_DAYS`; returns the items changed."""
    student = demo.users[KNOWN_STUDENT]
    changed = []
    for code, phase, status in KNOWN_STUDENT_ENROLLMENTS:
        if status != ACTIVE:
            continue
        offering = demo.offerings[code][phase]
        zone = ZoneInfo(offering.university.time_zone)
        for item, days in zip(_undone_items(student.pk, offering), COMING_DAYS, strict=False):
            key = "closes_at" if item.content_type == ContentType.QUIZ else "due_at"
            data = {**item.data_json, key: _at(demo.now, days, zone)}
            changed.append(content_item_update(item=item, data_json=data))
    return changed
