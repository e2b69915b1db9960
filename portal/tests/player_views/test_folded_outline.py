"""A large outline: the top levels and the way to the learner drawn, the other branches closed
and loaded when opened (a fragment with JavaScript, the page opened at the branch without)."""

import re

import pytest
from django.urls import reverse

from assessments.tests import trees
from catalog.tests.factories import CourseFactory
from portal.tests.player_views.support import html, item_url, log_in_with_progress, outline_url
from portal.views.player import course_page_url
from syllabus.models import Module
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_outline(monkeypatch):
    """Any outline of more than two modules counts as large."""
    monkeypatch.setattr("portal.views.player.OUTLINE_FULL_UP_TO", 2)


def branch_url(offering, module):
    return reverse(
        "portal:outline-branch", kwargs={"offering_id": offering.pk, "module_id": module.pk}
    )


def test_large_outline_closes_the_branches_off_the_learners_way(
    client, course_data, items, student, large_outline
):
    offering, modules = course_data["offering"], course_data["modules"]
    lesson = modules["lesson11"]
    client.force_login(student)
    page = html(client.get(outline_url(offering)))
    # The units are open; Lesson 1.1 is closed: its items are not on the page, its branch is
    # a link to the page opened at it and names its fragment.
    for shown in ("Unit 1: Statics", "Intro video", "Reading", "Lesson 1.1", "Unit quiz", "Lab"):
        assert shown in page, shown
    assert "Links" not in page and "Homework" not in page
    link = f"{outline_url(offering)}?branch={lesson.pk}#m{lesson.pk}"
    assert (
        f'<li class="m" id="m{lesson.pk}"><details data-branch="{branch_url(offering, lesson)}">'
        in page
    )
    assert f'<a href="{link}">Show what is in this part</a>' in page
    assert "js/outline.js" in page
    assert "0 of 6 items completed" in page
    # Without JavaScript, the link opens the page at that branch.
    opened = html(client.get(f"{outline_url(offering)}?branch={lesson.pk}"))
    assert "Links" in opened and "Homework" in opened
    assert f'<li class="m" id="m{lesson.pk}"><details open>' in opened


def test_large_outline_opens_the_way_to_the_item_to_resume(
    client, course_data, items, student, large_outline
):
    offering = course_data["offering"]
    client.force_login(student)
    client.post(item_url(offering, items["assignment"], "portal:item-complete"))
    page = html(client.get(outline_url(offering)))
    assert "Links" in page and "Homework" in page
    assert 'class="i assignment done"' in page
    # A branch that is not visible, or not a number, falls back to the learner's way.
    hidden = Module.objects.get(title="Lesson 2.1")
    for branch in (hidden.pk, "x", "", "-1"):
        assert "Homework" in html(client.get(f"{outline_url(offering)}?branch={branch}"))


def test_small_outlines_stay_one_open_page(client, offering, student):
    client.force_login(student)
    page = html(client.get(outline_url(offering)))
    assert "data-branch" not in page
    assert "js/outline.js" not in page
    assert "Homework" in page


def test_branch_fragment_holds_the_modules_items_and_progress(client, course_data, items, student):
    offering, modules = course_data["offering"], course_data["modules"]
    client.force_login(student)
    client.post(item_url(offering, items["resource"], "portal:item-complete"))
    response = client.get(branch_url(offering, modules["unit1"]))
    assert response.status_code == 200
    fragment = html(response)
    assert fragment.startswith('<ol class="tree">')
    assert "<html" not in fragment
    assert "Unit 1: Statics" not in fragment  # the branch itself is drawn by the page
    for shown in ("Intro video", "Reading", "Lesson 1.1", "Links", "Homework"):
        assert shown in fragment, shown
    assert "Unit quiz" not in fragment and "Old draft" not in fragment
    lesson = re.search(r"Lesson 1.1</span>.*?</summary>", fragment).group(0)
    assert '<span class="mp pct-50">50%</span>' in lesson
    assert f'href="{item_url(offering, items["resource"])}"' in fragment


def test_branch_fragment_is_only_for_learners_and_visible_modules(
    client, course_data, student, instructor
):
    offering, modules = course_data["offering"], course_data["modules"]
    hidden = Module.objects.get(title="Unit 2: Draft")
    assert client.get(branch_url(offering, modules["unit1"])).status_code == 302  # to login
    client.force_login(UserFactory())
    response = client.get(branch_url(offering, modules["unit1"]))
    assert response.status_code == 302
    assert response.url == course_page_url(offering.course_id)
    client.force_login(student)
    assert client.get(branch_url(offering, hidden)).status_code == 404
    other = trees.root(CourseFactory(university=offering.university))
    assert client.get(branch_url(offering, other)).status_code == 404
    client.force_login(instructor)
    staff = html(client.get(branch_url(offering, hidden)))
    assert "Secret reading" in staff and "Unpublished" in staff


def test_branch_fragment_escapes_titles(client, course_data, student):
    offering = course_data["offering"]
    unit = trees.module(course_data["modules"]["root"], "<b>Bold</b> & co")
    trees.module(unit, '<img src=x onerror="alert(1)">')
    trees.item(unit, "<script>alert(2)</script>")
    client.force_login(student)
    fragment = html(client.get(branch_url(offering, unit)))
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in fragment
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in fragment
    assert "<img" not in fragment and "<script" not in fragment


@pytest.mark.parametrize("wide_course", [(3, 3)], indirect=True, ids=["39-modules"])
def test_large_outline_and_its_branches_run_a_constant_number_of_queries(
    client, wide_course, django_assert_num_queries, large_outline
):
    offering, tree_items = wide_course
    log_in_with_progress(client, offering, tree_items)
    # As the whole outline: session, user, offering, roles, outline version, module rows,
    # items, the learner's marks; then from the cache.
    with django_assert_num_queries(8):
        page = html(client.get(outline_url(offering)))
    with django_assert_num_queries(6):
        client.get(outline_url(offering))
    # Closed: the units' nine chapters but the one on the way to the item to resume, and that
    # chapter's three lessons but the one holding the item.
    assert page.count("data-branch=") == 10
    unit = Module.objects.get(
        pk=int(re.search(r'data-branch="[^"]*/outline/(\d+)/', page).group(1))
    )
    # session, user, offering, roles, outline version, the learner's marks.
    with django_assert_num_queries(6):
        assert client.get(branch_url(offering, unit)).status_code == 200
