"""seed_demo on an empty database, run again, and with --scale.

The demo is seeded once for the whole module inside a transaction that is rolled back at the
end; every test runs in a savepoint inside it, so tests see the same seeded database and
cannot leak changes into each other.
"""

from collections import defaultdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pycountry
import pytest
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from guardian.shortcuts import get_perms

from assessments.grades.models import Certificate, CourseGrade
from assessments.grades.services import grades_rollup
from assessments.labs.models import LabSubmission
from assessments.progress.models import UserContentProgress, UserModuleProgress
from assessments.progress.selectors import course_progress, subtree_counts
from assessments.quizzes.models import QuizAttempt
from catalog.models import (
    Course,
    CourseEnrollment,
    CourseLevel,
    CourseOffering,
    CourseOfferingInstructor,
    CoursePrerequisite,
    CourseSubject,
    EnrollmentStatus,
    PrerequisiteType,
    Subject,
)
from community.models import CourseReview, DiscussionPost, DiscussionThread
from content.models import ITEM_CLASSES, Asset, ContentItem, ContentType, CourseImage
from content.payloads import payload_errors
from content.selectors import outline_items
from demo.data import LECTURE_VIDEO_FILE, LOGINS, PASSWORD
from syllabus.models import Module, ModuleTemplate, ModuleType
from syllabus.selectors import outline_rows
from tenancy.models import Country, Role, University, User, UserUniversityRole

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The output of one seed_demo run on the empty test database."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert not University.objects.exists()
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def tree_depth(course_id: int) -> int:
    """Check a course's module tree against its parent links and return its depth: MPTT
    depth is the length of the parent chain, lft/rght nest children inside their parents and
    number each tree 1..2n, sequence_index is 1..n among siblings in tree order, and each
    root owns its tree_id."""
    rows = list(
        Module.objects.filter(course_id=course_id).values(
            "id", "parent_id", "depth", "sequence_index", "lft", "rght", "tree_id"
        )
    )
    by_id = {row["id"]: row for row in rows}
    children = defaultdict(list)
    for row in rows:
        children[row["parent_id"]].append(row)
    for siblings in children.values():
        siblings.sort(key=lambda r: (r["tree_id"], r["lft"]))
        assert [r["sequence_index"] for r in siblings] == list(range(1, len(siblings) + 1))
    for row in rows:
        chain, parent_id = 0, row["parent_id"]
        while parent_id is not None:
            chain += 1
            parent_id = by_id[parent_id]["parent_id"]
        assert row["depth"] == chain
        if row["parent_id"] is not None:
            parent = by_id[row["parent_id"]]
            assert parent["tree_id"] == row["tree_id"]
            assert parent["lft"] < row["lft"] < row["rght"] < parent["rght"]
    for root in children[None]:
        tree = [r for r in rows if r["tree_id"] == root["tree_id"]]
        numbers = sorted([r["lft"] for r in tree] + [r["rght"] for r in tree])
        assert numbers == list(range(1, 2 * len(tree) + 1))
        assert not Module.objects.filter(tree_id=root["tree_id"]).exclude(course_id=course_id)
    return max(row["depth"] for row in rows)


def assert_progress_consistent(user_id: int, offering: CourseOffering) -> tuple[int, int]:
    """Module rows hold the completed share of the visible items of their subtree, as the
    learner selectors count it; content rows are on visible items only. Returns the numbers
    of content and module rows."""
    rows = outline_rows(course_id=offering.course_id, published_only=True)
    items = outline_items(course_id=offering.course_id, include_inactive=False)
    visible = {i.id for row in rows for i in items.get(row["id"], [])}
    content = UserContentProgress.objects.filter(user_id=user_id, course_offering=offering)
    completed = set()
    for progress in content:
        assert progress.content_item_id in visible
        assert progress.first_started_at <= progress.last_interacted_at
        if progress.completed_at is not None:
            completed.add(progress.content_item_id)
            assert progress.progress_percent == 100
        else:
            assert 0 <= progress.progress_percent < 100
    counts = subtree_counts(rows=rows, items_by_module=items, completed=completed)
    modules = UserModuleProgress.objects.filter(user_id=user_id, course_offering=offering)
    for progress in modules:
        done, total = counts.done[progress.module_id], counts.total[progress.module_id]
        assert total > 0
        expected = (Decimal(100 * done) / total).quantize(CENT, ROUND_HALF_UP)
        assert progress.progress_percent == expected
        assert (progress.completed_at is not None) == (done == total)
    return len(content), len(modules)


