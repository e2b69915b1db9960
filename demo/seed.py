"""The demo data set, built in one transaction by `seed_demo`.

A database that already holds the demo (its first university exists) is left as it is, so
running the seed twice changes nothing. Writes go through the services wherever the project
has one (roles, offering staff, module trees, content items); rows without a service are
created with the ORM.
"""

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pycountry
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import (
    Course,
    CourseOffering,
    CoursePrerequisite,
    CourseSubject,
    Domain,
    Subject,
)
from catalog.services.offerings import offering_instructor_add
from content.models import Asset
from demo import activity, course_pictures, deadlines, labs, quizzes, showcase
from demo.catalogue import COURSES, CURRENT, FUTURE, PAST, PREREQUISITES, CourseSpec
from demo.data import (
    ASSETS,
    DOMAINS,
    FAMILY_NAMES,
    GIVEN_NAMES,
    LECTURE_VIDEO,
    LOGINS,
    PASSWORD,
    SEED,
    SUBJECT_TREE,
    UNIVERSITIES,
    UniversitySpec,
    asset_meta,
    asset_url,
    lecture_video_upload,
)
from demo.phrases import term_name
from demo.syllabi import (
    CourseTree,
    PoolNumbers,
    course_material,
    due_dates_start,
    module_templates_seed,
)
from syllabus.models import ModuleTemplate
from tenancy.models import Country, Department, Role, University, User
from tenancy.services import role_grant

# Serialises concurrent seed runs, so two of them cannot both find the database empty.
SEED_LOCK = 7_211_101
# Offerings of one course start this many days apart: far enough for consecutive half-year
# terms to get different names, whatever today's date.
TERM_SPACING = timedelta(days=184)
TERM_LENGTH = timedelta(days=105)


@dataclass
class Demo:
    """The rows built so far, by their natural keys."""

    now: datetime
    rng: random.Random
    password_hash: str
    universities: dict[str, University] = field(default_factory=dict)
    departments: dict[tuple[str, str], Department] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    students: dict[str, list[User]] = field(default_factory=dict)
    subjects: dict[str, Subject] = field(default_factory=dict)
    assets: dict[str, Asset] = field(default_factory=dict)
    courses: dict[str, Course] = field(default_factory=dict)
    specs: dict[str, CourseSpec] = field(default_factory=dict)
    offerings: dict[str, dict[str, CourseOffering]] = field(default_factory=dict)
    templates: dict[tuple[str, str], ModuleTemplate] = field(default_factory=dict)

    def university_of(self, spec: CourseSpec) -> UniversitySpec:
        return next(u for u in UNIVERSITIES if u.code == spec.university)


def lock_seed() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEED_LOCK])


def demo_exists() -> bool:
    return University.objects.filter(short_code=UNIVERSITIES[0].code).exists()


def countries_seed() -> int:
    """Every ISO 3166-1 country from pycountry; countries already present are kept."""
    rows = [
        Country(iso_code=c.alpha_2, name=getattr(c, "common_name", c.name))
        for c in pycountry.countries
    ]
    before = Country.objects.count()
    Country.objects.bulk_create(rows, ignore_conflicts=True)
    return Country.objects.count() - before


def seed_demo(*, now: datetime | None = None) -> bool:
    """Build the demo data set; False (and nothing written) when it is already there."""
    with transaction.atomic():
        lock_seed()
        countries_seed()
        if demo_exists():
            return False
        demo = Demo(
            now=now or timezone.now(),
            rng=random.Random(SEED),
            password_hash=make_password(PASSWORD),
        )
        taxonomy_seed(demo)
        institutions_seed(demo)
        people_seed(demo)
        assets_seed(demo)
        catalog_seed(demo)
        course_pictures.course_pictures_seed(demo.courses)
        offerings_seed(demo)
        syllabi_seed(demo)
        labs.lab_files_seed([course.pk for course in demo.courses.values()])
        quizzes.question_pools_seed(demo)
        showcase.exam_release(demo)
        activity.enrollments_seed(demo)
        activity.progress_seed(demo)
        activity.assessments_seed(demo)
        activity.community_seed(demo)
        showcase.staff_actions_seed(demo)
        deadlines.coming_deadlines_seed(demo)
    return True


