"""Server time and query counts of the learner's pages on a 5,000-module course and on the
demo data.

    .venv/bin/python bench/pages.py [--runs 30] [--rebuild]

Uses its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/lms_bench),
creates and migrates it, builds the data once (bench/data.py, then seed_demo beside it; --rebuild
starts over), warms up,
then times each page through Django's test Client (the whole request in-process: middleware,
views, queries, templates; no network) and prints the median and the query count.

To add a page, append a Page to PAGES (or call add_page from another bench script): a name, a
function returning the URL for the data (or None to skip), and which user asks.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


def ensure_database() -> None:
    import psycopg
    from psycopg import sql

    *server, name = DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(f"{server[0]}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@dataclass
class Page:
    name: str
    url: Callable[["object"], str | None]
    # A user of bench.data.BenchData (student, demo_student, instructor) or an email.
    as_user: str = "student"
    before_each: Callable[[], None] | None = None  # runs before every request, untimed


def _clear_outline_cache() -> None:
    from content.selectors import outline_cache_clear

    outline_cache_clear()


def _reverse(name: str, **kwargs) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


PAGES: list[Page] = [
    Page(
        "outline (5,000 modules)",
        lambda d: _reverse("portal:outline", offering_id=d.big_offering.pk),
    ),
    Page(
        "outline, cold cache (5,000 modules)",
        lambda d: _reverse("portal:outline", offering_id=d.big_offering.pk),
        before_each=_clear_outline_cache,
    ),
    Page(
        "outline, staff (5,000 modules)",
        lambda d: _reverse("portal:outline", offering_id=d.big_offering.pk),
        as_user="instructor",
    ),
    Page(
        "video item (5,000-module course)",
        lambda d: _reverse(
            "portal:item", offering_id=d.big_offering.pk, item_id=d.big_video_item_id
        ),
    ),
    Page(
        "text item (5,000-module course)",
        lambda d: _reverse(
            "portal:item", offering_id=d.big_offering.pk, item_id=d.big_text_item_id
        ),
    ),
    Page(
        "text item (demo course, 120 modules)",
        lambda d: _reverse(
            "portal:item", offering_id=d.small_offering.pk, item_id=d.small_text_item_id
        ),
    ),
    Page(
        "captions.vtt",
        lambda d: _reverse(
            "portal:item-captions", offering_id=d.big_offering.pk, item_id=d.big_video_item_id
        ),
    ),
    Page("dashboard (8 enrollments, one 5,000-module)", lambda d: _reverse("portal:dashboard")),
    Page("calendar (8 enrollments, one 5,000-module)", lambda d: _reverse("portal:calendar")),
    Page(
        "dashboard (7 demo-sized enrollments)",
        lambda d: _reverse("portal:dashboard"),
        as_user="demo_student",
    ),
    # Pages of the catalog; skipped while their routes do not exist.
    Page("catalog", lambda d: _reverse("portal:catalog")),
    Page(
        "course page",
        lambda d: _reverse("portal:course-detail", course_id=d.big_offering.course_id),
    ),
    Page("catalog search", lambda d: (_reverse("portal:catalog") or "") + "?q=engineering"),
    # Search inside the course: a transcript phrase, and a misspelling that falls back to
    # trigram similarity.
    Page(
        "course search (5,000 modules)",
        lambda d: (
            (_reverse("portal:course-search", offering_id=d.big_offering.pk) or "?")
            + "?q=lecture+2454"
        ),
    ),
    Page(
        "course search, misspelt (5,000 modules)",
        lambda d: (
            (_reverse("portal:course-search", offering_id=d.big_offering.pk) or "?")
            + "?q=lectrue+2454"
        ),
    ),
]


# The same pages on the demo data (seed_demo, loaded into the bench database once), as its
# student sees them.
DEMO_STUDENT = "student@demo.lms"


@cache
def demo_objects() -> dict[str, int]:
    """Ids on the demo data: a subject with narrower subjects, a course, and a text and a video
    item of a course the demo student is taking."""
    from catalog.models import CourseEnrollment, EnrollmentStatus, Subject
    from content.models import ContentItem

    enrollment = (
        CourseEnrollment.objects.filter(user__email=DEMO_STUDENT, status=EnrollmentStatus.ACTIVE)
        .order_by("course_offering__course__code")
        .select_related("course_offering")
        .first()
    )
    items = ContentItem.objects.non_polymorphic().filter(
        module__course_id=enrollment.course_offering.course_id,
        module__is_published=True,
        is_active=True,
    )
    return {
        "subject_id": Subject.objects.filter(depth=0, children__isnull=False).first().pk,
        "course_id": enrollment.course_offering.course_id,
        "offering_id": enrollment.course_offering_id,
        "text_item_id": items.filter(content_type="text").order_by("pk").first().pk,
        "video_item_id": items.filter(content_type="video").order_by("pk").first().pk,
    }


def _demo_catalog(query: str) -> Callable[[object], str | None]:
    def url(_data) -> str | None:
        base = _reverse("portal:catalog")
        return base and (f"{base}?{query.format(**demo_objects())}" if query else base)

    return url


def _demo_item(kind: str) -> Callable[[object], str | None]:
    def url(_data) -> str | None:
        ids = demo_objects()
        return _reverse(
            "portal:item", offering_id=ids["offering_id"], item_id=ids[f"{kind}_item_id"]
        )

    return url


PAGES += [
    Page("demo: catalog", _demo_catalog(""), as_user=DEMO_STUDENT),
    Page(
        "demo: catalog filtered",
        _demo_catalog("subject={subject_id}&level=undergraduate&open_now=on"),
        as_user=DEMO_STUDENT,
    ),
    Page("demo: catalog searched", _demo_catalog("q=integration"), as_user=DEMO_STUDENT),
    Page(
        "demo: catalog searched, misspelt",
        _demo_catalog("q=thermodinamics"),
        as_user=DEMO_STUDENT,
    ),
    Page(
        "demo: course page",
        lambda d: _reverse("portal:course-detail", course_id=demo_objects()["course_id"]),
        as_user=DEMO_STUDENT,
    ),
    Page(
        "demo: course search, transcript phrase",
        lambda d: (
            (_reverse("portal:course-search", offering_id=demo_objects()["offering_id"]) or "?")
            + "?q=typical+exam+problem"
        ),
        as_user=DEMO_STUDENT,
    ),
    Page("demo: text item", _demo_item("text"), as_user=DEMO_STUDENT),
    Page("demo: video item", _demo_item("video"), as_user=DEMO_STUDENT),
    Page("demo: dashboard", lambda d: _reverse("portal:dashboard"), as_user=DEMO_STUDENT),
    Page("demo: calendar", lambda d: _reverse("portal:calendar"), as_user=DEMO_STUDENT),
    Page(
        "demo: calendar agenda",
        lambda d: (_reverse("portal:calendar") or "") + "?view=agenda",
        as_user=DEMO_STUDENT,
    ),
    Page(
        "demo: course calendar",
        lambda d: _reverse("portal:course-calendar", offering_id=demo_objects()["offering_id"]),
        as_user=DEMO_STUDENT,
    ),
    Page("demo: calendar feed", lambda d: _demo_feed(), as_user=DEMO_STUDENT),
]


def _demo_feed() -> str | None:
    """The demo student's feed address, made once (a reset gives a new one each run)."""
    from assessments.deadlines.models import CalendarFeed
    from assessments.deadlines.services import calendar_feed_reset
    from tenancy.models import User

    user = User.objects.get(email=DEMO_STUDENT)
    feed = CalendarFeed.objects.filter(user=user).first() or calendar_feed_reset(user=user)
    return _reverse("portal:calendar-feed", token=feed.token)