def table_checksums() -> dict[str, tuple[int, str]]:
    """Row count and an md5 of every row's text, per table."""
    checksums = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            name = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f"FROM {name} t"
            )
            checksums[table] = cursor.fetchone()
    return checksums


def test_prints_a_login_for_every_role(seeded):
    for login in LOGINS:
        assert f"{login.email:<22} {PASSWORD}" in seeded
    assert {login.role for login in LOGINS} == set(Role.values)
    university = University.objects.get(short_code="BSIT")
    for login in LOGINS:
        user = User.objects.get(email=login.email)
        assert user.check_password(PASSWORD)
        assert user.is_superuser is False
        role = UserUniversityRole.objects.get(user=user, university=university)
        assert role.role == login.role
    platform = User.objects.get(email="platform@demo.lms")
    assert platform.is_platform_admin


def test_staff_logins_work_in_the_department_admins_department(seeded):
    department = UserUniversityRole.objects.get(user__email="deptadmin@demo.lms").department
    assert (department.university.short_code, department.code) == ("BSIT", "ME")
    for email in ("instructor@demo.lms", "ta@demo.lms"):
        links = CourseOfferingInstructor.objects.filter(user__email=email).select_related(
            "course_offering__course"
        )
        assert links
        for link in links:
            offering = link.course_offering
            assert offering.course.department_id == department.pk
            assert offering.university_id == department.university_id
            assert "change_courseoffering" in get_perms(link.user, offering)
            assert "change_course" in get_perms(link.user, offering.course)


def test_every_iso_country(seeded):
    assert Country.objects.count() == len(pycountry.countries)
    assert set(Country.objects.values_list("iso_code", flat=True)) == {
        c.alpha_2 for c in pycountry.countries
    }


def test_universities_departments_and_taxonomy(seeded):
    universities = list(University.objects.select_related("country"))
    assert len(universities) == 4
    assert len({u.country.iso_code for u in universities}) == 4
    for university in universities:
        assert university.departments.count() >= 2
    subjects = {s.pk: s for s in Subject.objects.all()}
    for subject in subjects.values():
        chain, parent = 0, subject.parent_id
        while parent is not None:
            chain += 1
            parent = subjects[parent].parent_id
        assert subject.depth == chain
        assert subject.domain_id is not None
    assert max(s.depth for s in subjects.values()) >= 3


def test_courses_across_levels_languages_and_prerequisite_kinds(seeded):
    courses = Course.objects.all()
    assert 12 <= courses.count() <= 20
    assert set(courses.values_list("level", flat=True)) == set(CourseLevel.values)
    assert {"en", "de", "pt", "ja"} <= set(courses.values_list("language_code", flat=True))
    assert courses.filter(is_published=False).exists()
    for course in courses:
        primary = CourseSubject.objects.get(course=course, is_primary=True)
        assert primary.subject_id == course.primary_subject_id
        assert CourseSubject.objects.filter(course=course, is_primary=False).exists()
        assert len(course.description) > 100
    prerequisites = CoursePrerequisite.objects.select_related("course", "prerequisite_course")
    assert {p.prerequisite_type for p in prerequisites} == set(PrerequisiteType.values)
    for link in prerequisites:
        assert link.course.university_id == link.prerequisite_course.university_id


def test_offerings_past_current_and_future(seeded):
    now = timezone.now()
    offerings = CourseOffering.objects.select_related("course")
    past = [o for o in offerings if o.ends_at < now]
    current = [o for o in offerings if o.starts_at <= now <= o.ends_at]
    future = [o for o in offerings if o.starts_at > now]
    assert past and current and future
    assert all(o.enrollment_end < now for o in past)
    assert all(o.enrollment_start <= now <= o.enrollment_end for o in current)
    assert any(o.enrollment_start <= now for o in future)
    assert any(o.enrollment_start > now for o in future)
    for offering in offerings:
        assert offering.university_id == offering.course.university_id
        assert offering.term_name
    assert {o.visibility for o in offerings} == {"public", "private"}


