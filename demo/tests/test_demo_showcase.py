"""Every feature can be reached from the demo logins: a timed exam the demo student can start,
a revoked certificate, a locked thread, an assignment that takes a web address, discussions
that belong to their course and reviews that are each written differently."""

from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.assignments.services import assignment_submission_create
from assessments.deadlines.selectors import TASK_KINDS, DeadlineKind, deadline_board
from assessments.grades.certificates import CertificateStatus, certificate_for_verification
from assessments.grades.models import Certificate
from assessments.labs.models import LabSubmission
from assessments.quizzes.models import QuizAttempt
from assessments.quizzes.services import attempt_start
from catalog.models import CourseEnrollment, EnrollmentStatus
from community.discussions.selectors import discussion_access
from community.discussions.services import post_create
from community.models import CourseReview, DiscussionPost, DiscussionThread
from content.models import ContentItem, ContentType
from demo.catalogue import COURSES, CURRENT
from demo.community_phrases import SUBJECT_THREADS
from demo.data import LOGINS, PASSWORD
from demo.deadlines import COMING_DAYS, DUE_TIME
from demo.tests.test_seed_demo import seeded  # noqa: F401
from syllabus.selectors import outline_rows
from tenancy.models import Role, User

pytestmark = pytest.mark.django_db

KNOWN_STUDENT = "student@demo.lms"


def visible_items(offering, **filters) -> list[ContentItem]:
    """Active items of the offering's course in modules a learner sees, in outline order."""
    rows = outline_rows(course_id=offering.course_id, published_only=True)
    order = {row["id"]: n for n, row in enumerate(rows)}
    items = ContentItem.objects.non_polymorphic().filter(
        course_id=offering.course_id, is_active=True, module_id__in=order, **filters
    )
    return sorted(items, key=lambda i: (order[i.module_id], i.sequence_index))


def known_student_offerings():
    student = User.objects.get(email=KNOWN_STUDENT)
    enrollments = CourseEnrollment.objects.filter(
        user=student, status=EnrollmentStatus.ACTIVE
    ).select_related("course_offering__course")
    return student, [e.course_offering for e in enrollments.order_by("pk")]


def known_student_items(content_type: str, wanted) -> tuple[User, list]:
    """(offering, item) of the items of `content_type` the demo student sees in their active
    offerings for which `wanted(student, item)` holds."""
    student, offerings = known_student_offerings()
    found = [
        (offering, item)
        for offering in offerings
        for item in visible_items(offering, content_type=content_type)
        if wanted(student, item)
    ]
    return student, found


def is_timed_exam(_student: User, item: ContentItem) -> bool:
    data = item.data_json
    return bool(
        data.get("quiz_mode") == "exam"
        and data.get("time_limit_seconds")
        and (data.get("mastery") or {}).get("max_attempts")
    )


def takes_a_web_address(student: User, item: ContentItem) -> bool:
    return "url" in item.data_json.get("submission_types", []) and not (
        LabSubmission.objects.filter(user=student, content_item=item).exists()
    )


def test_the_demo_student_can_start_a_timed_exam(seeded):  # noqa: F811
    student, exams = known_student_items(ContentType.QUIZ, is_timed_exam)
    assert [(o.course.code, i.title) for o, i in exams] == [
        ("MATH210", "Practice exam: Linear Algebra")
    ]
    offering, exam = exams[0]
    assert exam.data_json["time_limit_seconds"] == 3600
    assert exam.data_json["mastery"]["max_attempts"] == 2
    assert not QuizAttempt.objects.filter(user=student, content_item=exam).exists()

    now = timezone.now()
    started = attempt_start(user=student, offering=offering, item_id=exam.pk, now=now)
    assert started.created
    assert started.attempt.attempt_number == 1
    assert started.attempt.deadline_at == now + timedelta(seconds=3600)
    assert started.attempt.raw_response_json["mode"] == "exam"
    assert len(started.attempt.raw_response_json["question_ids"]) == 20


def test_the_demo_student_has_quizzes_and_assignments_due_in_the_coming_two_weeks(
    seeded,  # noqa: F811
):
    student, offerings = known_student_offerings()
    board = deadline_board(user_id=student.pk)
    tasks = [d for d in board.coming_up if d.kind in TASK_KINDS]
    by_course: dict[str, set[str]] = {}
    for deadline in tasks:
        by_course.setdefault(deadline.course_code, set()).add(deadline.kind)
    both = {DeadlineKind.ASSIGNMENT_DUE, DeadlineKind.QUIZ_CLOSES}
    assert by_course == {"ME201": both, "MATH210": both}
    assert len(tasks) == 7
    assert not any(d.done for d in tasks)
    zones = {o.pk: ZoneInfo(o.university.time_zone) for o in offerings}
    for deadline in tasks:
        local = deadline.at.astimezone(zones[deadline.offering_id])
        today = timezone.now().astimezone(zones[deadline.offering_id]).date()
        assert local.time() == DUE_TIME
        assert (local.date() - today).days in COMING_DAYS


