"""The player's outline and item pages: order, hidden modules, breadcrumbs and neighbours."""

import re
from decimal import Decimal

import pytest

from assessments.progress.models import UserContentProgress, UserModuleProgress
from assessments.progress.tree_changes import tracked
from assessments.tests import trees
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from content.models import ContentItem
from portal.tests.player_views.support import html, item_url, outline_url
from syllabus.models import Module
from syllabus.services import module_set_published

pytestmark = pytest.mark.django_db


# Outline ---------------------------------------------------------------------------------


def test_outline_shows_published_modules_and_active_items_in_order(client, offering, student):
    client.force_login(student)
    response = client.get(outline_url(offering))
    assert response.status_code == 200
    page = html(response)
    titles = ["Unit 1: Statics", "Intro video", "Reading", "Lesson 1.1", "Links", "Homework"]
    titles += ["Unit 3: Practice", "Unit quiz", "Lab"]
    positions = [page.index(t) for t in titles]
    assert positions == sorted(positions)
    for hidden in ("Unit 2: Draft", "Secret reading", "Lesson 2.1", "Hidden quiz", "Old draft"):
        assert hidden not in page
    assert "Unpublished" not in page
    assert "0 of 6 items completed" in page
    links = offering.course.content_items.get(title="Links")
    assert f'href="{item_url(offering, links)}"' in page
    assert page.count('class="i ') == 6


def test_outline_links_every_item_to_its_page(client, offering, items, student):
    client.force_login(student)
    page = html(client.get(outline_url(offering)))
    for key in ("video", "text", "resource", "assignment", "quiz", "lab"):
        assert f'href="{item_url(offering, items[key])}"' in page


def test_outline_never_shows_a_module_unpublished_after_it_was_cached(client, course_data, student):
    offering = course_data["offering"]
    client.force_login(student)
    assert "Unit 3: Practice" in html(client.get(outline_url(offering)))
    tracked(module_set_published, module=course_data["modules"]["unit3"], is_published=False)
    page = html(client.get(outline_url(offering)))
    assert "Unit 3: Practice" not in page
    assert "Unit quiz" not in page
    assert "0 of 4 items completed" in page


def test_outline_cache_sees_every_write_to_modules_and_items(client, course_data, items, student):
    """Writes that bypass save() (bulk updates, deletes), repeated in one transaction."""
    offering = course_data["offering"]
    unit3 = course_data["modules"]["unit3"]
    client.force_login(student)
    assert "Unit 3: Practice" in html(client.get(outline_url(offering)))
    for title in ("Renamed once", "Renamed twice"):
        Module.objects.filter(pk=unit3.pk).update(title=title)
        assert f'<span class="mt">{title}</span>' in html(client.get(outline_url(offering)))
    ContentItem.objects.filter(pk=items["quiz"].pk).update(is_active=False)
    assert "Unit quiz" not in html(client.get(outline_url(offering)))
    ContentItem.objects.filter(pk=items["quiz"].pk).update(is_active=True)
    assert "Unit quiz" in html(client.get(outline_url(offering)))
    items["lab"].delete()
    assert "Lab</a>" not in html(client.get(outline_url(offering)))


def test_outline_shows_progress_of_modules_and_course(client, offering, items, student):
    client.force_login(student)
    for key in ("video", "text", "resource"):
        client.post(item_url(offering, items[key], "portal:item-complete"))
    page = html(client.get(outline_url(offering)))
    assert "3 of 6 items completed" in page
    assert "<strong>50%</strong>" in page
    # Unit 1: 3 of 4 visible items; Lesson 1.1: 1 of 2 (the inactive one does not count).
    unit1 = re.search(r"Unit 1: Statics</span>.*?</summary>", page).group(0)
    assert '<span class="mp pct-75">75%</span>' in unit1
    lesson = re.search(r"Lesson 1.1</span>.*?</summary>", page).group(0)
    assert '<span class="mp pct-50">50%</span>' in lesson
    unit3 = re.search(r"Unit 3: Practice</span>.*?</summary>", page).group(0)
    assert '<span class="mp pct-0">0%</span>' in unit3
    assert page.count('class="i video done"') == 1
    assert page.count('class="i text done"') == 1
    assert page.count(" done") == 3
    # Resume points at the item touched last.
    assert f'href="{item_url(offering, items["resource"])}">Continue' in page


