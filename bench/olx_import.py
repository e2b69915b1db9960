"""Time of importing a generated Open edX OLX course of 500 components (the target: under 30 s).

    .venv/bin/python bench/olx_import.py [--verticals 50] [--runs 3]

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/lms_bench_olx), creates, migrates and empties it. The
course has 10 chapters of 5 sequentials' worth of verticals; each vertical holds 4 html
components (with math and an image), 3 YouTube videos with .srt transcripts and 3 capa
problems (multiple choice, numerical, text), so 50 verticals are 500 components. Prints the
median of reading and planning the package (a dry run) and of the whole import.
"""

import argparse
import io
import os
import statistics
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench_olx")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")

from bench.pages import ensure_database  # noqa: E402

SRT = "1\n00:00:00,000 --> 00:00:02,000\nFirst line.\n\n2\n00:00:02,000 --> 00:00:04,000\nSecond.\n"
PROBLEMS = [
    '<problem display_name="Choice {n}"><multiplechoiceresponse><label>Pick B ({n})</label>'
    '<choicegroup><choice correct="false">A</choice><choice correct="true">B</choice>'
    "</choicegroup></multiplechoiceresponse></problem>",
    '<problem display_name="Number {n}"><numericalresponse answer="{n}"><label>Write {n}</label>'
    '<responseparam type="tolerance" default="1%"/><formulaequationinput/></numericalresponse>'
    "</problem>",
    '<problem display_name="Word {n}"><stringresponse answer="word{n}" type="ci">'
    "<label>Type word{n}</label><textline/></stringresponse></problem>",
]


def write(root: Path, name: str, text: str | bytes) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())


def build_course(root: Path, verticals: int) -> None:
    write(root, "course.xml", '<course url_name="run" org="BenchX" course="OLX500"/>')
    chapters = max(1, verticals // 5)
    write(
        root,
        "course/run.xml",
        '<course display_name="Bench OLX course">'
        + "".join(f'<chapter url_name="c{c}"/>' for c in range(chapters))
        + "</course>",
    )
    figure = io.BytesIO()
    Image.new("RGB", (64, 32), (30, 90, 160)).save(figure, "PNG")
    write(root, "static/figure.png", figure.getvalue())
    for c in range(chapters):
        mine = [v for v in range(verticals) if v % chapters == c]
        write(
            root,
            f"chapter/c{c}.xml",
            f'<chapter display_name="Chapter {c}"><sequential url_name="s{c}"/></chapter>',
        )
        write(
            root,
            f"sequential/s{c}.xml",
            f'<sequential display_name="Sequence {c}">'
            + "".join(f'<vertical url_name="v{v}"/>' for v in mine)
            + "</sequential>",
        )
    for v in range(verticals):
        parts = []
        for h in range(4):
            name = f"h{v}_{h}"
            parts.append(f'<html url_name="{name}"/>')
            write(root, f"html/{name}.xml", f'<html filename="{name}" display_name="Text {h}"/>')
            write(
                root,
                f"html/{name}.html",
                f"<p>Paragraph {v}.{h} with \\(x^{h}\\) inline.</p><p>\\[a_{h}+b\\]</p>"
                '<img src="/static/figure.png" alt="Figure"/><p>After the figure.</p>',
            )
        for k in range(3):
            name = f"vid{v}_{k}"
            parts.append(f'<video url_name="{name}"/>')
            write(
                root,
                f"video/{name}.xml",
                f'<video display_name="Video {k}" youtube_id_1_0="vid{v:04d}x{k}ab">'
                f'<transcript language="en" src="{name}.srt"/></video>',
            )
            write(root, f"static/{name}.srt", SRT)
        for k, problem in enumerate(PROBLEMS):
            name = f"p{v}_{k}"
            parts.append(f'<problem url_name="{name}"/>')
            write(root, f"problem/{name}.xml", problem.format(n=v * 3 + k + 1))
        write(
            root,
            f"vertical/v{v}.xml",
            f'<vertical display_name="Unit {v}">{"".join(parts)}</vertical>',
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verticals", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from interchange.courses.services import olx_import
    from tenancy.tests.factories import UniversityFactory

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    university = UniversityFactory(short_code="BENCHOLX")
    dry, full = [], []
    with tempfile.TemporaryDirectory() as tmp:
        settings.MEDIA_ROOT = str(Path(tmp) / "media")
        folder = Path(tmp) / "course"
        build_course(folder, args.verticals)
        package = Path(tmp) / "course.tar.gz"
        with tarfile.open(package, "w:gz") as archive:
            archive.add(folder, arcname="course")
        for run in range(args.runs):
            start = time.perf_counter()
            olx_import(path=package, university=university, course_code=f"B{run}", dry_run=True)
            dry.append(time.perf_counter() - start)
            start = time.perf_counter()
            report = olx_import(path=package, university=university, course_code=f"B{run}")
            full.append(time.perf_counter() - start)
    components = args.verticals * 10
    print(f"OLX import bench: {components} components, median of {args.runs} runs")
    print(f"  read and plan (dry run)  {statistics.median(dry):7.2f} s")
    print(f"  whole import             {statistics.median(full):7.2f} s")
    print(f"  warnings: {len(report.warnings)}")
    print(
        f"  created: {sum(report.modules.values())} modules, {dict(report.items)} items, "
        f"{report.questions} questions, {report.assets} assets, {report.transcripts} transcripts"
    )


if __name__ == "__main__":
    main()