def add_page(page: Page) -> None:
    PAGES.append(page)


def load_or_build(rebuild: bool):
    from django.core.management import call_command

    from bench import data
    from catalog.models import Course

    if rebuild:
        call_command("flush", interactive=False, verbosity=0)
    if not Course.objects.filter(code=data.BIG_CODE).exists():
        started = time.perf_counter()
        built = data.build()
        print(
            f"built {built.module_count} modules and {built.item_count} items "
            f"in {time.perf_counter() - started:.1f} s"
        )
    else:
        built = data.load()
    demo_load()
    return built


def demo_load() -> None:
    from demo.seed import seed_demo

    started = time.perf_counter()
    if seed_demo():
        print(f"seeded the demo data in {time.perf_counter() - started:.1f} s")


def user_for(bench, who: str):
    from tenancy.models import User

    if "@" in who:
        return User.objects.get(email=who)
    return getattr(bench, who)


def measure(client, page: Page, url: str, runs: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def prepare() -> None:
        if page.before_each is not None:
            page.before_each()

    for _ in range(5):
        prepare()
        response = client.get(url)
    prepare()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)
    timings = []
    for _ in range(runs):
        prepare()
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), min(timings), query_count, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    bench = load_or_build(args.rebuild)
    clients = {}
    for role in {page.as_user for page in PAGES}:
        clients[role] = Client()
        clients[role].force_login(user_for(bench, role))

    print(f"database {DATABASE_URL}; median of {args.runs} runs after 5 warm-up requests")
    print(f"{'page':<44} {'median ms':>10} {'min ms':>8} {'queries':>8} {'status':>7}")
    for page in PAGES:
        url = page.url(bench)
        if not url or url.startswith("?"):
            print(f"{page.name:<44} {'(no route yet)':>35}")
            continue
        median, fastest, count, status = measure(clients[page.as_user], page, url, args.runs)
        print(f"{page.name:<44} {median:>10.1f} {fastest:>8.1f} {count:>8} {status:>7}")


if __name__ == "__main__":
    main()
