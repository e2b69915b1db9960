"""Grade rollup and gradebook of a 10,000-learner offering with 50 graded items.

    .venv/bin/python bench/grades.py [--learners 10000] [--runs 3] [--rebuild]

Uses its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/lms_bench_grades),
creates and migrates it, bulk-inserts the data once with INSERT ... SELECT (--rebuild starts
over): one offering with 25 quizzes, 15 labs and 10 assignments, every learner with two
submitted attempts per quiz and a graded submission per lab and assignment (scores random).

Prints the median of each figure over --runs: the full rollup when every grade changes, when
nothing changes, under a policy that drops the lowest scores, and for one learner; then the
first gradebook page in the admin and the whole CSV export, both through Django's test Client
as the university admin.
Targets: rollup under 5 s, gradebook page and CSV under 2 s.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench_grades")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from bench.pages import ensure_database  # noqa: E402  (sets DATABASE_URL first)

COURSE_CODE = "BENCH-GRADES"
ITEMS = {"quiz": 25, "engineering_lab": 15, "assignment": 10}


def build(learners: int):
    from django.db import connection

    from assessments.tests import trees
    from catalog.tests.factories import CourseFactory, OfferingFactory
    from tenancy.models import Department, Role
    from tenancy.tests.factories import DepartmentFactory, RoleFactory

    # The tenant is kept across rebuilds and found by its code: the factories number
    # universities from zero in every process, so a second one would clash with the first.
    department = Department.objects.filter(university__short_code=COURSE_CODE).first()
    if department is None:
        department = DepartmentFactory(university__short_code=COURSE_CODE)
    course = CourseFactory(
        code=COURSE_CODE,
        title="Bench: grades",
        university=department.university,
        department=department,
    )
    offering = OfferingFactory(course=course)
    unit = trees.module(trees.root(course), "Everything graded")
    for content_type, count in ITEMS.items():
        for n in range(1, count + 1):
            trees.item(unit, f"{content_type} {n}", content_type)
    RoleFactory(
        user__email="grades-admin@bench.lms",
        university=course.university,
        role=Role.UNIVERSITY_ADMIN,
    )
    params = {
        "offering": offering.pk,
        "course": course.pk,
        "university": course.university_id,
        "n": learners,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO users (email, full_name, password_hash, is_superuser)
            SELECT 'learner' || g || '@bench.lms', 'Learner ' || lpad(g::text, 6, '0'), '!', false
            FROM generate_series(1, %(n)s) g
            """,
            params,
        )
        cursor.execute(
            """
            CREATE TEMP TABLE bench_learners AS
            SELECT id FROM users WHERE email LIKE 'learner%%@bench.lms'
            """
        )
        # The gradebook lists learners who hold a role at the offering's university.
        cursor.execute(
            """
            INSERT INTO user_university_roles (user_id, university_id, role, created_at)
            SELECT id, %(university)s, 'student', now() FROM bench_learners
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO course_enrollments (user_id, course_offering_id, status, enrolled_at)
            SELECT id, %(offering)s, 'active', now() FROM bench_learners
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO quiz_attempts (user_id, course_offering_id, content_item_id, started_at,
                                       submitted_at, score_obtained, max_score, attempt_number)
            SELECT l.id, %(offering)s, ci.id, now() - interval '1 day',
                   now() - interval '1 day' + n * interval '1 minute',
                   floor(random() * 11), 10, n
            FROM bench_learners l
            CROSS JOIN content_items ci
            CROSS JOIN generate_series(1, 2) n
            WHERE ci.course_id = %(course)s AND ci.content_type = 'quiz'
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO lab_submissions (user_id, course_offering_id, content_item_id,
                                         submitted_at, status, score_obtained, max_score)
            SELECT l.id, %(offering)s, ci.id, now() - interval '1 day', 'graded',
                   round((random() * 100)::numeric, 2), 100
            FROM bench_learners l
            CROSS JOIN content_items ci
            WHERE ci.course_id = %(course)s AND ci.content_type IN ('engineering_lab', 'assignment')
            """,
            params,
        )
        cursor.execute("ANALYZE")
    return offering


def load_or_build(learners: int, rebuild: bool):
    from catalog.models import CourseOffering

    offering = CourseOffering.objects.filter(course__code=COURSE_CODE).first()
    if offering is not None and not rebuild:
        return offering
    if offering is not None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM users WHERE email LIKE '%%@bench.lms'")
        offering.course.delete()
    started = time.perf_counter()
    offering = build(learners)
    print(f"built {learners} learners in {time.perf_counter() - started:.1f} s")
    return offering


def timed(function, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from assessments.grades.services import grades_rollup
    from catalog.models import CourseEnrollment
    from tenancy.models import User

    call_command("migrate", verbosity=0)
    offering = load_or_build(args.learners, args.rebuild)
    learners = CourseEnrollment.objects.filter(course_offering=offering).count()
    one_learner = CourseEnrollment.objects.filter(course_offering=offering).first().user_id
    print(f"offering {offering.pk}: {learners} learners, {sum(ITEMS.values())} graded items")

    def reset() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM course_grades WHERE course_offering_id = %s", [offering.pk])
            cursor.execute(
                "UPDATE course_enrollments SET status = 'active', completed_at = NULL"
                " WHERE course_offering_id = %s",
                [offering.pk],
            )

    samples = []
    result = None
    for _ in range(args.runs):
        reset()
        started = time.perf_counter()
        result = grades_rollup(offering_id=offering.pk)
        samples.append(time.perf_counter() - started)
    print(
        f"rollup, every grade written:   {statistics.median(samples):6.2f} s "
        f"({result.changed} grades, {result.completed} completed, "
        f"{len(result.certificates_due)} certificates due)  target < 5 s"
    )
    unchanged = timed(lambda: grades_rollup(offering_id=offering.pk), args.runs)
    print(f"rollup, nothing changed:       {unchanged:6.2f} s")
    from assessments.grades.models import GradingPolicy

    policy = GradingPolicy.objects.create(
        course_offering=offering, drop_lowest_quizzes=2, drop_lowest_labs=1
    )
    dropping = timed(lambda: (reset(), grades_rollup(offering_id=offering.pk)), args.runs)
    policy.delete()
    reset()
    grades_rollup(offering_id=offering.pk)
    print(f"rollup, with drop-lowest:      {dropping:6.2f} s  target < 5 s")
    single = timed(lambda: grades_rollup(offering_id=offering.pk, user_ids=[one_learner]), 5)
    print(f"rollup, one learner:           {single * 1000:6.1f} ms")

    client = Client()
    client.force_login(User.objects.get(email="grades-admin@bench.lms"))
    page_url = reverse("admin:assessments_coursegrade_gradebook", args=[offering.pk])
    csv_url = reverse("admin:assessments_coursegrade_gradebook_csv", args=[offering.pk])
    client.get(page_url)
    page = timed(lambda: client.get(page_url), args.runs)
    print(f"gradebook page (50 learners):  {page:6.2f} s  target < 2 s")
    size = {}

    def download() -> None:
        response = client.get(csv_url)
        body = b"".join(response.streaming_content)
        size.update(bytes=len(body), lines=body.count(b"\n"))

    export = timed(download, args.runs)
    print(
        f"gradebook CSV (all learners):  {export:6.2f} s  target < 2 s "
        f"({size['lines']} lines, {size['bytes'] / 1e6:.1f} MB)"
    )


if __name__ == "__main__":
    main()