def test_outline_marks_a_finished_module(client, offering, items, student):
    client.force_login(student)
    for key in ("resource", "assignment"):
        client.post(item_url(offering, items[key], "portal:item-complete"))
    page = html(client.get(outline_url(offering)))
    assert re.search(
        r'<li class="m done"><details open><summary class="mh"><span class="mt">'
        r"Lesson 1.1</span>",
        page,
    )
    assert 'Unit 1: Statics</span> <small>Unit</small><span class="mp pct-50">' in page


def test_outline_escapes_titles(client, offering, student, course_data):
    unit = trees.module(course_data["modules"]["root"], "<b>Bold</b> & co")
    trees.item(unit, '<img src=x onerror="alert(1)">')
    client.force_login(student)
    page = html(client.get(outline_url(offering)))
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "<img src=x" not in page


def test_empty_course_outline(client):
    offering = OfferingFactory()
    trees.root(offering.course)
    client.force_login(EnrollmentFactory(course_offering=offering).user)
    response = client.get(outline_url(offering))
    assert response.status_code == 200
    assert "This course has no content yet." in html(response)


# Item pages ------------------------------------------------------------------------------


def test_item_page_has_breadcrumbs_and_neighbours_in_outline_order(
    client, offering, items, student
):
    client.force_login(student)
    page = html(client.get(item_url(offering, items["resource"])))
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group(0)
    assert re.findall(r"<li>(?:<a [^>]*>)?([^<]+)", crumbs) == [
        offering.course.title,
        "Unit 1: Statics",
        "Lesson 1.1",
    ]
    assert f'href="{item_url(offering, items["text"])}" rel="prev"' in page
    assert f'href="{item_url(offering, items["assignment"])}" rel="next"' in page
    # Across the hidden unit: Homework -> Unit quiz; the first and last have one neighbour.
    page = html(client.get(item_url(offering, items["assignment"])))
    assert f'href="{item_url(offering, items["quiz"])}" rel="next"' in page
    page = html(client.get(item_url(offering, items["video"])))
    assert 'rel="prev"' not in page
    page = html(client.get(item_url(offering, items["lab"])))
    assert 'rel="next"' not in page


def test_staff_neighbours_include_hidden_items(client, offering, items, instructor):
    client.force_login(instructor)
    page = html(client.get(item_url(offering, items["assignment"])))
    assert f'href="{item_url(offering, items["inactive"])}" rel="next"' in page


def test_each_content_type_renders(client, offering, items, student):
    client.force_login(student)
    expectations = {
        "video": ['<video class="video-embed"', "captions.vtt", "Welcome to &lt;statics&gt;"],
        "text": ["<math", "An equation of the first degree."],
        "resource": ['href="https://example.edu/notes.pdf" rel="noopener"', ">PDF<"],
        "assignment": ["Solve problems 1-5.<br>Show your work.", "Due", "Not accepted"],
        "quiz": ["Exam", "Questions per attempt", "30 minutes", "Attempts allowed"],
        "lab": ["Python (data science)", "notebooks/lab.ipynb", "2Gi memory", "100 points"],
    }
    for key, fragments in expectations.items():
        page = html(client.get(item_url(offering, items[key])))
        for fragment in fragments:
            assert fragment in page, (key, fragment)
    lab = html(client.get(item_url(offering, items["lab"])))
    assert "test_hidden.py" not in lab
    assert "secret-value" not in lab


def test_assignment_due_date_is_in_the_readers_time_zone(client, offering, items, student):
    student.time_zone = "America/New_York"
    student.save()
    client.force_login(student)
    page = html(client.get(item_url(offering, items["assignment"])))
    assert '<time datetime="2026-12-01T23:59:00+00:00">Dec. 1, 2026, 6:59 p.m. (EST)</time>' in page


def test_opening_an_item_records_a_visit_once_per_session(client, offering, items, student):
    client.force_login(student)
    client.get(item_url(offering, items["text"]))
    client.get(item_url(offering, items["text"]))
    row = UserContentProgress.objects.get(user=student, content_item=items["text"])
    assert row.course_offering_id == offering.pk
    assert row.first_started_at is not None
    assert row.last_interacted_at >= row.first_started_at
    assert row.completed_at is None
    assert row.attempts_count == 1
    assert row.progress_percent == 0
    # The item's module and its ancestors have a started row; nothing is complete.
    modules = UserModuleProgress.objects.filter(user=student).order_by("module__lft")
    assert [(m.module.title, m.progress_percent, m.completed_at) for m in modules] == [
        (offering.course.title, Decimal("0.00"), None),
        ("Unit 1: Statics", Decimal("0.00"), None),
    ]
