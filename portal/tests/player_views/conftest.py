"""Fixtures of the player page tests: a course with its offering, outline and items, its student
and instructor."""

import pytest

from assessments.progress.tree_changes import tracked
from assessments.tests import trees
from catalog.models import CourseOfferingInstructor
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from content.selectors import outline_cache_clear
from portal.tests.player_views.support import INTERNAL_VIDEO
from syllabus.services import module_set_published
from tenancy.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fresh_outline_cache():
    outline_cache_clear()
    yield
    outline_cache_clear()


@pytest.fixture
def course_data():
    """root: Unit 1 (video, text; Lesson 1.1: resource, assignment, inactive text),
    Unit 2 unpublished (text; Lesson 2.1 published: quiz), Unit 3 (quiz, lab)."""
    offering = OfferingFactory()
    root = trees.root(offering.course)
    unit1 = trees.module(root, "Unit 1: Statics")
    lesson11 = trees.module(unit1, "Lesson 1.1", module_type="lesson")
    unit2 = trees.module(root, "Unit 2: Draft")
    lesson21 = trees.module(unit2, "Lesson 2.1", module_type="lesson")
    tracked(module_set_published, module=unit2, is_published=False)
    unit3 = trees.module(root, "Unit 3: Practice")
    lesson21.refresh_from_db()
    items = {
        "video": trees.item(unit1, "Intro video", "video", data=INTERNAL_VIDEO),
        "text": trees.item(unit1, "Reading"),
        "resource": trees.item(lesson11, "Links", "resource"),
        "assignment": trees.item(lesson11, "Homework", "assignment"),
        "inactive": trees.item(lesson11, "Old draft", active=False),
        "hidden_text": trees.item(unit2, "Secret reading"),
        "hidden_quiz": trees.item(lesson21, "Hidden quiz", "quiz"),
        "quiz": trees.item(unit3, "Unit quiz", "quiz"),
        "lab": trees.item(unit3, "Lab", "engineering_lab"),
    }
    return {
        "offering": offering,
        "course": offering.course,
        "modules": {"root": root, "unit1": unit1, "lesson11": lesson11, "unit3": unit3},
        "items": items,
    }


@pytest.fixture
def offering(course_data):
    return course_data["offering"]


@pytest.fixture
def items(course_data):
    return course_data["items"]


@pytest.fixture
def student(offering):
    return EnrollmentFactory(course_offering=offering).user


@pytest.fixture
def instructor(offering):
    user = UserFactory()
    CourseOfferingInstructor.objects.create(course_offering=offering, user=user)
    return user


@pytest.fixture
def wide_course(request):
    """By default 4 levels (root + 3 levels of 3 children), 39 modules under the root, 78
    items; parametrized indirectly with (fanout, levels) for other shapes."""
    fanout, levels = getattr(request, "param", (3, 3))
    offering = OfferingFactory()
    _root, tree_items = trees.wide_tree(offering.course, fanout=fanout, levels=levels)
    return offering, tree_items
