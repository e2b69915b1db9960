"""What learners and staff did in the demo offerings: enrollments in every status, progress,
quiz attempts, lab and assignment submissions, grades, certificates, discussions and reviews.

Grades, completions and certificates come from the services that produce them in the product:
the running offerings are rolled up (provisional grades), the finished ones finalised (final
grades; who passed completes and gets a certificate). Only their dates are set back to when the
term ended."""

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import F
from django.test.utils import override_settings

from assessments.grades.certificates import certificate_issue
from assessments.grades.models import Certificate, CourseGrade
from assessments.grades.services import grades_finalize, grades_rollup
from assessments.labs.models import LabSubmission
from assessments.progress.models import UserContentProgress
from assessments.quizzes.models import QuizAttempt
from catalog.models import CourseEnrollment, CourseOffering, EnrollmentStatus
from community.models import (
    CourseReview,
    DiscussionPost,
    DiscussionThread,
    ReviewerName,
    ReviewReply,
    ThreadFollower,
)
from content.models import ContentItem
from demo.bulk import copy_rows
from demo.catalogue import COURSES, CURRENT, FUTURE, KNOWN_STUDENT_ENROLLMENTS, PAST, CourseSpec
from demo.community_phrases import REVIEW_REPLY, SUBJECT_THREADS, review_text
from demo.progress import CourseShape, LearnerRun, ProgressRows
from demo.syllabi import parse_outline
from syllabus import tree
from syllabus.models import Module, ModuleType
from tenancy.models import User

if TYPE_CHECKING:
    from demo.seed import Demo

KNOWN_STUDENT = "student@demo.lms"
# The share of the visible items the known student has completed in each active course.
KNOWN_STUDENT_PROGRESS = {"ME201": Decimal("0.45"), "MATH210": Decimal("0.2")}

ACTIVE, COMPLETED, DROPPED = (
    EnrollmentStatus.ACTIVE,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.DROPPED,
)
PENDING, WAITLISTED = EnrollmentStatus.PENDING, EnrollmentStatus.WAITLISTED


def _statuses(demo: "Demo", spec: CourseSpec, phase: str, active_taken: int) -> list[str]:
    """The statuses of the other students of one offering."""
    rng = demo.rng
    if phase == PAST:
        return [COMPLETED] * rng.randint(4, 6) + [DROPPED] * rng.randint(1, 2)
    if phase == CURRENT:
        active = (spec.capacity - active_taken) if spec.capacity else rng.randint(4, 7)
        statuses = [ACTIVE] * active + [DROPPED]
        if spec.approval:
            statuses += [PENDING] * 2
        if spec.capacity:
            statuses += [WAITLISTED]
        return statuses
    return [PENDING if spec.approval else ACTIVE] * rng.randint(2, 3)


def _enrolled_at(demo: "Demo", offering: CourseOffering) -> datetime:
    start = offering.enrollment_start
    end = min(offering.enrollment_end, demo.now - timedelta(days=1))
    return start + (end - start) * demo.rng.uniform(0.05, 0.9)


def enrollments_seed(demo: "Demo") -> None:
    """The known student's enrollments, then other students of the same university in every
    offering whose enrollment has opened. Nobody holds two live enrollments in one course."""
    known = demo.users[KNOWN_STUDENT]
    rows: list[CourseEnrollment] = []
    live: set[tuple[int, int]] = set()  # (user, course) with an enrollment that is not dropped

    def enroll(user: User, offering: CourseOffering, status: str) -> None:
        # Who is to complete a finished term takes part in it; finalising its grades
        # completes them (assessments_seed).
        rows.append(
            CourseEnrollment(
                user=user,
                course_offering=offering,
                status=ACTIVE if status == COMPLETED else status,
                enrolled_at=_enrolled_at(demo, offering),
            )
        )
        if status != DROPPED:
            live.add((user.pk, offering.course_id))

    for code, phase, status in KNOWN_STUDENT_ENROLLMENTS:
        enroll(known, demo.offerings[code][phase], status)
    for phase in (CURRENT, PAST, FUTURE):
        for spec in COURSES:
            offering = demo.offerings[spec.code].get(phase)
            if not spec.published or offering is None or offering.enrollment_start > demo.now:
                continue
            taken = {e.user_id for e in rows if e.course_offering_id == offering.pk}
            active_taken = sum(
                1 for e in rows if e.course_offering_id == offering.pk and e.status == ACTIVE
            )
            pool = [
                s
                for s in demo.students[spec.university]
                if s.pk not in taken and (s.pk, offering.course_id) not in live
            ]
            statuses = _statuses(demo, spec, phase, active_taken)
            for student, status in zip(
                demo.rng.sample(pool, min(len(pool), len(statuses))), statuses, strict=False
            ):
                enroll(student, offering, status)
    CourseEnrollment.objects.bulk_create(rows)


