"""Time and query counts of the roster work at the largest size the CSV allows.

    .venv/bin/python bench/roster.py [--rows 2000] [--runs 5]

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/lms_bench_roster), creates, migrates and empties it, and for
each run builds a fresh offering whose CSV has half members of the university and half
addresses to invite. Prints the median of: parsing the file, the preview plan, the
all-or-nothing enrollment, then the roster page, a filtered roster page and the export through
Django's test Client (the whole request in-process).
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# bench.pages reads BENCH_DATABASE_URL when imported and points Django at it.
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench_roster")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")

from bench.pages import ensure_database  # noqa: E402


def timed(function: Callable[[], object]) -> tuple[float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
    return elapsed * 1000, len(queries), result


def one_run(rows: int, run: int) -> dict[str, tuple[float, int]]:
    from django.contrib.auth.hashers import make_password
    from django.test import Client

    from catalog.services import roster_csv
    from catalog.tests.factories import OfferingFactory
    from tenancy.models import Role, User, UserUniversityRole

    offering = OfferingFactory(capacity=rows // 2, term_name=f"Bench {run}")
    admin = User.objects.create(
        email=f"bench-admin-{offering.pk}@example.edu",
        full_name="Bench Admin",
        password=make_password(None),
    )
    UserUniversityRole.objects.create(
        user=admin,
        university=offering.university,
        role=Role.DEPARTMENT_ADMIN,
        department=offering.course.department,
    )
    known = [f"known-{offering.pk}-{n}@example.edu" for n in range(rows // 2)]
    members = User.objects.bulk_create(
        [User(email=e, full_name=e.split("@")[0], password=make_password(None)) for e in known]
    )
    UserUniversityRole.objects.bulk_create(
        [
            UserUniversityRole(user=user, university=offering.university, role=Role.STUDENT)
            for user in members
        ]
    )
    new = [f"new-{offering.pk}-{n}@example.edu" for n in range(rows - len(known))]
    text = "email,name\n" + "".join(f"{e},Person {n}\n" for n, e in enumerate(known + new))
    data = text.encode()

    figures: dict[str, tuple[float, int]] = {}
    ms, count, parsed = timed(lambda: roster_csv.roster_csv_parse(data))
    figures["parse"] = (ms, count)
    ms, count, plan = timed(lambda: roster_csv.roster_csv_plan(offering=offering, rows=parsed))
    assert plan.is_valid
    figures["preview plan"] = (ms, count)

    def enroll():
        return roster_csv.roster_csv_enroll(actor=admin, offering=offering, rows=parsed)

    # The invitations go to the broker after commit; the bench measures the request's own work.
    with mock.patch("catalog.services.invitations._enqueue_emails"):
        ms, count, done = timed(enroll)
    assert done.count(roster_csv.RowAction.ENROLL) == rows // 2
    figures["enroll (all or nothing)"] = (ms, count)

    client = Client()
    client.force_login(admin)
    base = f"/admin/catalog/courseoffering/{offering.pk}/roster/"
    for name, url in (
        ("roster page", base),
        ("roster page, waitlisted, page 5", f"{base}?status=waitlisted&page=5"),
        ("export", f"{base}export/"),
    ):

        def fetch(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if response.streaming:
                return b"".join(response.streaming_content)
            return response.content

        ms, count, _body = timed(fetch)
        figures[name] = (ms, count)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # the factories' sequences restart
    results: dict[str, list[tuple[float, int]]] = {}
    for run in range(args.runs):
        for name, figure in one_run(args.rows, run).items():
            results.setdefault(name, []).append(figure)
    print(f"roster bench: {args.rows} CSV rows (half new accounts), median of {args.runs} runs")
    for name, figures in results.items():
        ms = statistics.median(f[0] for f in figures)
        queries = max(f[1] for f in figures)
        print(f"  {name:<34} {ms:9.1f} ms  {queries:5d} queries")


if __name__ == "__main__":
    main()
