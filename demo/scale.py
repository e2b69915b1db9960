"""A large data set for benchmarks, added next to the demo by `seed_demo --scale N`.

Every run adds its own university, SCALE-<k> with the next free k, so runs never collide and
a database can hold several scale sets. Modules, content items, enrollments and progress go in
with COPY: module trees get their nested-set columns from syllabus.tree (tree ids from its
sequence) and their depths and sequence numbers here, content items get their polymorphic
content type, course and university, and every distinct payload is validated once with
content.payloads. The trees are checked against the nested-set invariants before the
transaction commits.

Quizzes and labs work as on the demo: each course gets a question pool (the demo's questions,
demo/quizzes.py) that all its quizzes draw from, and each lab its files (demo/labs.py, built
once per payload variant and copied in for every lab).
"""

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType as DjangoContentType
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from catalog.models import Course, CourseLevel, CourseOffering, EnrollmentStatus
from catalog.services.offerings import offering_instructor_add
from content.models import ITEM_CLASSES, Asset
from content.payloads import payload_errors
from demo import payloads
from demo.bulk import copy_rows, reserve_ids
from demo.data import ASSETS, FAMILY_NAMES, GIVEN_NAMES, PASSWORD, asset_url, lecture_video
from demo.labs import lab_file_contents
from demo.phrases import term_name
from demo.progress import CourseShape, LearnerRun, ProgressRows
from demo.quizzes import pool_questions_create
from demo.seed import countries_seed
from syllabus import tree
from syllabus.models import ModuleType
from tenancy.models import Country, Department, Role, University, User, UserUniversityRole
from tenancy.services import role_grant

SCALE_PREFIX = "SCALE-"
SCALE_LOCK = 7_211_102
MIN_MODULES = 5
PROGRESS_ITEMS_MAX = 40
STUDENT_BATCH = 2_000
VARIANTS = 8

TOPICS = (
    "Statics", "Dynamics", "Thermodynamics", "Heat Transfer", "Fluid Mechanics",
    "Strength of Materials", "Control Systems", "Signals and Systems", "Circuit Analysis",
    "Numerical Methods", "Linear Algebra", "Probability", "Machine Design", "Vibrations",
    "Structural Analysis", "Data Structures", "Embedded Systems", "Robotics",
)  # fmt: skip
LEAF_TYPES = (ModuleType.TOPIC, ModuleType.SECTION, ModuleType.QUIZ, ModuleType.LAB)
# The items of a leaf module, by the leaf's type; every third section adds an assignment.
LEAF_ITEMS = {
    ModuleType.TOPIC: ("video", "text"),
    ModuleType.SECTION: ("text",),
    ModuleType.QUIZ: ("quiz",),
    ModuleType.LAB: ("engineering_lab", "resource"),
}
STATUSES = (
    (EnrollmentStatus.ACTIVE, 80),
    (EnrollmentStatus.PENDING, 8),
    (EnrollmentStatus.WAITLISTED, 6),
    (EnrollmentStatus.DROPPED, 6),
)

MODULE_COLUMNS = (
    "id", "course_id", "parent_module_id", "module_type", "title", "sequence_index", "depth",
    "is_published", *tree.BULK_TREE_COLUMNS,
)  # fmt: skip
ITEM_COLUMNS = (
    "id", "polymorphic_ctype_id", "module_id", "course_id", "university_id", "content_type",
    "title", "sequence_index", "estimated_duration_seconds", "data_json", "is_active",
)  # fmt: skip
DURATIONS = {
    "video": 720,
    "text": 600,
    "quiz": 900,
    "engineering_lab": 5400,
    "assignment": 7200,
    "resource": 300,
}


@dataclass
class ScaleReport:
    short_code: str
    courses: int = 0
    modules: int = 0
    content_items: int = 0
    question_pools: int = 0
    questions: int = 0
    lab_files: int = 0
    students: int = 0
    enrollments: int = 0
    content_progress: int = 0
    module_progress: int = 0
    seconds: float = 0.0


@dataclass
class Node:
    parent: int | None  # index of the parent in pre-order
    depth: int
    sequence_index: int
    module_type: str
    title: str
    published: bool = True
    id: int = 0


def fanout(modules: int) -> int:
    """Children per node on the unit, chapter and lesson levels: the largest that leaves at
    least four leaves per lesson, so every tree reaches depth 4."""
    k = 1
    while 1 + (k + 1) + (k + 1) ** 2 + 4 * (k + 1) ** 3 <= modules:
        k += 1
    return k


