"""Graded work completes its item in course progress: a lab or an assignment once it is graded,
a quiz once an attempt passes per the quiz's rule; the module rows roll up, and grading again
keeps the first completion."""

from decimal import Decimal

import pytest

from assessments.assignments.services import (
    assignment_submission_create,
    assignment_submission_grade,
)
from assessments.labs import services as labs
from assessments.labs.models import LabStatus
from assessments.progress.models import UserContentProgress, UserModuleProgress
from assessments.progress.selectors import course_progress
from assessments.quizzes.services import attempt_answers_save, attempt_start, attempt_submit
from assessments.tests import lab_data, trees
from assessments.tests import quiz_factories as qf
from assessments.tests.lab_data import HALF, PASSING, build_lab_world, lab_payload, upload
from catalog.models import CourseEnrollment, EnrollmentStatus
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
lab_world, lab_storage = lab_data.lab_world, lab_data.lab_storage


def completion(user, item) -> tuple:
    row = UserContentProgress.objects.filter(user=user, content_item=item).first()
    return (row.completed_at is not None, row.progress_percent) if row else None


def module_percent(user, item) -> Decimal | None:
    row = UserModuleProgress.objects.filter(user=user, module_id=item.module_id).first()
    return row.progress_percent if row else None


def submit_lab(world, content: bytes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return labs.lab_submission_create(
            user=world.student,
            offering=world.offering,
            item_id=world.lab.pk,
            files=[upload("solution.py", content)],
        )


@pytest.mark.parametrize("content", [PASSING, HALF])
def test_an_autograded_lab_completes_its_item_whatever_its_score(
    content, django_capture_on_commit_callbacks
):
    world = build_lab_world()
    submission = submit_lab(world, content, django_capture_on_commit_callbacks)
    submission.refresh_from_db()
    assert submission.status == LabStatus.GRADED
    assert completion(world.student, world.lab) == (True, Decimal(100))
    assert module_percent(world.student, world.lab) == Decimal(100)
    offering_id = world.offering.pk
    progress = course_progress(user_id=world.student.pk, offering_ids=[offering_id])[offering_id]
    assert (progress.total_items, progress.completed_items) == (1, 1)


def test_a_lab_that_cannot_be_graded_completes_nothing(django_capture_on_commit_callbacks):
    world = build_lab_world()
    world.lab.data_json = lab_payload(files=[{"path": "solution.py", "role": "student_visible"}])
    world.lab.save(update_fields=["data_json"])
    submission = submit_lab(world, PASSING, django_capture_on_commit_callbacks)
    submission.refresh_from_db()
    assert submission.status == LabStatus.ERROR
    assert completion(world.student, world.lab) is None


def test_regrading_a_lab_keeps_the_first_completion(django_capture_on_commit_callbacks):
    world = build_lab_world()
    submission = submit_lab(world, PASSING, django_capture_on_commit_callbacks)
    first = UserContentProgress.objects.get(user=world.student, content_item=world.lab)
    with django_capture_on_commit_callbacks(execute=True):
        assert labs.lab_submissions_regrade(submission_ids=[submission.pk]) == 1
    again = UserContentProgress.objects.get(user=world.student, content_item=world.lab)
    assert (again.pk, again.completed_at, again.progress_percent) == (
        first.pk,
        first.completed_at,
        Decimal(100),
    )
    assert UserContentProgress.objects.count() == 1


def test_a_manual_lab_completes_when_staff_grade_it(django_capture_on_commit_callbacks):
    world = build_lab_world(lab_payload(grading={"type": "manual", "max_points": 10}))
    submission = submit_lab(world, PASSING, django_capture_on_commit_callbacks)
    assert completion(world.student, world.lab) is None
    labs.lab_submission_review(
        submission_id=submission.pk, actor=UserFactory(), feedback="Fine.", score_override=None
    )
    assert completion(world.student, world.lab) is None  # feedback alone grades nothing
    labs.lab_submission_review(
        submission_id=submission.pk, actor=UserFactory(), feedback="", score_override="8.5"
    )
    assert completion(world.student, world.lab) == (True, Decimal(100))
    assert module_percent(world.student, world.lab) == Decimal(100)


def essay_of(offering):
    return trees.item(
        trees.module(trees.root(offering.course), "Unit 2"),
        "Essay",
        "assignment",
        data={"instructions": "Argue.", "max_points": 20, "submission_types": ["text"]},
    )


def test_an_assignment_completes_when_graded_not_when_submitted(lab_world):
    offering, student = lab_world.offering, lab_world.student
    essay = essay_of(offering)
    submission = assignment_submission_create(
        user=student, offering=offering, item_id=essay.pk, files=[], text="My answer."
    )
    assert completion(student, essay) is None
    assignment_submission_grade(
        submission_id=submission.pk, actor=UserFactory(), score="0", feedback="Off topic."
    )
    assert completion(student, essay) == (True, Decimal(100))
    assert module_percent(student, essay) == Decimal(100)
    progress = course_progress(user_id=student.pk, offering_ids=[offering.pk])[offering.pk]
    assert (progress.total_items, progress.completed_items) == (2, 1)


def test_grading_a_dropped_learner_records_the_score_but_no_progress(lab_world):
    offering, student = lab_world.offering, lab_world.student
    essay = essay_of(offering)
    submission = assignment_submission_create(
        user=student, offering=offering, item_id=essay.pk, files=[], text="My answer."
    )
    CourseEnrollment.objects.filter(user=student).update(status=EnrollmentStatus.DROPPED)
    graded = assignment_submission_grade(
        submission_id=submission.pk, actor=UserFactory(), score="12", feedback=""
    )
    assert (graded.status, graded.score_obtained) == (LabStatus.GRADED, Decimal("12.00"))
    assert not UserContentProgress.objects.filter(user=student).exists()


def take(student, offering, item, answers) -> bool:
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    attempt_answers_save(user=student, attempt_id=attempt.pk, answers=answers)
    return attempt_submit(user=student, attempt_id=attempt.pk).passed


def test_a_quiz_without_a_threshold_completes_when_an_attempt_passes():
    offering, item, _bank, questions, student = qf.quiz_setup(
        mastery={"threshold_correct_in_row": None}
    )
    single, multiple, *_rest = questions
    answers = qf.correct_answers(questions)
    assert take(student, offering, item, {multiple.pk: answers[multiple.pk]}) is False
    assert completion(student, item) is None
    picked = {q: answers[q] for q in (single.pk, multiple.pk)}
    assert take(student, offering, item, picked) is True
    assert completion(student, item) == (True, Decimal(100))
    assert module_percent(student, item) == Decimal(100)


def test_a_quiz_with_a_threshold_completes_only_on_mastery():
    offering, item, _bank, questions, student = qf.quiz_setup(
        mastery={"threshold_correct_in_row": 5}
    )
    answers = qf.correct_answers(questions)
    three = {q.pk: answers[q.pk] for q in questions[:3]}
    assert take(student, offering, item, three) is False
    assert completion(student, item) is None
    assert take(student, offering, item, answers) is True
    assert completion(student, item) == (True, Decimal(100))
