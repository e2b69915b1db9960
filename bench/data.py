"""Bulk-built data for the page benchmarks: one 5,000-module course, demo-sized courses, a
student enrolled in all of them with progress, and a student who only takes demo-sized ones.

Modules go in with raw multi-row inserts, their nested-set columns computed by syllabus.tree,
which takes seconds where module_create would take minutes. The result is checked against the
tree invariants before any page is measured.
"""

import json
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType as DjangoContentType
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import (
    Course,
    CourseEnrollment,
    CourseOffering,
    CourseOfferingInstructor,
    EnrollmentStatus,
)
from content.models import ITEM_CLASSES
from syllabus import tree
from tenancy.models import Country, Department, University, User

BIG_CODE = "BENCH-5000"
_MODULE_COLUMNS = (
    "id", "course_id", "parent_module_id", "module_type", "title", "sequence_index", "depth",
    "is_published", *tree.BULK_TREE_COLUMNS,
)  # fmt: skip
_MODULE_INSERT = (
    f"INSERT INTO modules ({', '.join(_MODULE_COLUMNS)}) "
    f"VALUES ({', '.join(['%s'] * len(_MODULE_COLUMNS))})"
)
PASSWORD = "bench-password-not-secret"


@dataclass
class Node:
    id: int
    parent: "Node | None"
    depth: int
    module_type: str
    title: str
    sequence_index: int
    published: bool = True
    children: list["Node"] = field(default_factory=list)


@dataclass
class BenchData:
    student: User
    demo_student: User
    instructor: User
    big_offering: CourseOffering
    small_offering: CourseOffering
    big_video_item_id: int
    big_text_item_id: int
    small_text_item_id: int
    module_count: int
    item_count: int


def _text_payload(n: int) -> dict:
    return {
        "layout": "rich_text_v1",
        "title": f"Reading {n}",
        "blocks": [
            {"type": "paragraph", "text": "A linear equation has the form ax + b = c.\n" * 3},
            {"type": "math", "latex": r"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}"},
            {"type": "paragraph", "text": "Solve it by isolating x on one side. " * 8},
            {"type": "math", "latex": r"\int_0^1 x^2\,dx = \frac{1}{3}"},
            {
                "type": "link_list",
                "items": [
                    {"label": "Worked examples", "url": "https://example.edu/examples"},
                    {"label": "Exercises", "url": "/static/exercises.html"},
                ],
            },
        ],
    }


def _video_payload(n: int) -> dict:
    segments = [
        {"start": i * 6.0, "end": i * 6.0 + 5.5, "text": f"Sentence {i} of lecture {n}."}
        for i in range(60)
    ]
    return {
        "provider": "internal",
        "url": f"/media/bench/lecture-{n}.mp4",
        "duration_seconds": 360,
        "transcript": {"language": "en", "segments": segments},
    }


def _resource_payload(n: int) -> dict:
    return {
        "resources": [
            {"label": f"Slides {n}", "url": f"https://example.edu/slides-{n}.pdf", "kind": "pdf"},
            {"label": "Further reading", "url": "https://example.edu/reading", "kind": "article"},
        ]
    }


PAYLOADS = {"text": _text_payload, "video": _video_payload, "resource": _resource_payload}