def test_module_trees_from_templates_at_least_four_levels_deep(seeded):
    for course in Course.objects.all():
        assert tree_depth(course.pk) >= 4
    lessons = Module.objects.filter(module_type=ModuleType.LESSON, depth=3)
    assert lessons.exists()
    assert not lessons.filter(module_template=None, parent__module_template=None).exists()
    assert Module.objects.filter(is_published=False).exists()
    assert Module.objects.filter(is_published=False).count() < Module.objects.count() / 5
    for template in ModuleTemplate.objects.all():
        assert template.default_data["children"]
        assert template.modules.exists()


def test_content_items_of_all_six_types_with_valid_payloads(seeded):
    items = list(ContentItem.objects.select_related("module__course"))
    assert {item.content_type for item in items} == set(ContentType.values)
    for item in items:
        assert type(item) is ITEM_CLASSES[item.content_type]
        assert payload_errors(item.content_type, item.data_json) == []
        assert item.course_id == item.module.course_id
        assert item.university_id == item.module.course.university_id
    images = [
        (item, block["asset_id"])
        for item in items
        if item.content_type == "text"
        for block in item.data_json["blocks"]
        if block["type"] == "image"
    ]
    assert images
    for item, asset_id in images:
        asset = Asset.objects.get(pk=asset_id)
        assert asset.university_id in (None, item.university_id)
        assert asset.asset_type == "image"
    videos = [i for i in items if i.content_type == "video"]
    assert all(v.data_json["transcript"]["segments"] for v in videos)
    assert {v.data_json["provider"] for v in videos} == {"youtube", "vimeo", "internal"}
    labs = [i.data_json for i in items if i.content_type == "engineering_lab"]
    assert {f["role"] for lab in labs for f in lab["files"]} == {"student_visible", "hidden_test"}
    assert all(lab["grading"]["type"] == "unit_tests" for lab in labs)
    kinds = {
        r["kind"] for i in items if i.content_type == "resource" for r in i.data_json["resources"]
    }
    assert kinds == {"pdf", "article", "video"}
    assert any(
        b["type"] == "math"
        for i in items
        if i.content_type == "text"
        for b in i.data_json["blocks"]
    )


def test_asset_library(seeded):
    assert Asset.objects.filter(university=None, asset_type="image").exists()
    for university in University.objects.all():
        kinds = set(university.assets.values_list("asset_type", flat=True))
        assert kinds == {"image", "pdf"}
    video = Asset.objects.get(asset_type="video")
    assert video.university_id is None
    assert default_storage.open(video.meta_json["storage_name"]).read() == (
        LECTURE_VIDEO_FILE.read_bytes()
    )
    pictures = Asset.objects.filter(course_images__isnull=False)
    for asset in Asset.objects.exclude(pk=video.pk):
        assert asset.meta_json["alt"] and asset.meta_json["licence"]
        if asset in pictures:
            assert default_storage.exists(asset.meta_json["storage_name"])
        else:
            assert finders.find(asset.url.removeprefix("/static/")), asset.url
        if asset.asset_type == "image":
            assert asset.meta_json["width"] > 0 and asset.meta_json["height"] > 0


def test_a_few_courses_have_a_picture_of_their_own_university_with_its_words(seeded):
    pictures = CourseImage.objects.select_related("course", "asset").order_by("course__code")
    assert [(p.course.code, p.asset.asset_type, p.asset.meta_json["width"]) for p in pictures] == [
        ("CS101", "image", 480),
        ("MATH101", "image", 480),
        ("ME201", "image", 480),
        ("ME215", "image", 480),
    ]
    for picture in pictures:
        assert picture.asset.university_id == picture.course.university_id
        assert picture.alt_text.startswith(f"Title card reading “{picture.course.code} ")


