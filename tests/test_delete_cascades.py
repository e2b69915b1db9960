"""The ON DELETE actions and CHECKs that tie tables of several apps together (courses,
modules, items, progress, discussions, assets), exercised with plain SQL outside the ORM."""

import pytest

from assessments.progress.models import UserContentProgress
from assessments.progress.tree_changes import tracked
from catalog.models import Course, CourseEnrollment, CourseOffering, CourseOfferingInstructor
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from catalog.tests.test_models import rejects, sql
from community.models import CourseReview, DiscussionPost, DiscussionThread
from community.tests.factories import PostFactory, ReviewFactory, ThreadFactory
from content.models import Asset, ContentItem
from content.services import content_item_create
from content.tests.factories import TEXT_PAYLOAD, AssetFactory, TextItemFactory
from syllabus.models import Module, ModuleTemplate
from syllabus.services import course_root, module_create
from syllabus.tests.factories import ModuleTemplateFactory
from tenancy.models import UserUniversityRole
from tenancy.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


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


def test_deleting_a_module_takes_its_subtree_and_items_and_their_progress():
    course = CourseFactory()
    root = course_root(course=course)
    unit = module_create(course=course, parent=root, module_type="unit", title="Unit")
    lesson = module_create(course=course, parent=unit, module_type="lesson", title="Lesson")
    item = tracked(
        content_item_create,
        module=lesson,
        content_type="text",
        title="Notes",
        data_json=TEXT_PAYLOAD,
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