def test_a_certificate_was_revoked_by_its_course_staff(seeded):  # noqa: F811
    revoked = list(Certificate.objects.filter(revoked_at__isnull=False))
    assert len(revoked) == 1
    certificate = revoked[0]
    assert certificate.user.email != KNOWN_STUDENT
    assert certificate.revoked_by.email == "instructor@demo.lms"
    assert certificate.course_offering.instructors.filter(pk=certificate.revoked_by_id).exists()
    assert certificate.revocation_reason == (
        "Academic integrity: the second lab report was copied from another student's work."
    )
    verification = certificate_for_verification(code=certificate.certificate_code)
    assert verification.status == CertificateStatus.REVOKED
    page = Client().get(reverse("portal:certificate-verify", args=[certificate.certificate_code]))
    assert page.status_code == 200
    assert "Revoked" in page.content.decode()


def test_a_locked_thread_in_the_demo_students_course_takes_no_posts(seeded):  # noqa: F811
    student, offerings = known_student_offerings()
    locked = list(DiscussionThread.objects.filter(is_locked=True).select_related("course_offering"))
    assert [(t.course_offering.course.code, t.title) for t in locked] == [
        ("ME201", "Study group for the first-law problem sets")
    ]
    thread = locked[0]
    assert thread.course_offering in offerings
    last = DiscussionPost.objects.filter(thread=thread).order_by("created_at").last()
    assert last.user.email == "instructor@demo.lms"
    posts = DiscussionPost.objects.filter(thread=thread).count()
    access = discussion_access(user=student, offering_id=thread.course_offering_id)
    with pytest.raises(PermissionDenied):
        post_create(access=access, thread=thread, body="Can I still join?")
    assert DiscussionPost.objects.filter(thread=thread).count() == posts


def test_the_demo_student_submits_a_web_address_to_an_assignment(seeded):  # noqa: F811
    student, takes_url = known_student_items(ContentType.ASSIGNMENT, takes_a_web_address)
    assert takes_url
    offering, item = takes_url[0]
    assert item.data_json["submission_types"] == ["file", "text", "url"]
    submission = assignment_submission_create(
        user=student,
        offering=offering,
        item_id=item.pk,
        files=[],
        url="https://notebooks.example.edu/sam-rivera/problem-set-1",
    )
    assert submission.status == "submitted"
    assert submission.auto_grade_json["url"] == (
        "https://notebooks.example.edu/sam-rivera/problem-set-1"
    )


def test_every_thread_comes_from_its_courses_subject(seeded):  # noqa: F811
    threads = DiscussionThread.objects.select_related(
        "course_offering__course__primary_subject"
    ).order_by("pk")
    by_course: dict[str, list[str]] = {}
    for thread in threads:
        course = thread.course_offering.course
        titles = {
            title
            for title, _opening, _replies in SUBJECT_THREADS[
                course.primary_subject.code, course.language_code
            ]
        }
        assert thread.title in titles, (course.code, thread.title)
        by_course.setdefault(course.code, []).append(thread.title)
    with_current = {spec.code for spec in COURSES if CURRENT in spec.phases}
    assert set(by_course) == with_current
    assert "Sign convention for work in the first law" in by_course["ME201"]
    assert "Sign convention for work in the first law" not in by_course["MATH210"]
    # Courses of different subjects never share a thread title.
    owners: dict[str, set[str]] = {}
    for code, titles in by_course.items():
        spec = next(s for s in COURSES if s.code == code)
        for title in titles:
            owners.setdefault(title, set()).add(spec.subject)
    assert {title: subjects for title, subjects in owners.items() if len(subjects) > 1} == {}


def test_no_two_reviews_have_the_same_text(seeded):  # noqa: F811
    texts = list(CourseReview.objects.values_list("review_text", flat=True))
    assert len(texts) >= 20
    assert [text for text, n in Counter(texts).items() if n > 1] == []
    replies = list(CourseReview.objects.exclude(reply=None).values_list("reply__body", flat=True))
    assert replies
    assert len(set(replies)) == len(replies)


def test_each_review_speaks_of_a_lesson_of_its_course(seeded):  # noqa: F811
    lessons = {
        spec.code: [line.strip() for line in spec.outline.splitlines() if line.startswith("    ")]
        for spec in COURSES
    }
    reviews = CourseReview.objects.select_related("course_offering__course")
    for review in reviews:
        code = review.course_offering.course.code
        assert any(lesson in review.review_text for lesson in lessons[code]), review.review_text


@pytest.mark.parametrize("login", LOGINS, ids=lambda login: login.email)
def test_every_demo_login_leads_to_its_work(seeded, login):  # noqa: F811
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": login.email, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.email == login.email
    page = response.content.decode()
    if login.role == Role.STUDENT:
        for title in ("Thermodynamics I", "Linear Algebra", "Calculus I", "Machine Learning"):
            assert title in page
        return
    assert "Teaching and administration" in page
    admin = reverse("admin:index")
    assert f'<a class="button" href="{admin}">Open the staff pages</a>' in page
    if login.role in (Role.INSTRUCTOR, Role.TA):
        assert "<h3>Thermodynamics I</h3>" in page
    index = client.get(admin)
    assert index.status_code == 200
    assert "Modules" in index.content.decode()
