"""Export a course as this product's own lossless archive (.tar.gz, or .zip by its name)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from catalog.models import Course
from interchange.courses.native_export import native_export


class Command(BaseCommand):
    help = (
        "Export a course (its modules, items, assets, question pools, lab files and grading "
        "policy) as a native archive that import_course reads back as it was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the course's code")
        parser.add_argument("--university", required=True, help="the university's short code")
        parser.add_argument("--format", choices=["native"], default="native")
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            type=Path,
            help="the file to write (.zip for a zip, else .tar.gz)",
        )

    def handle(self, *args, **options) -> None:
        course = Course.objects.filter(
            university__short_code=options["university"], code=options["code"]
        ).first()
        if course is None:
            raise CommandError(
                _("No course %(code)s at %(u)s.")
                % {"code": options["code"], "u": options["university"]}
            )
        counts = native_export(course=course, path=options["output"])
        for kind, n in counts.items():
            self.stdout.write(f"{kind}: {n}")
        self.stdout.write(
            self.style.SUCCESS(
                _("Exported %(code)s to %(path)s.")
                % {"code": course.code, "path": options["output"]}
            )
        )
