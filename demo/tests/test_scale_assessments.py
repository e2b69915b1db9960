"""Quizzes and labs of a `seed_demo --scale` data set can be taken and graded: each course has a
pool of questions its quizzes point at, and each lab has its files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.labs import services as lab_services
from assessments.labs.models import LabFile, LabSubmission
from assessments.quizzes.models import Question, QuestionPool, QuestionType
from assessments.quizzes.services import attempt_start
from catalog.models import Course, CourseEnrollment, EnrollmentStatus
from content.models import ContentItem, ContentType
from demo.labs import SOLUTION, lab_file_contents
from demo.scale import scale_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def scale(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return scale_seed(courses=2, modules_per_course=100, students=12, progress_bar=False)


def items(content_type: str) -> list[ContentItem]:
    return list(
        ContentItem.objects.non_polymorphic()
        .filter(content_type=content_type, course__university__short_code="SCALE-1")
        .order_by("pk")
    )


def test_every_scale_quiz_draws_from_its_course_pool_of_every_question_type(scale):
    quizzes = items(ContentType.QUIZ)
    courses = Course.objects.filter(university__short_code="SCALE-1")
    pools = {pool.course_id: pool for pool in QuestionPool.objects.filter(course__in=courses)}
    assert len(pools) == 2 == scale.question_pools
    assert {q.course_id for q in quizzes} == set(pools)
    for quiz in quizzes:
        pool = pools[quiz.course_id]
        assert quiz.data_json["question_pool_id"] == pool.pk
        assert pool.university_id == quiz.university_id
    for pool in pools.values():
        types = set(Question.objects.filter(pool=pool).values_list("question_type", flat=True))
        assert types == set(QuestionType.values)
        assert pool.questions.count() == 20
    assert scale.questions == 40

    exam = next(q for q in quizzes if q.data_json["quiz_mode"] == "exam")
    enrollment = CourseEnrollment.objects.filter(
        course_offering__course_id=exam.course_id, status=EnrollmentStatus.ACTIVE
    ).first()
    started = attempt_start(
        user=enrollment.user, offering=enrollment.course_offering, item_id=exam.pk
    )
    question_ids = started.attempt.raw_response_json["question_ids"]
    assert sorted(question_ids) == sorted(
        pools[exam.course_id].questions.values_list("pk", flat=True)
    )


def test_every_scale_lab_has_its_files_and_grades_the_reference_solution(scale):
    labs = items(ContentType.ENGINEERING_LAB)
    assert labs
    stored: dict[int, dict[str, bytes]] = {}
    for item_id, path, content in LabFile.objects.values_list("content_item_id", "path", "content"):
        stored.setdefault(item_id, {})[path] = bytes(content)
    for lab in labs:
        assert stored[lab.pk] == lab_file_contents(lab.data_json)
    assert scale.lab_files == sum(len(files) for files in stored.values())

    python_lab = next(lab for lab in labs if lab.data_json["runtime"] != "matlab")
    enrollment = CourseEnrollment.objects.filter(
        course_offering__course_id=python_lab.course_id, status=EnrollmentStatus.ACTIVE
    ).first()
    submission = lab_services.lab_submission_create(
        user=enrollment.user,
        offering=enrollment.course_offering,
        item_id=python_lab.pk,
        files=[SimpleUploadedFile("analysis.py", SOLUTION.encode())],
    )
    lab_services.lab_submission_grade(submission_id=submission.pk)
    submission = LabSubmission.objects.get(pk=submission.pk)
    assert submission.status == "graded", submission.auto_grade_json
    assert (submission.auto_grade_json["passed"], submission.auto_grade_json["failed"]) == (6, 0)
    assert submission.score_obtained == submission.max_score == 100
