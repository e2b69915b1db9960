"""Time of exporting the 5,000-module bench course as a native archive (the target: under
60 s).

    .venv/bin/python bench/native_export.py [--runs 3]

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/lms_bench_native), creates, migrates and empties it, builds
the bench data (bench/data.py) and prints the median time of the export, the archive's size
and what it holds.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench_native")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")

from bench.pages import ensure_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    from bench import data
    from catalog.models import Course
    from interchange.courses.native_export import native_export

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    data.build()
    course = Course.objects.get(code=data.BIG_CODE)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "course.tar.gz"
        for _run in range(args.runs):
            start = time.perf_counter()
            counts = native_export(course=course, path=archive)
            times.append(time.perf_counter() - start)
        size = archive.stat().st_size
    print(f"Native export bench: course {course.code}, median of {args.runs} runs")
    print(f"  export  {statistics.median(times):7.2f} s  ({size / 1024 / 1024:.1f} MB archive)")
    print("  holds: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))


if __name__ == "__main__":
    main()