def test_enrollments_in_every_status(seeded):
    enrollments = CourseEnrollment.objects.select_related("course_offering", "user")
    assert {e.status for e in enrollments} == set(EnrollmentStatus.values)
    known = {e.status for e in enrollments if e.user.email == "student@demo.lms"}
    assert known >= {"active", "completed", "waitlisted", "pending"}
    for enrollment in enrollments:
        assert UserUniversityRole.objects.filter(
            user=enrollment.user,
            university_id=enrollment.course_offering.university_id,
            role=Role.STUDENT,
        ).exists()
        assert (enrollment.completed_at is not None) == (enrollment.status == "completed")
    students = User.objects.filter(university_roles__role=Role.STUDENT).distinct()
    assert 40 <= students.count() <= 60
    for student in students.exclude(email="student@demo.lms").prefetch_related(
        "university_roles__university"
    ):
        domain = student.email.split("@", 1)[1]
        assert student.university_roles.get().university.website_url.endswith(domain)


def test_waitlists_only_where_seats_are_full(seeded):
    for offering in CourseOffering.objects.filter(enrollments__status="waitlisted").distinct():
        active = offering.enrollments.filter(status="active").count()
        assert offering.capacity == active
    for offering in CourseOffering.objects.filter(enrollments__status="pending").distinct():
        assert offering.requires_approval


def test_progress_agrees_with_the_learner_selectors(seeded):
    known = User.objects.get(email="student@demo.lms")
    active = CourseEnrollment.objects.get(
        user=known, course_offering__course__code="ME201", status="active"
    )
    content_rows, module_rows = assert_progress_consistent(known.pk, active.course_offering)
    assert content_rows and module_rows
    percent = course_progress(user_id=known.pk, offering_ids=[active.course_offering_id])
    assert 20 <= percent[active.course_offering_id].percent <= 60
    pairs = UserContentProgress.objects.values_list("user_id", "course_offering_id").distinct()
    assert len(pairs) > 50
    for user_id, offering_id in pairs:
        assert_progress_consistent(user_id, CourseOffering.objects.get(pk=offering_id))
    for enrollment in CourseEnrollment.objects.filter(status="completed"):
        progress = course_progress(
            user_id=enrollment.user_id, offering_ids=[enrollment.course_offering_id]
        )[enrollment.course_offering_id]
        assert progress.percent == 100


def test_assessments_and_community(seeded):
    known = User.objects.get(email="student@demo.lms")
    completed = CourseEnrollment.objects.get(user=known, status="completed")
    offering = completed.course_offering
    assert offering.ends_at < timezone.now()
    grade = CourseGrade.objects.get(user=known, course_offering=offering)
    assert grade.passed and grade.letter_grade
    certificate = Certificate.objects.get(user=known, course_offering=offering)
    assert certificate.issued_at == completed.completed_at
    assert QuizAttempt.objects.filter(user=known, course_offering=offering, passed=True).exists()
    for attempt in QuizAttempt.objects.all():
        assert attempt.started_at < attempt.submitted_at <= timezone.now()
        assert 0 <= attempt.score_obtained <= attempt.max_score
    assert LabSubmission.objects.filter(status="graded").exists()
    # A submission's files are offered for download: none may name a file the storage lacks.
    named = LabSubmission.objects.exclude(artifacts_url=None).values_list(
        "artifacts_url", flat=True
    )
    assert [n for n in named if n.startswith("/") or not default_storage.exists(n)] == []
    assert LabSubmission.objects.filter(submitted_at__lt=timezone.now() - timedelta(days=30))
    nested = DiscussionPost.objects.filter(parent_post__parent_post__isnull=False)
    assert nested.exists()
    assert DiscussionThread.objects.exclude(answer_post=None).exists()
    ratings = set(CourseReview.objects.values_list("rating", flat=True))
    assert ratings and ratings <= {1, 2, 3, 4, 5}