def tree_shape(modules: int, topic: str) -> list[Node]:
    """Exactly `modules` nodes in pre-order: course_root > unit > chapter > lesson > leaves,
    the leaf budget spread evenly over the lessons."""
    if modules < MIN_MODULES:
        raise ValueError(f"a course needs at least {MIN_MODULES} modules")
    k = fanout(modules)
    lessons = k**3
    leaves, extra = divmod(modules - 1 - k - k * k - lessons, lessons)
    nodes = [Node(None, 0, 1, ModuleType.COURSE_ROOT, topic)]
    lesson_no = 0
    for u in range(1, k + 1):
        unit = len(nodes)
        nodes.append(Node(0, 1, u, ModuleType.UNIT, f"Unit {u}: {topic}"))
        for c in range(1, k + 1):
            chapter = len(nodes)
            hidden = (u * k + c) % 11 == 5
            nodes.append(Node(unit, 2, c, ModuleType.CHAPTER, f"Chapter {u}.{c}", not hidden))
            for les in range(1, k + 1):
                lesson = len(nodes)
                nodes.append(Node(chapter, 3, les, ModuleType.LESSON, f"Lesson {u}.{c}.{les}"))
                for t in range(1, leaves + (1 if lesson_no < extra else 0) + 1):
                    kind = LEAF_TYPES[(t - 1) % len(LEAF_TYPES)]
                    title = f"{kind.title()} {u}.{c}.{les}.{t}"
                    nodes.append(Node(lesson, 4, t, kind, title))
                lesson_no += 1
    return nodes


class Payloads:
    """A few validated variants of each content type's payload, serialised once."""

    def __init__(
        self, image_asset_id: int | None, pdf_url: str, video_asset_id: int | None
    ) -> None:
        links = (("Open textbooks at OpenStax", "https://openstax.org/subjects"),)
        words = {"language": "en", "course": "Scale University"}
        builders: dict[str, Callable[[int, str], dict]] = {
            "video": lambda n, t: payloads.video(
                **words, chapter=t, lesson=t, n=n, asset_id=video_asset_id
            ),
            "text": lambda n, t: payloads.text(
                **words,
                chapter=t,
                lesson=t,
                formula=r"\sum_{i=1}^{n} F_i = m a",
                image_asset_id=image_asset_id if n % 2 == 0 else None,
                links=links,
            ),
            "quiz": lambda n, t: payloads.quiz(pool=n + 1, exam=n % 4 == 3),
            "engineering_lab": lambda n, t: payloads.engineering_lab(
                runtime="matlab" if n % 3 == 2 else "python-datascience",
                image="registry.demo.lms/labs/matlab:r2025b"
                if n % 3 == 2
                else "registry.demo.lms/labs/python-datascience:2026.1",
                notebook="labor/lab.mlx" if n % 3 == 2 else "notebooks/lab.ipynb",
                slug=f"scale-{n}",
            ),
            "assignment": lambda n, t: payloads.assignment(
                language="en",
                lesson=t,
                kind="problems" if n % 2 else "report",
                due_at=timezone.now().replace(microsecond=0) + timedelta(weeks=n + 2),
            ),
            "resource": lambda n, t: payloads.resource(
                language="en", lesson=t, pdf_url=pdf_url, links=links
            ),
        }
        self.data: dict[str, list[dict]] = {}
        self.variants: dict[str, list[str]] = {}
        for content_type, build in builders.items():
            variants = []
            for n in range(VARIANTS):
                data = build(n, TOPICS[n % len(TOPICS)])
                errors = payload_errors(content_type, data)
                if errors:
                    raise ValueError(f"{content_type} payload variant {n}: {errors}")
                variants.append(data)
            self.data[content_type] = variants
            self.variants[content_type] = [json.dumps(data) for data in variants]
        self.lab_files = [lab_file_contents(data) for data in self.data["engineering_lab"]]

    def pick(self, content_type: str, n: int, *, pool_id: int | None = None) -> str:
        """The n-th variant, serialised; a quiz's pointed at `pool_id`."""
        if content_type == "quiz" and pool_id is not None:
            data = self.data["quiz"][n % VARIANTS]
            return json.dumps({**data, "question_pool_id": pool_id})
        variants = self.variants[content_type]
        return variants[n % len(variants)]


@dataclass
class ScaleRun:
    courses: int
    modules_per_course: int
    students: int
    progress_bar: bool
    rng: random.Random = field(default_factory=lambda: random.Random(5000))
    report: ScaleReport = field(default_factory=lambda: ScaleReport(""))
    labs: list[tuple[int, int]] = field(default_factory=list)  # (lab item id, payload variant)

    def bar(self, total: int, desc: str, unit: str) -> tqdm:
        return tqdm(total=total, desc=desc, unit=unit, disable=not self.progress_bar, leave=True)