def taxonomy_seed(demo: Demo) -> None:
    domains = {
        code: Domain.objects.create(code=code, name=name, description=description)
        for code, name, description in DOMAINS
    }
    parents: list[Subject] = []
    domain: Domain | None = None
    for line in SUBJECT_TREE.strip("\n").splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        code, name = line.strip().split("  ", 1)
        if depth == 0:
            domain = domains[code]
        del parents[depth:]
        subject = Subject.objects.create(
            code=code,
            name=name,
            domain=domain,
            parent=parents[-1] if parents else None,
            description=" > ".join([*(p.name for p in parents), name]),
        )
        parents.append(subject)
        demo.subjects[code] = subject


def institutions_seed(demo: Demo) -> None:
    countries = {
        c.iso_code: c
        for c in Country.objects.filter(iso_code__in=[u.country for u in UNIVERSITIES])
    }
    for spec in UNIVERSITIES:
        university = University.objects.create(
            name=spec.name,
            short_code=spec.code,
            country=countries[spec.country],
            time_zone=spec.time_zone,
            website_url=spec.website_url,
        )
        demo.universities[spec.code] = university
        for code, name in spec.departments:
            demo.departments[spec.code, code] = Department.objects.create(
                university=university, name=name, code=code
            )


_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "'": ""})


def email_local(*names: str) -> str:
    """first.last in ASCII: German umlauts spelt out, other accents dropped."""
    parts = []
    for name in names:
        folded = unicodedata.normalize("NFKD", name.lower().translate(_TRANSLITERATION))
        parts.append(re.sub(r"[^a-z0-9-]", "", folded.encode("ascii", "ignore").decode()))
    return ".".join(parts)


def _user(demo: Demo, *, email: str, full_name: str, spec: UniversitySpec) -> User:
    user = User.objects.create(
        email=email,
        full_name=full_name,
        password=demo.password_hash,
        locale=spec.locale,
        time_zone=spec.time_zone,
    )
    demo.users[email] = user
    return user


def _student_names(demo: Demo, spec: UniversitySpec) -> list[tuple[str, str]]:
    """(full name, e-mail local part) of the university's students, all different."""
    given = GIVEN_NAMES[spec.language].split()
    family = FAMILY_NAMES[spec.language].split()
    names: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(names) < spec.students:
        first, last = demo.rng.choice(given), demo.rng.choice(family)
        if spec.language == "ja":
            (first, first_latin), (last, last_latin) = first.split(":"), last.split(":")
            full_name, local = f"{last} {first}", f"{first_latin}.{last_latin}"
        else:
            full_name, local = f"{first} {last}", email_local(first, last)
        if local not in seen:
            seen.add(local)
            names.append((full_name, local))
    return names


def people_seed(demo: Demo) -> None:
    """The known logins, the staff of every university and its students, with their roles."""
    first = UNIVERSITIES[0]
    university = demo.universities[first.code]
    for login in LOGINS:
        user = _user(demo, email=login.email, full_name=login.full_name, spec=first)
        department = demo.departments[first.code, login.department] if login.department else None
        role_grant(user=user, university=university, role=login.role, department=department)
    for spec in UNIVERSITIES:
        university = demo.universities[spec.code]
        for full_name, local, role, department_code in spec.staff:
            user = _user(demo, email=f"{local}@{spec.domain}", full_name=full_name, spec=spec)
            department = demo.departments[spec.code, department_code] if department_code else None
            role_grant(user=user, university=university, role=role, department=department)
        students = []
        for full_name, local in _student_names(demo, spec):
            user = _user(demo, email=f"{local}@{spec.domain}", full_name=full_name, spec=spec)
            role_grant(user=user, university=university, role=Role.STUDENT)
            students.append(user)
        demo.students[spec.code] = students


def assets_seed(demo: Demo) -> None:
    for spec in ASSETS:
        demo.assets[spec.key] = Asset.objects.create(
            university=demo.universities[spec.university] if spec.university else None,
            url=asset_url(spec),
            asset_type=spec.asset_type,
            meta_json=asset_meta(spec),
        )
    demo.assets[LECTURE_VIDEO] = lecture_video_upload()