def _shape(fanouts: list[int], total: int) -> Node:
    """A tree of exactly `total` modules: full levels by `fanouts`, the last level filled
    round-robin until the budget is spent."""
    types = ["unit", "chapter", "lesson", "topic", "section"]
    root = Node(0, None, 0, "course_root", "Course root", 1)
    count = 1
    level = [root]
    for depth, fanout in enumerate(fanouts, start=1):
        budget = total - count
        if budget <= 0:
            break
        per_parent = [fanout] * len(level)
        if depth == len(fanouts) or sum(per_parent) > budget:
            per_parent = [budget // len(level)] * len(level)
            for i in range(budget - sum(per_parent)):
                per_parent[i] += 1
        next_level = []
        for parent, n_children in zip(level, per_parent, strict=True):
            for k in range(1, n_children + 1):
                child = Node(
                    0,
                    parent,
                    depth,
                    types[min(depth - 1, len(types) - 1)],
                    f"{parent.title.replace('Course root', '').strip()} {k}".strip(),
                    k,
                )
                parent.children.append(child)
                next_level.append(child)
        count += len(next_level)
        level = next_level
    return root


def _pre_order(root: Node) -> list[Node]:
    """The nodes in pre-order, by a depth-first walk."""
    order: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(reversed(node.children))
    return order


def _insert_course_tree(
    course: Course, *, fanouts: list[int], total: int, unpublished: int
) -> tuple[list[Node], int]:
    root = _shape(fanouts, total)
    nodes = _pre_order(root)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('modules_id_seq') FROM generate_series(1, %s)", [len(nodes)])
        ids = [r[0] for r in cursor.fetchall()]
    for node, id_ in zip(nodes, ids, strict=True):
        node.id = id_
    position = {node.id: i for i, node in enumerate(nodes)}
    parents = [position[n.parent.id] if n.parent else None for n in nodes]
    columns = tree.bulk_tree_columns(parents, new_tree=tree.new_tree_ids(1)[0])
    # Unpublish a few chapters, so every page applies the hidden-subtree rule.
    chapters = [n for n in nodes if n.depth == 2]
    for chapter in chapters[3 : 3 + unpublished * 7 : 7]:
        chapter.published = False
    rows = [
        (
            n.id,
            course.pk,
            n.parent.id if n.parent else None,
            n.module_type,
            f"{n.module_type.title()} {n.title}" if n.depth else course.title,
            n.sequence_index,
            n.depth,
            n.published,
            *place,
        )
        for n, place in zip(nodes, columns, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(_MODULE_INSERT, rows)
    # Items: one on every lesson and every topic; a few inactive.
    ctypes = {
        name: DjangoContentType.objects.get_for_model(cls, for_concrete_model=False).pk
        for name, cls in ITEM_CLASSES.items()
    }
    item_rows = []
    n = 0
    for node in nodes:
        if node.depth < 3:
            continue
        n += 1
        kind = "resource" if node.depth == 3 else ("video" if n % 3 == 0 else "text")
        item_rows.append(
            (
                ctypes[kind],
                node.id,
                course.pk,
                course.university_id,
                kind,
                f"{kind.title()} {n}",
                1,
                json.dumps(PAYLOADS[kind](n)),
                n % 97 != 0,
                600,
            )
        )
    with connection.cursor() as cursor:
        cursor.executemany(
            """
            INSERT INTO content_items (polymorphic_ctype_id, module_id, course_id, university_id,
                                       content_type, title, sequence_index, data_json, is_active,
                                       estimated_duration_seconds)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s)
            """,
            item_rows,
        )
    return nodes, len(item_rows)


def _check_tree(course_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*) FROM modules c JOIN modules p ON p.id = c.parent_module_id
            WHERE c.course_id = %s AND NOT (
                {tree.sql_strictly_within("c", "p")}
                AND c.depth = p.depth + 1
            )
            """,
            [course_id],
        )
        broken = cursor.fetchone()[0]
    if broken:
        raise RuntimeError(f"{broken} modules break the MPTT invariants")


def _progress(student: User, offering: CourseOffering) -> None:
    """Complete the first 40 % of the visible items, touch the next few."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT ci.id FROM content_items ci JOIN modules m ON m.id = ci.module_id
            WHERE ci.course_id = %s AND ci.is_active
            ORDER BY {tree.sql_outline_order("m")}, ci.sequence_index
            """,
            [offering.course_id],
        )
        ordered = [r[0] for r in cursor.fetchall()]
    done = int(len(ordered) * 0.4)
    rows = []
    for i, item_id in enumerate(ordered[: done + 5]):
        at = now - timedelta(minutes=len(ordered) - i)
        completed = at if i < done else None
        rows.append(
            (student.pk, offering.pk, item_id, at, at, completed, 100 if completed else 30, 1)
        )
    with connection.cursor() as cursor:
        cursor.executemany(
            """
            INSERT INTO user_content_progress (user_id, course_offering_id, content_item_id,
                first_started_at, last_interacted_at, completed_at, progress_percent,
                attempts_count)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
            """,
            rows,
        )


def _course(university: University, department: Department, code: str, title: str) -> Course:
    return Course.objects.create(
        university=university,
        department=department,
        code=code,
        title=title,
        description="A benchmark course.",
        is_published=True,
    )


def _offering(course: Course, term: str) -> CourseOffering:
    now = timezone.now()
    return CourseOffering.objects.create(
        course=course,
        university=course.university,
        term_name=term,
        starts_at=now - timedelta(days=10),
        ends_at=now + timedelta(days=80),
        enrollment_start=now - timedelta(days=30),
        enrollment_end=now + timedelta(days=20),
        visibility="public",
    )


def _first_item(course_id: int, kind: str) -> int:
    """The first active item of `kind` in outline order."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT ci.id FROM content_items ci JOIN modules m ON m.id = ci.module_id
            WHERE ci.course_id = %s AND ci.content_type = %s AND ci.is_active
            ORDER BY {tree.sql_outline_order("m")}, ci.sequence_index LIMIT 1
            """,
            [course_id, kind],
        )
        return cursor.fetchone()[0]


def load() -> BenchData:
    """The data a previous run built."""
    big = CourseOffering.objects.select_related("course").get(course__code=BIG_CODE)
    small = CourseOffering.objects.select_related("course").get(course__code="BENCH-DEMO")
    return BenchData(
        student=User.objects.get(email="bench-student@example.edu"),
        demo_student=User.objects.get(email="bench-demo-student@example.edu"),
        instructor=User.objects.get(email="bench-instructor@example.edu"),
        big_offering=big,
        small_offering=small,
        big_video_item_id=_first_item(big.course_id, "video"),
        big_text_item_id=_first_item(big.course_id, "text"),
        small_text_item_id=_first_item(small.course_id, "text"),
        module_count=big.course.modules.count(),
        item_count=big.course.content_items.count(),
    )


@transaction.atomic
def build() -> BenchData:
    random.seed(5000)
    country, _ = Country.objects.get_or_create(iso_code="BX", defaults={"name": "Benchland"})
    university = University.objects.create(
        name="Bench University", short_code="BENCHU", country=country, time_zone="Europe/Berlin"
    )
    department = Department.objects.create(university=university, name="Engineering", code="ENG")
    student = User.objects.create_user(
        "bench-student@example.edu", PASSWORD, full_name="Bench Student"
    )
    demo_student = User.objects.create_user(
        "bench-demo-student@example.edu", PASSWORD, full_name="Demo Student"
    )
    instructor = User.objects.create_user(
        "bench-instructor@example.edu", PASSWORD, full_name="Bench Instructor"
    )

    big = _course(university, department, BIG_CODE, "Engineering Mathematics (5,000 modules)")
    big_offering = _offering(big, "Current term")
    nodes, big_items = _insert_course_tree(big, fanouts=[10, 10, 7, 6], total=5000, unpublished=2)
    _check_tree(big.pk)

    small = _course(university, department, "BENCH-DEMO", "Thermodynamics")
    small_offering = _offering(small, "Current term")
    _insert_course_tree(small, fanouts=[6, 4, 3, 2], total=120, unpublished=0)
    _check_tree(small.pk)

    CourseOfferingInstructor.objects.create(course_offering=big_offering, user=instructor)
    CourseEnrollment.objects.create(
        user=student, course_offering=big_offering, status=EnrollmentStatus.ACTIVE
    )
    CourseEnrollment.objects.create(
        user=student, course_offering=small_offering, status=EnrollmentStatus.ACTIVE
    )
    CourseEnrollment.objects.create(
        user=demo_student, course_offering=small_offering, status=EnrollmentStatus.ACTIVE
    )
    _progress(student, big_offering)
    _progress(student, small_offering)
    _progress(demo_student, small_offering)
    # More enrollments of every kind, on demo-sized courses, for the dashboard.
    statuses = [
        EnrollmentStatus.ACTIVE,
        EnrollmentStatus.ACTIVE,
        EnrollmentStatus.COMPLETED,
        EnrollmentStatus.COMPLETED,
        EnrollmentStatus.WAITLISTED,
        EnrollmentStatus.PENDING,
    ]
    for i, status in enumerate(statuses, start=1):
        course = _course(university, department, f"BENCH-{i:02d}", f"Bench course {i}")
        offering = _offering(course, "Current term")
        _insert_course_tree(course, fanouts=[5, 4, 3, 2], total=100, unpublished=0)
        for user in (student, demo_student):
            CourseEnrollment.objects.create(user=user, course_offering=offering, status=status)
            if status in (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED):
                _progress(user, offering)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return BenchData(
        student=student,
        demo_student=demo_student,
        instructor=instructor,
        big_offering=big_offering,
        small_offering=small_offering,
        big_video_item_id=_first_item(big.pk, "video"),
        big_text_item_id=_first_item(big.pk, "text"),
        small_text_item_id=_first_item(small.pk, "text"),
        module_count=len(nodes),
        item_count=big_items,
    )
