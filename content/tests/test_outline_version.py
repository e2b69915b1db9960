"""The outline's version, which the player's outline cache and the course page's syllabus
preview are kept under: every write to a course's modules and items changes it, whoever made
it, and nothing else does."""

import pytest
from django.db import connection

from catalog.tests.factories import CourseFactory
from content.models import ContentItem
from content.selectors import outline_version
from content.tests.factories import TextItemFactory
from syllabus.models import Module
from syllabus.services import module_create, module_set_published
from syllabus.tests.factories import RootModuleFactory

pytestmark = pytest.mark.django_db


def test_a_course_without_modules_is_at_version_zero():
    assert outline_version(course_id=CourseFactory().pk) == (0, "")


def test_every_write_to_modules_and_items_changes_it_and_reads_do_not():
    root = RootModuleFactory()
    course = root.course
    other = RootModuleFactory()
    seen = [outline_version(course_id=course.pk)]

    def changed() -> bool:
        seen.append(outline_version(course_id=course.pk))
        return seen[-1] != seen[-2]

    unit = module_create(course=course, parent=root, module_type="unit", title="Unit 1")
    assert changed()
    item = TextItemFactory(module=unit)
    assert changed()
    list(Module.objects.filter(course=course))
    assert not changed()
    module_set_published(module=unit, is_published=False)
    assert changed()
    ContentItem.objects.filter(pk=item.pk).update(title="Renamed")
    assert changed()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE modules SET title = 'By hand' WHERE id = %s", [unit.pk])
    assert changed()
    ContentItem.objects.filter(pk=item.pk).delete()
    assert changed()
    # Another course's writes leave it alone.
    module_create(course=other.course, parent=other, module_type="unit", title="Elsewhere")
    assert not changed()
    assert len(set(seen)) == 7
