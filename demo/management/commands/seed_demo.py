import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import LOGINS, PASSWORD
from demo.scale import MIN_MODULES, scale_seed
from demo.seed import seed_demo
from tenancy.models import Role


class Command(BaseCommand):
    help = (
        "Fill the database with demo data (a database that already has it is left as it is) "
        "and print a login for every role. With --scale N, also add a large data set for "
        "benchmarks: each such run adds a new university SCALE-<k> (the next free k) with N "
        "courses, so scale runs never collide."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even under DJANGO_ENV=production (a staging or demo instance).",
        )
        parser.add_argument(
            "--scale",
            type=int,
            metavar="N",
            help="Also add N generated courses, each with a running offering and a module tree.",
        )
        parser.add_argument(
            "--modules-per-course",
            type=int,
            default=500,
            help="Modules in each generated course (default 500).",
        )
        parser.add_argument(
            "--students",
            type=int,
            default=1000,
            help="Generated students, each enrolled in up to three courses (default 1000).",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "This is a production instance (DJANGO_ENV=production): demo data would add "
                "accounts with a published password. Pass --allow-production for a staging or "
                "demo instance."
            )
        scale = options["scale"]
        if scale is not None and scale < 1:
            raise CommandError("--scale needs a positive number of courses.")
        if options["modules_per_course"] < MIN_MODULES:
            raise CommandError(f"--modules-per-course needs at least {MIN_MODULES} modules.")
        if options["students"] < 0:
            raise CommandError("--students cannot be negative.")

        started = time.perf_counter()
        created = seed_demo()
        elapsed = time.perf_counter() - started
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo data created in {elapsed:.1f} s."))
        else:
            self.stdout.write("Demo data already present; nothing changed.")

        if scale is not None:
            report = scale_seed(
                courses=scale,
                modules_per_course=options["modules_per_course"],
                students=options["students"],
                progress_bar=options["verbosity"] > 0,
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"{report.short_code}: {report.courses} courses, {report.modules} modules, "
                    f"{report.content_items} content items, {report.question_pools} question "
                    f"pools of {report.questions} questions, {report.lab_files} lab files, "
                    f"{report.students} students, "
                    f"{report.enrollments} enrollments, {report.content_progress} content and "
                    f"{report.module_progress} module progress rows in {report.seconds:.1f} s."
                )
            )
            self.stdout.write(
                f"Scale logins: {report.short_code.lower()}-instructor@scale.demo.lms and "
                f"{report.short_code.lower()}-student-000000@scale.demo.lms ({PASSWORD})"
            )

        self.stdout.write("")
        self.stdout.write(f"{'Role':<20} {'E-mail':<22} Password")
        for login in LOGINS:
            role = str(Role(login.role).label)
            self.stdout.write(f"{role:<20} {login.email:<22} {PASSWORD}")
