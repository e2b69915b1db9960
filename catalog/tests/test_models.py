"""The database itself enforces the contract: unique indexes, enum domains, CHECKs, and the
ON DELETE action of every foreign key (exercised with plain SQL, outside the ORM)."""

import pytest
from django.db import IntegrityError, connection, transaction

from assessments.models import UserContentProgress
from catalog.models import (
    Course,
    CourseEnrollment,
    CourseOffering,
    CourseOfferingInstructor,
    CoursePrerequisite,
    CourseSubject,
    Subject,
)
from catalog.services.offerings import subject_delete
from catalog.tests.factories import (
    CourseFactory,
    CourseSubjectFactory,
    DomainFactory,
    EnrollmentFactory,
    OfferingFactory,
    PrerequisiteFactory,
    SubjectFactory,
)
from community.models import CourseReview, DiscussionPost, DiscussionThread
from community.tests.factories import PostFactory, ReviewFactory, ThreadFactory
from content.models import Asset, ContentItem
from content.services import content_item_create
from content.tests.factories import TEXT_PAYLOAD, AssetFactory, TextItemFactory
from syllabus.models import Module, ModuleTemplate
from syllabus.services import course_root, module_create
from syllabus.tests.factories import ModuleTemplateFactory
from tenancy.models import UserUniversityRole
from tenancy.tests.factories import (
    DepartmentFactory,
    RoleFactory,
    UniversityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def rejects(statement: str, params=()) -> str:
    """Run `statement` in a savepoint, checking deferred foreign keys at once; return the
    database's complaint (it must complain)."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        sql("SET CONSTRAINTS ALL IMMEDIATE")
        sql(statement, params)
    return str(excinfo.value)


def test_duplicate_enrollment_is_rejected():
    enrollment = EnrollmentFactory()
    message = rejects(
        "INSERT INTO course_enrollments (user_id, course_offering_id) VALUES (%s, %s)",
        [enrollment.user_id, enrollment.course_offering_id],
    )
    assert "ux_course_enrollments_unique" in message
    assert CourseEnrollment.objects.count() == 1


def test_enrollment_defaults_come_from_the_database():
    enrollment = EnrollmentFactory()
    sql("DELETE FROM course_enrollments")
    sql(
        "INSERT INTO course_enrollments (user_id, course_offering_id) VALUES (%s, %s)",
        [enrollment.user_id, enrollment.course_offering_id],
    )
    row = CourseEnrollment.objects.get()
    assert row.status == "active"
    assert row.enrolled_at is not None


@pytest.mark.parametrize(
    ("statement", "constraint"),
    [
        ("UPDATE course_enrollments SET status = 'expelled'", "course_enrollments_status_valid"),
        ("UPDATE courses SET level = 'kindergarten'", "courses_level_valid"),
        (
            "UPDATE user_university_roles SET role = 'janitor'",
            "user_university_roles_role_valid",
        ),
    ],
)
def test_unknown_enum_values_are_rejected(statement, constraint):
    EnrollmentFactory()
    RoleFactory()
    assert constraint in rejects(statement)


def test_unknown_prerequisite_type_and_self_prerequisite_are_rejected():
    link = PrerequisiteFactory()
    assert "course_prerequisites_type_valid" in rejects(
        "UPDATE course_prerequisites SET prerequisite_type = 'optional'"
    )
    assert "course_prerequisites_not_self" in rejects(
        "UPDATE course_prerequisites SET prerequisite_course_id = course_id"
    )
    link.refresh_from_db()
    assert link.prerequisite_type == "strict"


def test_offering_must_share_its_course_university():
    offering = OfferingFactory()
    other = UniversityFactory()
    assert "course_offerings_course_university_fk" in rejects(
        "UPDATE course_offerings SET university_id = %s WHERE id = %s", [other.pk, offering.pk]
    )


def test_offering_window_must_be_ordered():
    offering = OfferingFactory()
    assert "course_offerings_enrollment_window_ordered" in rejects(
        "UPDATE course_offerings SET enrollment_end = enrollment_start - interval '1 day' "
        "WHERE id = %s",
        [offering.pk],
    )


def test_deleting_a_course_cascades_to_offerings_enrollments_modules_and_content():
    item = TextItemFactory()
    course = item.course
    offering = OfferingFactory(course=course)
    EnrollmentFactory(course_offering=offering)
    sql("DELETE FROM courses WHERE id = %s", [course.pk])
    assert not CourseOffering.objects.filter(course_id=course.pk).exists()
    assert not CourseEnrollment.objects.exists()
    assert not Module.objects.filter(course_id=course.pk).exists()
    assert not ContentItem.objects.exists()


def test_deleting_a_university_cascades_and_sets_its_assets_free():
    course = CourseFactory()
    asset = AssetFactory(university=course.university)
    RoleFactory(university=course.university)
    sql("DELETE FROM universities WHERE id = %s", [course.university_id])
    assert not Course.objects.exists()
    assert not UserUniversityRole.objects.exists()
    asset.refresh_from_db()
    assert asset.university_id is None


def test_deleting_a_department_keeps_its_courses_and_roles():
    department = DepartmentFactory()
    course = CourseFactory(university=department.university, department=department)
    role = RoleFactory(university=department.university, department=department)
    sql("DELETE FROM departments WHERE id = %s", [department.pk])
    course.refresh_from_db()
    role.refresh_from_db()
    assert (course.department_id, role.department_id) == (None, None)


def test_deleting_a_domain_or_subject_sets_references_null():
    domain = DomainFactory()
    parent = SubjectFactory(domain=domain)
    child = SubjectFactory(domain=domain, parent=parent)
    course = CourseFactory(primary_subject=parent)
    sql("DELETE FROM domains WHERE id = %s", [domain.pk])
    sql("DELETE FROM subjects WHERE id = %s", [parent.pk])
    child.refresh_from_db()
    course.refresh_from_db()
    assert (child.domain_id, child.parent_id, course.primary_subject_id) == (None, None, None)


def test_deleting_a_module_or_item_keeps_discussions():
    item = TextItemFactory()
    offering = OfferingFactory(course=item.course)
    thread = DiscussionThread.objects.create(
        course_offering=offering,
        module=item.module,
        content_item=item,
        created_by_user=EnrollmentFactory(course_offering=offering).user,
        title="Question about the lecture",
    )
    sql("DELETE FROM content_items WHERE id = %s", [item.pk])
    thread.refresh_from_db()
    assert thread.content_item_id is None and thread.module_id == item.module_id
    sql("DELETE FROM modules WHERE id = %s", [item.module_id])
    thread.refresh_from_db()
    assert thread.module_id is None


def test_subject_delete_service_promotes_children_to_roots():
    root = SubjectFactory(name="Engineering")
    middle = SubjectFactory(name="Mechanical", parent=root)
    leaf = SubjectFactory(name="Thermodynamics", parent=middle)
    subject_delete(subject=middle)
    leaf.refresh_from_db()
    assert leaf.parent_id is None
    assert leaf.depth == 0
    assert Subject.objects.filter(pk=middle.pk).exists() is False
    assert Subject.objects.get(pk=root.pk).get_descendant_count() == 0


def test_asset_meta_json_gin_index_serves_containment():
    AssetFactory(meta_json={"licence": "CC-BY-4.0"})
    AssetFactory(meta_json={"licence": "proprietary"})
    assert Asset.objects.filter(meta_json__contains={"licence": "CC-BY-4.0"}).count() == 1


def test_content_item_must_stay_in_its_module_course():
    item = TextItemFactory()
    other_course = CourseFactory(university=item.university)
    root = course_root(course=other_course)
    module_create(course=other_course, parent=root, module_type="unit", title="Other")
    assert "content_items_module_course_fk" in rejects(
        "UPDATE content_items SET course_id = %s WHERE id = %s", [other_course.pk, item.pk]
    )


def test_deleting_a_user_cascades_to_their_roles_enrollments_teaching_and_writing():
    item = TextItemFactory()
    offering = OfferingFactory(course=item.course)
    enrollment = EnrollmentFactory(course_offering=offering)
    user = enrollment.user  # holds the student role at the offering's university, as enrolled
    CourseOfferingInstructor.objects.create(course_offering=offering, user=user)
    UserContentProgress.objects.create(user=user, course_offering=offering, content_item=item)
    thread = ThreadFactory(course_offering=offering, created_by_user=user)
    other_thread = ThreadFactory(course_offering=offering)
    own_post = PostFactory(thread=other_thread, user=user)
    PostFactory(thread=thread)
    kept = PostFactory(thread=other_thread)
    ReviewFactory(course_offering=offering, user=user)
    sql("DELETE FROM users WHERE id = %s", [user.pk])
    for model in (
        UserUniversityRole,
        CourseEnrollment,
        CourseOfferingInstructor,
        UserContentProgress,
        CourseReview,
    ):
        assert not model.objects.filter(user_id=user.pk).exists(), model
    assert list(DiscussionThread.objects.values_list("pk", flat=True)) == [other_thread.pk]
    assert list(DiscussionPost.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not DiscussionPost.objects.filter(pk=own_post.pk).exists()
    assert CourseOffering.objects.filter(pk=offering.pk).exists()


def test_deleting_a_course_takes_its_subject_links_prerequisites_and_teaching():
    course = CourseFactory()
    link = CourseSubjectFactory(course=course)
    requires = PrerequisiteFactory(course=course)
    required_by = PrerequisiteFactory(
        prerequisite_course=course, course__university=course.university
    )
    offering = OfferingFactory(course=course)
    CourseOfferingInstructor.objects.create(course_offering=offering, user=UserFactory())
    sql("DELETE FROM courses WHERE id = %s", [course.pk])
    assert not CourseSubject.objects.exists()
    assert not CoursePrerequisite.objects.exists()
    assert not CourseOfferingInstructor.objects.exists()
    assert Subject.objects.filter(pk=link.subject_id).exists()
    assert (
        Course.objects.filter(
            pk__in=[requires.prerequisite_course_id, required_by.course_id]
        ).count()
        == 2
    )


def test_deleting_a_module_takes_its_subtree_and_items_and_their_progress():
    course = CourseFactory()
    root = course_root(course=course)
    unit = module_create(course=course, parent=root, module_type="unit", title="Unit")
    lesson = module_create(course=course, parent=unit, module_type="lesson", title="Lesson")
    item = content_item_create(
        module=lesson, content_type="text", title="Notes", data_json=TEXT_PAYLOAD
    )
    offering = OfferingFactory(course=course)
    progress = UserContentProgress.objects.create(
        user=EnrollmentFactory(course_offering=offering).user,
        course_offering=offering,
        content_item=item,
    )
    sql("DELETE FROM modules WHERE id = %s", [unit.pk])
    assert list(Module.objects.filter(course=course).values_list("pk", flat=True)) == [root.pk]
    assert not ContentItem.objects.exists()
    assert not UserContentProgress.objects.filter(pk=progress.pk).exists()


def test_a_module_template_in_use_cannot_be_deleted():
    item = TextItemFactory()
    template = ModuleTemplateFactory()
    Module.objects.filter(pk=item.module_id).update(module_template=template)
    assert "module_template" in rejects("DELETE FROM module_templates WHERE id = %s", [template.pk])
    assert ModuleTemplate.objects.filter(pk=template.pk).exists()