def _phase_of(demo: "Demo", offering_id: int) -> tuple[CourseSpec, str, CourseOffering]:
    for code, runs in demo.offerings.items():
        for phase, offering in runs.items():
            if offering.pk == offering_id:
                return demo.specs[code], phase, offering
    raise KeyError(offering_id)


def _run(
    demo: "Demo",
    enrollment: CourseEnrollment,
    shape: CourseShape,
    spec: CourseSpec,
    phase: str,
    offering: CourseOffering,
) -> LearnerRun | None:
    """How far a learner got, or None when they have not started."""
    rng, total = demo.rng, len(shape)
    status = enrollment.status
    start = max(offering.starts_at, enrollment.enrolled_at)
    if status == ACTIVE and phase == PAST:  # did all the work of a finished term
        return LearnerRun(
            enrollment.user_id,
            offering.pk,
            total,
            None,
            start,
            offering.ends_at - timedelta(days=2),
        )
    if status == DROPPED and phase in (PAST, CURRENT):
        end = min(start + timedelta(days=21), demo.now - timedelta(days=1))
        return LearnerRun(enrollment.user_id, offering.pk, rng.randint(1, 4), None, start, end)
    if status != ACTIVE or phase != CURRENT:
        return None
    if enrollment.user.email == KNOWN_STUDENT:
        share = KNOWN_STUDENT_PROGRESS[spec.code]
        completed = int(total * share)
    elif rng.random() < 0.2:
        return None
    else:
        completed = int(total * rng.uniform(0.05, 0.75))
    opened = Decimal(0)
    if completed < total and shape.item_types[completed] == "video":
        opened = Decimal(rng.randint(20, 80))
    return LearnerRun(
        enrollment.user_id, offering.pk, completed, opened, start, demo.now - timedelta(hours=2)
    )


def progress_seed(demo: "Demo") -> None:
    shapes = {code: CourseShape.load(course.pk) for code, course in demo.courses.items()}
    rows = ProgressRows()
    enrollments = CourseEnrollment.objects.select_related("user").order_by("pk")
    for enrollment in enrollments.filter(course_offering__course__in=demo.courses.values()):
        spec, phase, offering = _phase_of(demo, enrollment.course_offering_id)
        shape = shapes[spec.code]
        run = _run(demo, enrollment, shape, spec, phase, offering)
        if run is not None:
            rows.add(shape, run)
    rows.write()


QUIZ_ATTEMPT_COLUMNS = (
    "user_id",
    "course_offering_id",
    "content_item_id",
    "started_at",
    "submitted_at",
    "score_obtained",
    "max_score",
    "passed",
    "raw_response_json",
    "attempt_number",
)
LAB_SUBMISSION_COLUMNS = (
    "user_id",
    "course_offering_id",
    "content_item_id",
    "submitted_at",
    "status",
    "auto_grade_json",
    "score_obtained",
    "max_score",
    "instructor_feedback",
    "artifacts_url",
)


def _quiz_attempts(demo: "Demo", progress: UserContentProgress) -> list[tuple]:
    """The attempts behind a completed quiz: failed ones first, the last one passed."""
    data = progress.content_item.data_json
    questions = data["num_questions_per_attempt"]
    attempts = []
    for number in range(1, progress.attempts_count + 1):
        passed = number == progress.attempts_count
        correct = round(
            questions * demo.rng.uniform(0.7 if passed else 0.3, 1.0 if passed else 0.55)
        )
        answers = [
            {
                "question_id": data["question_pool_id"] * 100 + q,
                "choice": "abcd"[(q * 7 + number) % 4],
                "correct": q < correct,
            }
            for q in range(questions)
        ]
        started = progress.first_started_at + timedelta(minutes=15 * (number - 1))
        attempts.append(
            (
                progress.user_id,
                progress.course_offering_id,
                progress.content_item_id,
                started,
                started + timedelta(minutes=9),
                Decimal(correct),
                Decimal(questions),
                passed,
                json.dumps({"answers": answers}),
                number,
            )
        )
    return attempts


