"""Import an Open edX OLX course export (a .tar.gz or its folder), or this product's own
course archive (recognised by its manifest), as a new course."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from interchange.archives import PackageRefused, package_read
from interchange.courses.native import is_native, native_import
from interchange.courses.services import CourseImport, olx_import
from tenancy.models import University


class Command(BaseCommand):
    help = (
        "Import an Open edX OLX course export, or a native course archive, as a new course "
        "of the university: everything or, when the package is refused, nothing. Prints "
        "what was created and every part "
        "that could not be imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the .tar.gz export or its unpacked folder")
        parser.add_argument("--university", required=True, help="the university's short code")
        parser.add_argument(
            "--course-code", help="the new course's code (course.xml's if not given)"
        )
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")

    def handle(self, *args, **options) -> None:
        university = University.objects.filter(short_code=options["university"]).first()
        if university is None:
            raise CommandError(_("No university %(code)s.") % {"code": options["university"]})
        try:
            package = package_read(options["path"])
            if is_native(package):
                report = native_import(
                    package=package,
                    university=university,
                    course_code=options["course_code"],
                    dry_run=options["dry_run"],
                )
            else:
                report = olx_import(
                    path=options["path"],
                    university=university,
                    course_code=options["course_code"],
                    dry_run=options["dry_run"],
                )
        except PackageRefused as refused:
            raise CommandError(_("Refused: %(m)s") % {"m": refused.message}) from None
        self._report(report)
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported course %(code)s “%(title)s”.")
                    % {"code": report.code, "title": report.title}
                )
            )

    def _report(self, report: CourseImport) -> None:
        write = self.stdout.write
        write(_("Modules: %(n)d") % {"n": sum(report.modules.values())})
        for kind, n in sorted(report.modules.items()):
            write(f"  {kind}: {n}")
        write(_("Items: %(n)d") % {"n": sum(report.items.values())})
        for kind, n in sorted(report.items.items()):
            write(f"  {kind}: {n}")
        write(_("Questions: %(n)d") % {"n": report.questions})
        write(_("Assets: %(n)d") % {"n": report.assets})
        write(_("Transcripts: %(n)d") % {"n": report.transcripts})
        write(_("Warnings: %(n)d") % {"n": len(report.warnings)})
        for warning in report.warnings:
            write(f"  - {warning}")
