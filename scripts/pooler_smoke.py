"""Run a real workload through PgBouncer in transaction mode and exit 0 when all of it works.

    DATABASE_URL=postgres://postgres@127.0.0.1:6432/lms_smoke DATABASE_POOLER=pgbouncer \\
        .venv/bin/python scripts/pooler_smoke.py

Point DATABASE_URL at an empty database behind PgBouncer. The script
migrates it, builds a course with a quiz (the test factories: install requirements-dev.txt),
enrolls people and submits a quiz through the services,
loads the catalog, a course page, an outline and the dashboard, streams a queryset with
.iterator(), and has several threads enroll in one offering at once so their transactions
interleave on the pooled server connections. It prints one line per step and exits 1 on the
first failure (2 when DATABASE_POOLER is not "pgbouncer").
"""

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
THREADS = 6


def step(message: str) -> None:
    print(f"ok: {message}", flush=True)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.urls import reverse

    from assessments.quizzes.services import attempt_answers_save, attempt_start, attempt_submit
    from assessments.tests.quiz_factories import correct_answers, quiz_setup
    from catalog.models import CourseEnrollment
    from catalog.services.enrollment import enrollment_create
    from catalog.tests.factories import OfferingFactory
    from tenancy.models import User
    from tenancy.tests.factories import UserFactory

    if settings.DATABASE_POOLER != "pgbouncer":
        print(
            "error: set DATABASE_POOLER=pgbouncer (and DATABASE_URL to PgBouncer)", file=sys.stderr
        )
        return 2

    call_command("migrate", verbosity=0, interactive=False)
    step("migrated")
    if User.objects.exists():
        print("error: the smoke test needs an empty database", file=sys.stderr)
        return 2

    # A quiz taken end to end: started, answered, submitted and graded in the services.
    offering, item, _pool, questions, student = quiz_setup()
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    attempt_answers_save(user=student, attempt_id=attempt.pk, answers=correct_answers(questions))
    submitted = attempt_submit(user=student, attempt_id=attempt.pk)
    if submitted.submitted_at is None or submitted.score_obtained != submitted.max_score:
        raise AssertionError(f"quiz attempt {attempt.pk} not submitted with full marks")
    step(f"quiz attempt submitted, {submitted.score_obtained} of {submitted.max_score}")
    enrollment_create(offering=offering, user=UserFactory())
    step("enrolled a newcomer")

    # The pages, as the student.
    client = Client(SERVER_NAME="localhost")
    client.force_login(student)
    pages = [
        reverse("portal:catalog"),
        reverse("portal:catalog") + "?q=course",
        reverse("portal:course-detail", kwargs={"course_id": offering.course_id}),
        reverse("portal:outline", kwargs={"offering_id": offering.pk}),
        reverse("portal:dashboard"),
    ]
    for url in pages:
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"{url} answered {response.status_code}")
    step(f"{len(pages)} pages served")

    # The server-side cursor case: .iterator() must stream without a named cursor.
    streamed = sum(1 for _ in User.objects.order_by("pk").iterator(chunk_size=50))
    if streamed != User.objects.count():
        raise AssertionError("iterator() lost rows")
    step(f"iterated {streamed} users")

    # Concurrent enrollments in one offering: row locks and advisory locks held by transactions
    # that interleave on fewer server connections than threads.
    target = OfferingFactory()
    people = UserFactory.create_batch(THREADS)
    start_together = threading.Barrier(THREADS)

    def enroll(person: User) -> int:
        try:
            start_together.wait(timeout=30)
            enrollment_create(offering=target, user=person)
            return Client(SERVER_NAME="localhost").get(reverse("portal:catalog")).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        statuses = list(pool.map(enroll, people, timeout=120))
    if statuses != [200] * THREADS:
        raise AssertionError(f"the catalog answered {statuses} during concurrent enrollments")
    enrolled = CourseEnrollment.objects.filter(course_offering=target, user__in=people).count()
    if enrolled != THREADS:
        raise AssertionError(f"{enrolled} of {THREADS} concurrent enrollments recorded")
    step(f"{THREADS} concurrent enrollments")

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        cursor.fetchone()
    print("pooler smoke ok", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as failure:
        print(f"error: {failure}", file=sys.stderr)
        sys.exit(1)