def _lock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCALE_LOCK])


def next_short_code() -> str:
    taken = University.objects.filter(short_code__startswith=SCALE_PREFIX).values_list(
        "short_code", flat=True
    )
    numbers = [
        int(code[len(SCALE_PREFIX) :]) for code in taken if code[len(SCALE_PREFIX) :].isdigit()
    ]
    return f"{SCALE_PREFIX}{max(numbers, default=0) + 1}"


def _platform_asset(key: str) -> tuple[Asset | None, str]:
    """The demo's platform-wide asset `key` (None before the demo seed ran) and its URL."""
    spec = next(a for a in ASSETS if a.key == key)
    url = asset_url(spec)
    return Asset.objects.filter(university=None, url=url).order_by("pk").first(), url


def _enrollment_plan(run: ScaleRun) -> list[tuple[int, int, str]]:
    """(student index, course index, status) for every enrollment."""
    statuses, weights = zip(*STATUSES, strict=True)
    per_student = min(3, run.courses)
    return [
        (student, course, run.rng.choices(statuses, weights)[0])
        for student in range(run.students)
        for course in run.rng.sample(range(run.courses), per_student)
    ]


def _courses(run: ScaleRun, university: University, department: Department) -> list[Course]:
    suffix = university.short_code[len(SCALE_PREFIX) :]
    courses = [
        Course(
            university=university,
            department=department,
            code=f"S{suffix}-{i:05d}",
            title=f"{TOPICS[i % len(TOPICS)]} {i // len(TOPICS) + 1}",
            description=(
                f"A generated course on {TOPICS[i % len(TOPICS)].lower()} for benchmarks: "
                f"{run.modules_per_course} modules of lectures, readings, quizzes and labs."
            ),
            level=CourseLevel.UNDERGRADUATE,
            language_code="en",
            credit_hours=Decimal("3.00"),
            is_published=True,
        )
        for i in range(run.courses)
    ]
    return Course.objects.bulk_create(courses, batch_size=1000)


def _offerings(
    run: ScaleRun, courses: list[Course], plan: list[tuple[int, int, str]]
) -> list[CourseOffering]:
    """One running offering per course; where students are waitlisted, the seats are full."""
    active = [0] * run.courses
    waitlisted = [0] * run.courses
    for _student, course, status in plan:
        active[course] += status == EnrollmentStatus.ACTIVE
        waitlisted[course] += status == EnrollmentStatus.WAITLISTED
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    starts = now - timedelta(days=30)
    offerings = [
        CourseOffering(
            course=course,
            university_id=course.university_id,
            term_name=term_name("en", starts.date()),
            starts_at=starts,
            ends_at=starts + timedelta(days=105),
            enrollment_start=starts - timedelta(days=60),
            enrollment_end=now + timedelta(days=14),
            visibility="public",
            capacity=max(1, active[i]) if waitlisted[i] else None,
            requires_approval=True,
        )
        for i, course in enumerate(courses)
    ]
    return CourseOffering.objects.bulk_create(offerings, batch_size=1000)


def _course_tree(
    course: Course,
    new_tree: int,
    run: ScaleRun,
    ctypes: dict[str, int],
    bodies: Payloads,
    pool_id: int,
) -> CourseShape:
    """COPY one course's modules and items, its quizzes drawing from `pool_id`; return the
    shape its learners' progress needs."""
    nodes = tree_shape(run.modules_per_course, course.title)
    for node, module_id in zip(nodes, reserve_ids("modules", len(nodes)), strict=True):
        node.id = module_id
    copy_rows(
        "modules",
        MODULE_COLUMNS,
        (
            (
                node.id,
                course.pk,
                nodes[node.parent].id if node.parent is not None else None,
                node.module_type,
                node.title,
                node.sequence_index,
                node.depth,
                node.published,
                *columns,
            )
            for node, columns in zip(
                nodes,
                tree.bulk_tree_columns([n.parent for n in nodes], new_tree=new_tree),
                strict=True,
            )
        ),
    )
    items: list[tuple[int, str, str]] = []  # (module id, content type, title)
    for node in nodes:
        kinds = LEAF_ITEMS.get(node.module_type, ())
        if node.module_type == ModuleType.SECTION and node.sequence_index % 3 == 2:
            kinds = (*kinds, "assignment")
        items.extend(
            (node.id, kind, f"{kind.replace('_', ' ').title()}: {node.title}") for kind in kinds
        )
    item_ids = reserve_ids("content_items", len(items))
    sequence: dict[int, int] = {}
    rows = []
    for n, (item_id, (module_id, kind, title)) in enumerate(zip(item_ids, items, strict=True)):
        sequence[module_id] = sequence.get(module_id, 0) + 1
        if kind == "engineering_lab":
            run.labs.append((item_id, n % VARIANTS))
        rows.append(
            (
                item_id,
                ctypes[kind],
                module_id,
                course.pk,
                course.university_id,
                kind,
                title,
                sequence[module_id],
                DURATIONS[kind],
                bodies.pick(kind, n, pool_id=pool_id),
                n % 53 != 52,
            )
        )
    copy_rows("content_items", ITEM_COLUMNS, rows)
    run.report.modules += len(nodes)
    run.report.content_items += len(rows)
    return CourseShape.from_rows(
        ((n.id, nodes[n.parent].id if n.parent is not None else None, n.published) for n in nodes),
        ((r[0], r[2], r[5]) for r in rows if r[10]),
    )