def _lab_submission(demo: "Demo", progress: UserContentProgress) -> tuple:
    """A graded submission whose score follows the hidden tests that passed."""
    data = progress.content_item.data_json
    max_points = Decimal(str(data["grading"]["max_points"]))
    tests = [f["path"] for f in data["files"] if f["role"] == "hidden_test"]
    failed = demo.rng.choice((0, 0, 1))
    results = [{"test": path, "passed": i >= failed} for i, path in enumerate(tests)]
    score = max_points * Decimal(len(tests) - failed) / Decimal(len(tests))
    return _graded_submission(
        progress,
        auto_grade={"results": results, "passed": len(tests) - failed, "failed": failed},
        score=score.quantize(Decimal("0.01")),
        max_points=max_points,
        feedback="Clean, well-documented solution." if not failed else None,
        artifacts_url=None,  # the demo stores no submitted files, so it offers none to download
    )


def _graded_submission(
    progress: UserContentProgress,
    *,
    auto_grade: dict | None,
    score: Decimal,
    max_points: Decimal,
    feedback: str | None,
    artifacts_url: str | None,
) -> tuple:
    """A row of LAB_SUBMISSION_COLUMNS, graded, submitted when the item was completed."""
    return (
        progress.user_id,
        progress.course_offering_id,
        progress.content_item_id,
        progress.completed_at,
        "graded",
        json.dumps(auto_grade) if auto_grade is not None else None,
        score,
        max_points,
        feedback,
        artifacts_url,
    )


def _assignment_submission(demo: "Demo", progress: UserContentProgress) -> tuple:
    """A submission graded by staff, with feedback now and then."""
    max_points = Decimal(str(progress.content_item.data_json["max_points"]))
    score = (max_points * Decimal(demo.rng.randint(70, 100)) / 100).quantize(Decimal("0.01"))
    feedback = "Well argued; check the units in the last part."
    return _graded_submission(
        progress,
        auto_grade=None,
        score=score,
        max_points=max_points,
        feedback=feedback if demo.rng.random() < 0.5 else None,
        artifacts_url=None,
    )


def assessments_seed(demo: "Demo") -> None:
    """Quiz attempts, lab and assignment submissions behind completed items; then the grades:
    provisional in the running offerings, final in the finished ones (see the module)."""
    done = UserContentProgress.objects.filter(
        completed_at__isnull=False,
        content_item__content_type__in=("quiz", "engineering_lab", "assignment"),
        course_offering__course__in=demo.courses.values(),
    ).select_related("content_item")
    attempts: list[tuple] = []
    submissions: list[tuple] = []
    for progress in done.order_by("pk"):
        content_type = progress.content_item.content_type
        if content_type == "quiz":
            attempts.extend(_quiz_attempts(demo, progress))
        elif content_type == "assignment":
            submissions.append(_assignment_submission(demo, progress))
        else:
            submissions.append(_lab_submission(demo, progress))
    # COPY keeps the historical started_at / submitted_at that auto_now_add would overwrite.
    copy_rows(QuizAttempt._meta.db_table, QUIZ_ATTEMPT_COLUMNS, attempts)
    copy_rows(LabSubmission._meta.db_table, LAB_SUBMISSION_COLUMNS, submissions)

    grades_seed(demo)


QUIET_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


def grades_seed(demo: "Demo") -> None:
    """Roll up the running offerings; finalise the finished ones and issue their certificates
    (without e-mailing the demo learners), dated three days after their term ended."""
    for runs in demo.offerings.values():
        if CURRENT in runs:
            grades_rollup(offering_id=runs[CURRENT].pk)
        if PAST not in runs:
            continue
        offering = runs[PAST]
        result = grades_finalize(offering_id=offering.pk)
        with override_settings(MAILERS=QUIET_MAIL):
            for user_id in result.certificates_due:
                certificate_issue(offering_id=offering.pk, user_id=user_id)
        at = offering.ends_at + timedelta(days=3)
        CourseOffering.objects.filter(pk=offering.pk).update(grades_finalized_at=at)
        CourseGrade.objects.filter(course_offering=offering).update(graded_at=at, finalized_at=at)
        CourseEnrollment.objects.filter(course_offering=offering, status=COMPLETED).update(
            completed_at=at
        )
        Certificate.objects.filter(course_offering=offering).update(issued_at=at, emailed_at=at)


def _post_tree(
    thread: DiscussionThread,
    replies: tuple,
    *,
    parent: DiscussionPost,
    students: list[User],
    staff: User,
    at: datetime,
    followers: set[int],
) -> datetime:
    for i, (author_kind, body, nested) in enumerate(replies):
        author = staff if author_kind in ("staff", "note") else students[(i + 1) % len(students)]
        at += timedelta(hours=3 + i)
        post = DiscussionPost.objects.create(
            thread=thread, parent_post=parent, user=author, body=body, created_at=at, updated_at=at
        )
        followers.add(author.pk)
        if author_kind == "staff" and thread.answer_post_id is None:
            thread.answer_post = post
        at = _post_tree(
            thread, nested, parent=post, students=students, staff=staff, at=at, followers=followers
        )
    return at


