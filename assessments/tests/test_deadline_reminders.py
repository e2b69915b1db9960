"""“Due in 24 hours”: the hourly task tells each learner once per undone deadline of the next
day, never of done work, a dropped course or a kind they turned off."""

from datetime import timedelta

import pytest
from django.conf import settings

from assessments.assignments.models import AssignmentSubmission
from assessments.deadlines.reminders import deadline_reminders_send
from assessments.deadlines.tasks import deadline_reminders_task
from assessments.quizzes.models import QuizAttempt
from assessments.tests.test_deadlines import (
    NOW,
    assignment,
    item_path,
    offering_with_unit,
    quiz,
)
from catalog.models import EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory
from notifications.models import Notification
from notifications.services import preferences_set
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def told():
    return sorted(
        Notification.objects.filter(kind="deadline_soon").values_list(
            "user_id", "title", "link", "channel"
        )
    )


def test_the_task_run_twice_tells_each_learner_once_per_deadline_due_within_a_day():
    offering, unit = offering_with_unit("Statics")
    ada, bob = UserFactory(time_zone="Europe/Paris"), UserFactory()
    for student in (ada, bob):
        EnrollmentFactory(user=student, course_offering=offering)
    essay = assignment(unit, "Essay", NOW + timedelta(hours=5))
    exam = quiz(unit, "Exam", NOW + timedelta(hours=23))
    assignment(unit, "Later", NOW + timedelta(hours=25))
    assignment(unit, "Past", NOW - timedelta(hours=1))

    assert deadline_reminders_task() == 4
    assert deadline_reminders_task() == 0

    essay_link, exam_link = item_path(offering, essay), item_path(offering, exam)
    assert told() == sorted(
        (student.pk, f"Due within 24 hours: {title}", link, "both")
        for student in (ada, bob)
        for title, link in (("Essay", essay_link), ("Exam", exam_link))
    )
    summary = Notification.objects.get(user=ada, title__endswith="Essay").summary
    assert summary.startswith("Assignment due in Statics at ")


def test_done_work_a_dropped_enrollment_and_the_choice_none_are_not_told():
    offering, unit = offering_with_unit("Dynamics")
    handed_in, dropped, quiet, waiting = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    for student in (handed_in, quiet, waiting):
        EnrollmentFactory(user=student, course_offering=offering)
    EnrollmentFactory(user=dropped, course_offering=offering, status=EnrollmentStatus.DROPPED)
    essay = assignment(unit, "Essay", NOW + timedelta(hours=3))
    exam = quiz(unit, "Exam", NOW + timedelta(hours=4))
    AssignmentSubmission.objects.create(
        user=handed_in, course_offering=offering, content_item=essay
    )
    QuizAttempt.objects.create(
        user=handed_in, course_offering=offering, content_item=exam, submitted_at=NOW
    )
    preferences_set(user=quiet, choices={"deadline_soon": "none"})

    assert deadline_reminders_send() == 2

    assert {user_id for user_id, *_rest in told()} == {waiting.pk}


def test_a_moved_deadline_is_told_again_at_its_new_time():
    offering, unit = offering_with_unit("Optics")
    student = UserFactory()
    EnrollmentFactory(user=student, course_offering=offering)
    essay = assignment(unit, "Essay", NOW + timedelta(hours=3))
    assert deadline_reminders_send() == 1

    essay.data_json = essay.data_json | {"due_at": (NOW + timedelta(hours=6)).isoformat()}
    essay.save(update_fields=["data_json"])

    assert deadline_reminders_send() == 1
    assert Notification.objects.filter(user=student, kind="deadline_soon").count() == 2


def test_beat_runs_the_reminders_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["deadline-reminders"]
    assert entry["task"] == deadline_reminders_task.name
    assert entry["schedule"].minute == {5}
    assert len(entry["schedule"].hour) == 24
