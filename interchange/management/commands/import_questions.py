"""Import a question bank file (GIFT, Moodle XML or QTI 1.2) into a course's question pool."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import Course
from interchange.questions.bank import FORMATS, BankRefused, ParsedBank
from interchange.questions.services import question_bank_import, question_bank_parse


class Command(BaseCommand):
    help = (
        "Import the questions of a GIFT, Moodle XML or QTI 1.2 file into the pool TITLE of a "
        "course (created when missing). Nothing is written when any question is malformed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--university", required=True, help="the university's short code")
        parser.add_argument("--course", required=True, help="the course code")
        parser.add_argument("--pool", required=True, help="the question pool's title")
        parser.add_argument("--format", choices=sorted(FORMATS), help="detected when not given")
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")

    def handle(self, *args, **options) -> None:
        course = (
            Course.objects.filter(
                university__short_code=options["university"], code=options["course"]
            )
            .select_related("university")
            .first()
        )
        if course is None:
            raise CommandError(
                _("No course %(code)s at university %(university)s.")
                % {"code": options["course"], "university": options["university"]}
            )
        try:
            data = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s")
                % {"file": options["file"], "error": error.strerror}
            ) from None
        try:
            bank = question_bank_parse(data=data, file_format=options["format"])
        except BankRefused as refused:
            raise CommandError(refused.message) from None
        self._report(bank)
        if bank.problems:
            raise CommandError(
                ngettext(
                    "Nothing was imported: fix the problem listed above.",
                    "Nothing was imported: fix the %(n)d problems listed above.",
                    len(bank.problems),
                )
                % {"n": len(bank.problems)}
            )
        if not bank.questions:
            raise CommandError(_("Nothing was imported: the file has no question to import."))
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
            return
        result = question_bank_import(
            actor=None, course=course, pool_title=options["pool"], bank=bank
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported %(n)d questions into pool “%(pool)s” of %(course)s%(new)s.")
                % {
                    "n": result.created,
                    "pool": result.pool.title,
                    "course": course.code,
                    "new": _(" (a new pool)") if result.pool_created else "",
                }
            )
        )

    def _report(self, bank: ParsedBank) -> None:
        self.stdout.write(_("Format: %(format)s") % {"format": bank.format_label})
        for label, count in bank.counts().items():
            self.stdout.write(f"  {label}: {count}")
        for item in bank.unmapped:
            self.stdout.write(
                _("Not imported, %(place)s (%(kind)s): %(reason)s")
                % {"place": item.place, "kind": item.kind, "reason": item.reason}
            )
        for question in bank.questions:
            for warning in question.warnings:
                self.stdout.write(
                    _("Note, %(place)s: %(warning)s")
                    % {"place": question.place, "warning": warning}
                )
        for problem in bank.problems:
            self.stderr.write(
                _("Error, %(place)s: %(message)s")
                % {"place": problem.place, "message": problem.message}
            )