def _check_trees(university: University, modules_per_course: int) -> None:
    """Fail (and roll back) unless every tree of the university is a consistent nested set
    with sequence numbers 1..n among siblings."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT
              (SELECT count(*) FROM modules c JOIN modules p ON p.id = c.parent_module_id
               JOIN courses co ON co.id = c.course_id
               WHERE co.university_id = %(u)s AND NOT (
                   {tree.sql_strictly_within("c", "p")} AND p.course_id = c.course_id
                   AND c.depth = p.depth + 1)),
              (SELECT count(*) FROM (
                   SELECT m.course_id FROM modules m JOIN courses co ON co.id = m.course_id
                   WHERE co.university_id = %(u)s
                   GROUP BY m.course_id
                   HAVING count(*) <> %(n)s OR {tree.sql_not_one_nested_set("m", size="%(n)s")}
                       OR count(*) FILTER (WHERE m.parent_module_id IS NULL) <> 1) bad),
              (SELECT count(*) FROM (
                   SELECT m.parent_module_id FROM modules m
                   JOIN courses co ON co.id = m.course_id
                   WHERE co.university_id = %(u)s AND m.parent_module_id IS NOT NULL
                   GROUP BY m.parent_module_id
                   HAVING min(m.sequence_index) <> 1 OR max(m.sequence_index) <> count(*)) bad)
            """,
            {"u": university.pk, "n": modules_per_course},
        )
        broken_links, broken_trees, broken_sequences = cursor.fetchone()
    if broken_links or broken_trees or broken_sequences:
        raise RuntimeError(
            f"scale trees are inconsistent: {broken_links} parent links, {broken_trees} trees, "
            f"{broken_sequences} sibling sequences"
        )


def _question_pools(run: ScaleRun, courses: list[Course]) -> list[int]:
    """A pool of the demo's questions for each course; their ids, in the courses' order."""
    pool_ids = reserve_ids("question_pools", len(courses))
    copy_rows(
        "question_pools",
        ("id", "course_id", "university_id", "title", "description"),
        (
            (pool_id, course.pk, course.university_id, f"{course.title} questions", "")
            for pool_id, course in zip(pool_ids, courses, strict=True)
        ),
    )
    run.report.question_pools = len(pool_ids)
    run.report.questions = pool_questions_create(pool_ids)
    return pool_ids


def _lab_files(run: ScaleRun, bodies: Payloads) -> None:
    """COPY the files of every lab: each payload variant's contents, built once."""
    run.report.lab_files = copy_rows(
        "lab_files",
        ("content_item_id", "path", "content"),
        (
            (item_id, path, content)
            for item_id, variant in run.labs
            for path, content in bodies.lab_files[variant].items()
        ),
    )


def _students(run: ScaleRun, university: University, password_hash: str) -> list[User]:
    given, family = GIVEN_NAMES["en"].split(), FAMILY_NAMES["en"].split()
    code = university.short_code.lower()
    users: list[User] = []
    bar = run.bar(run.students, "students", "user")
    for start in range(0, run.students, STUDENT_BATCH):
        batch = [
            User(
                email=f"{code}-student-{i:06d}@scale.demo.lms",
                full_name=f"{given[i % len(given)]} {family[(i // len(given)) % len(family)]}",
                password=password_hash,
                locale="en",
                time_zone=university.time_zone,
            )
            for i in range(start, min(start + STUDENT_BATCH, run.students))
        ]
        users.extend(User.objects.bulk_create(batch))
        UserUniversityRole.objects.bulk_create(
            [UserUniversityRole(user=u, university=university, role=Role.STUDENT) for u in batch]
        )
        bar.update(len(batch))
    bar.close()
    return users