def catalog_seed(demo: Demo) -> None:
    for spec in COURSES:
        course = Course.objects.create(
            university=demo.universities[spec.university],
            department=demo.departments[spec.university, spec.department],
            primary_subject=demo.subjects[spec.subject],
            title=spec.title,
            code=spec.code,
            description=spec.description,
            level=spec.level,
            language_code=spec.language,
            credit_hours=Decimal(spec.credits) if spec.credits else None,
            is_published=spec.published,
        )
        CourseSubject.objects.bulk_create(
            [CourseSubject(course=course, subject=demo.subjects[spec.subject], is_primary=True)]
            + [CourseSubject(course=course, subject=demo.subjects[s]) for s in spec.extra_subjects]
        )
        demo.courses[spec.code] = course
        demo.specs[spec.code] = spec
    for code, prerequisite, kind in PREREQUISITES:
        CoursePrerequisite.objects.create(
            course=demo.courses[code],
            prerequisite_course=demo.courses[prerequisite],
            prerequisite_type=kind,
        )


def _at(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def offering_window(
    phase: str, *, today: date, zone: ZoneInfo, open_early: bool
) -> dict[str, datetime]:
    """Dates of an offering: past ones are over, current ones run with enrollment still
    open, future ones have enrollment open now (`open_early`) or opening later."""
    current_start = today - timedelta(days=35)
    start_day = {
        PAST: current_start - TERM_SPACING,
        CURRENT: current_start,
        FUTURE: current_start + TERM_SPACING,
    }[phase]
    starts = _at(start_day, 9, 0, zone)
    enrollment_start = _at(start_day - timedelta(days=60), 8, 0, zone)
    enrollment_end = _at(start_day + timedelta(days=14), 23, 59, zone)
    if phase == CURRENT:
        enrollment_end = _at(today + timedelta(days=14), 23, 59, zone)
    elif phase == FUTURE and open_early:
        enrollment_start = _at(today - timedelta(days=7), 8, 0, zone)
    return {
        "starts_at": starts,
        "ends_at": _at(start_day + TERM_LENGTH, 17, 0, zone),
        "enrollment_start": enrollment_start,
        "enrollment_end": enrollment_end,
    }


def offerings_seed(demo: Demo) -> None:
    """Past, current and future runs of each course, with their teaching staff."""
    for index, spec in enumerate(COURSES):
        university = demo.university_of(spec)
        zone = ZoneInfo(university.time_zone)
        today = demo.now.astimezone(zone).date()
        course = demo.courses[spec.code]
        runs = demo.offerings.setdefault(spec.code, {})
        for phase in spec.phases:
            window = offering_window(
                phase, today=today, zone=zone, open_early=spec.approval or index % 2 == 0
            )
            offering = CourseOffering.objects.create(
                course=course,
                university=course.university,
                term_name=term_name(university.language, window["starts_at"].date()),
                visibility=spec.visibility,
                capacity=spec.capacity if phase == CURRENT else None,
                requires_approval=spec.approval,
                **window,
            )
            runs[phase] = offering
            staff = spec.teachers + (spec.assistants if phase != PAST else ())
            for email in staff:
                offering_instructor_add(offering=offering, user=demo.users[email])


def syllabi_seed(demo: Demo) -> None:
    pools = PoolNumbers()
    first_current = demo.offerings[COURSES[0].code][CURRENT]
    demo.templates = module_templates_seed(
        languages=sorted({spec.language for spec in COURSES}),
        image=demo.assets["free-body"],
        handout=demo.assets["integrity-guide"],
        video=demo.assets[LECTURE_VIDEO],
        due=due_dates_start({CURRENT: first_current}),
    )
    for spec in COURSES:
        material = course_material(
            spec,
            image=demo.assets[spec.image],
            handout=demo.assets[spec.handout],
            video=demo.assets[LECTURE_VIDEO],
            due_from=due_dates_start(demo.offerings[spec.code]),
        )
        CourseTree(demo.courses[spec.code], material, demo.templates, pools).build(spec.outline)