def test_grades_are_provisional_mid_term_and_final_with_certificates_after_the_term(seeded):
    now = timezone.now()
    running = CourseGrade.objects.filter(course_offering__ends_at__gt=now)
    finished = CourseGrade.objects.filter(course_offering__ends_at__lt=now)
    assert running.exists() and finished.exists()
    assert not running.filter(is_final=True).exists()
    assert not CourseEnrollment.objects.filter(
        course_offering__ends_at__gt=now, status="completed"
    ).exists()
    assert running.filter(passed=False, current_score__gt=60).exists()  # work still to do
    assert not finished.filter(is_final=False).exists()
    assert (
        set(finished.filter(passed=True).values_list("user_id", "course_offering_id"))
        == set(Certificate.objects.values_list("user_id", "course_offering_id"))
        == set(
            CourseEnrollment.objects.filter(status="completed").values_list(
                "user_id", "course_offering_id"
            )
        )
    )
    # Every stored grade is what the rollup computes: rolling up again changes nothing.
    with transaction.atomic():
        for offering_id in set(CourseGrade.objects.values_list("course_offering_id", flat=True)):
            assert grades_rollup(offering_id=offering_id).changed == 0
        transaction.set_rollback(True)


def test_second_run_changes_nothing(seeded):
    before = table_checksums()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert table_checksums() == before
    assert "already present" in out.getvalue()
    for login in LOGINS:
        assert login.email in out.getvalue()


def test_scale_run_builds_consistent_trees_and_counts(seeded):
    out = StringIO()
    call_command("seed_demo", scale=1, modules_per_course=60, students=20, verbosity=0, stdout=out)
    university = University.objects.get(short_code="SCALE-1")
    assert "SCALE-1: 1 courses, 60 modules" in out.getvalue()
    course = Course.objects.get(university=university)
    assert Module.objects.filter(course=course).count() == 60
    assert tree_depth(course.pk) == 4
    items = list(ContentItem.objects.filter(course=course))
    assert len(items) >= 60
    assert {item.content_type for item in items} == set(ContentType.values)
    for item in items:
        assert type(item) is ITEM_CLASSES[item.content_type]
        assert item.university_id == university.pk
        assert payload_errors(item.content_type, item.data_json) == []
    students = User.objects.filter(
        university_roles__university=university, university_roles__role="student"
    )
    assert students.count() == 20
    offering = CourseOffering.objects.get(course=course)
    assert offering.enrollments.count() == 20
    learners = offering.enrollments.filter(status="active").values_list("user_id", flat=True)
    touched = 0
    for user_id in learners:
        content_rows, _ = assert_progress_consistent(user_id, offering)
        touched += content_rows > 0
    assert touched > 0
    assert CourseOfferingInstructor.objects.filter(course_offering=offering).count() == 1


def test_second_scale_run_adds_another_university(seeded):
    call_command(
        "seed_demo", scale=1, modules_per_course=5, students=2, verbosity=0, stdout=StringIO()
    )
    call_command(
        "seed_demo", scale=1, modules_per_course=5, students=2, verbosity=0, stdout=StringIO()
    )
    codes = set(
        University.objects.filter(short_code__startswith="SCALE-").values_list(
            "short_code", flat=True
        )
    )
    assert codes == {"SCALE-1", "SCALE-2"}
    for course in Course.objects.filter(university__short_code__startswith="SCALE-"):
        assert tree_depth(course.pk) == 4


def test_scale_run_shows_a_progress_bar_for_each_stage(seeded, capsys):
    out = StringIO()
    call_command("seed_demo", scale=2, modules_per_course=5, students=3, stdout=out)
    bars = capsys.readouterr().err
    assert "course trees: 100%" in bars and "2/2" in bars
    assert "students: 100%" in bars and "3/3" in bars
    assert "enrollments: 100%" in bars
    quiet = StringIO()
    call_command("seed_demo", scale=1, modules_per_course=5, students=1, verbosity=0, stdout=quiet)
    assert "100%" not in capsys.readouterr().err


@pytest.mark.django_db
def test_a_production_instance_gets_demo_accounts_only_when_asked(settings):
    from django.core.management.base import CommandError

    from tenancy.models import User

    settings.PRODUCTION = True
    accounts = User.objects.count()
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == accounts