def _enrollments_and_progress(
    run: ScaleRun,
    plan: list[tuple[int, int, str]],
    students: list[User],
    offerings: list[CourseOffering],
    shapes: list[CourseShape],
) -> None:
    now = timezone.now()
    rows = []
    progress = ProgressRows()
    bar = run.bar(len(plan), "enrollments", "enrollment")
    for student_index, course_index, status in plan:
        offering = offerings[course_index]
        user_id = students[student_index].pk
        enrolled_at = offering.enrollment_start + (
            now - offering.enrollment_start
        ) * run.rng.uniform(0.05, 0.5)
        rows.append((user_id, offering.pk, status, enrolled_at))
        shape = shapes[course_index]
        if status == EnrollmentStatus.ACTIVE and len(shape) and run.rng.random() < 0.85:
            completed = run.rng.randint(0, min(PROGRESS_ITEMS_MAX, len(shape)))
            opened = Decimal(run.rng.choice((0, 25, 50, 75)))
            start = max(enrolled_at, offering.starts_at)
            progress.add(shape, LearnerRun(user_id, offering.pk, completed, opened, start, now))
        bar.update()
    bar.close()
    columns = ("user_id", "course_offering_id", "status", "enrolled_at")
    run.report.enrollments = copy_rows("course_enrollments", columns, rows)
    run.report.content_progress, run.report.module_progress = progress.write()


def scale_seed(
    *, courses: int, modules_per_course: int = 500, students: int = 1000, progress_bar: bool = True
) -> ScaleReport:
    """Add SCALE-<k>: `courses` courses of `modules_per_course` modules, each with a running
    offering, and `students` students enrolled in up to three of them with some progress."""
    if courses < 1 or students < 0:
        raise ValueError("need at least one course and a non-negative number of students")
    if modules_per_course < MIN_MODULES:
        raise ValueError(f"a course needs at least {MIN_MODULES} modules")
    started = time.perf_counter()
    run = ScaleRun(courses, modules_per_course, students, progress_bar)
    with transaction.atomic():
        _lock()
        countries_seed()
        short_code = next_short_code()
        run.report = ScaleReport(short_code)
        university = University.objects.create(
            name=f"Scale University {short_code[len(SCALE_PREFIX) :]}",
            short_code=short_code,
            country=Country.objects.get(iso_code="US"),
            time_zone="UTC",
            website_url="https://scale.demo.lms",
        )
        department = Department.objects.create(
            university=university, name="School of Engineering", code="ENG"
        )
        password_hash = make_password(PASSWORD)
        instructor = User.objects.create(
            email=f"{short_code.lower()}-instructor@scale.demo.lms",
            full_name="Scale Instructor",
            password=password_hash,
        )
        role_grant(user=instructor, university=university, role=Role.INSTRUCTOR)

        plan = _enrollment_plan(run)
        course_rows = _courses(run, university, department)
        offerings = _offerings(run, course_rows, plan)
        for offering in offerings:
            offering_instructor_add(offering=offering, user=instructor)
        run.report.courses = len(course_rows)

        image, _image_url = _platform_asset("free-body")
        _pdf, pdf_url = _platform_asset("integrity-guide")
        video = lecture_video()
        bodies = Payloads(image.pk if image else None, pdf_url, video.pk if video else None)
        ctypes = {
            name: DjangoContentType.objects.get_for_model(cls, for_concrete_model=False).pk
            for name, cls in ITEM_CLASSES.items()
        }
        tree_ids = tree.new_tree_ids(len(course_rows))
        pool_ids = _question_pools(run, course_rows)
        shapes = []
        bar = run.bar(len(course_rows), "course trees", "course")
        for i, course in enumerate(course_rows):
            shapes.append(_course_tree(course, tree_ids[i], run, ctypes, bodies, pool_ids[i]))
            bar.update()
        bar.close()
        _check_trees(university, modules_per_course)
        _lab_files(run, bodies)

        users = _students(run, university, password_hash)
        run.report.students = len(users)
        _enrollments_and_progress(run, plan, users, offerings, shapes)
        with connection.cursor() as cursor:
            for table in (
                "modules",
                "content_items",
                "questions",
                "lab_files",
                "course_enrollments",
                "user_content_progress",
            ):
                cursor.execute(f"ANALYZE {table}")
    run.report.seconds = time.perf_counter() - started
    return run.report