def _threads(demo: "Demo", spec: CourseSpec, offering: CourseOffering) -> None:
    students = list(
        User.objects.filter(
            enrollments__course_offering=offering, enrollments__status=ACTIVE
        ).order_by("pk")
    )
    staff = offering.instructors.order_by("pk").first()
    if len(students) < 2 or staff is None:
        return
    lesson = (
        Module.objects.filter(course_id=offering.course_id, module_type=ModuleType.LESSON)
        .order_by(*tree.OUTLINE_ORDER)
        .first()
    )
    item = (
        ContentItem.objects.filter(module__parent=lesson)
        .order_by(*tree.outline_order("module__"))
        .first()
    )
    for n, (title, opening, replies) in enumerate(SUBJECT_THREADS[spec.subject, spec.language]):
        author = students[n % len(students)]
        at = offering.starts_at + timedelta(days=9 + 6 * n, hours=demo.rng.randint(0, 8))
        thread = DiscussionThread.objects.create(
            course_offering=offering,
            module=lesson if n == 0 else None,
            content_item=item if n == 0 else None,
            created_by_user=author,
            title=title,
            created_at=at,
        )
        first = DiscussionPost.objects.create(
            thread=thread, user=author, body=opening, created_at=at, updated_at=at
        )
        followers = {author.pk}
        last = _post_tree(
            thread,
            replies,
            parent=first,
            # Counted from the author, so the first reply is someone else's.
            students=students[n:] + students[:n],
            staff=staff,
            at=at,
            followers=followers,
        )
        thread.last_activity_at = last
        thread.save(update_fields=["answer_post", "last_activity_at"])
        ThreadFollower.objects.bulk_create(
            [ThreadFollower(thread=thread, user_id=user_id) for user_id in sorted(followers)]
        )


def _reviews(demo: "Demo", spec: CourseSpec, offering: CourseOffering, used: set[str]) -> None:
    completed = CourseEnrollment.objects.filter(
        course_offering=offering, status=COMPLETED
    ).select_related("user")
    units = parse_outline(spec.outline)
    lessons_of = [lesson for _unit, chapters in units for _chapter, ls in chapters for lesson in ls]
    reviews, lessons = [], []
    for enrollment in completed.order_by("pk"):
        known = enrollment.user.email == KNOWN_STUDENT
        if not known and demo.rng.random() < 0.35:
            continue
        rating = 5 if known else demo.rng.choices((5, 4, 3, 2), weights=(4, 4, 2, 1))[0]
        text, lesson = review_text(
            rng=demo.rng, language=spec.language, rating=rating, lessons=lessons_of, used=used
        )
        at = enrollment.completed_at + timedelta(days=1, hours=demo.rng.randint(0, 48))
        reviews.append(
            CourseReview(
                user_id=enrollment.user_id,
                course_offering=offering,
                rating=rating,
                review_text=text,
                display_name=demo.rng.choice(ReviewerName.values),
                created_at=at,
                updated_at=at,
            )
        )
        lessons.append(lesson)
    CourseReview.objects.bulk_create(reviews)
    critical = [(r, lesson) for r, lesson in zip(reviews, lessons, strict=True) if r.rating <= 3]
    staff = offering.instructors.order_by("pk").first()
    if critical and staff is not None:
        review, lesson = critical[0]
        at = review.created_at + timedelta(days=2)
        ReviewReply.objects.create(
            review=review,
            user=staff,
            body=REVIEW_REPLY[spec.language].format(lesson=lesson),
            created_at=at,
            updated_at=at,
        )


def community_seed(demo: "Demo") -> None:
    """Discussions in the running offerings, reviews of the finished ones."""
    used: set[str] = set()
    for spec in COURSES:
        runs = demo.offerings[spec.code]
        if CURRENT in runs:
            _threads(demo, spec, runs[CURRENT])
        if PAST in runs:
            _reviews(demo, spec, runs[PAST], used)
    # auto_now stamped these rows with today; they were last changed when they were written.
    offerings = [o for runs in demo.offerings.values() for o in runs.values()]
    DiscussionPost.objects.filter(thread__course_offering__in=offerings).update(
        updated_at=F("created_at")
    )
    CourseReview.objects.filter(course_offering__in=offerings).update(updated_at=F("created_at"))
    ReviewReply.objects.filter(review__course_offering__in=offerings).update(
        updated_at=F("created_at")
    )
