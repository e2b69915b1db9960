"""The outline beside an item page: every visible item linked, the current one marked as the
page, completed ones ticked; in a large course only the way to the item open."""

import re

import pytest

from portal.tests.player_views.support import html, item_url

pytestmark = pytest.mark.django_db


def sidebar(response) -> str:
    page = html(response)
    match = re.search(r'<details class="course-sidebar".*?</nav>\s*</details>', page, re.S)
    assert match, "no sidebar"
    return match.group(0)


def test_item_page_sidebar_marks_the_current_item_and_the_completed_ones(
    client, offering, items, student
):
    client.force_login(student)
    client.post(item_url(offering, items["text"], "portal:item-complete"))
    side = sidebar(client.get(item_url(offering, items["assignment"])))
    assert 'aria-label="Course outline"' in side
    for key in ("video", "text", "resource", "assignment", "quiz", "lab"):
        assert f'href="{item_url(offering, items[key])}"' in side, key
    for hidden in ("Unit 2: Draft", "Secret reading", "Hidden quiz", "Old draft"):
        assert hidden not in side
    assert side.count('aria-current="page"') == 1
    current = f'<a href="{item_url(offering, items["assignment"])}" aria-current="page">'
    assert current in side
    assert '<li class="i text done">' in side
    assert side.count(" done") == 1
    # The drawer is a <details> opened by its summary: no script is needed to use it.
    assert '<summary class="button secondary sidebar-toggle">Course outline</summary>' in side
    assert "js/outline.js" not in html(client.get(item_url(offering, items["video"])))


def test_staff_see_the_sidebar_with_hidden_parts_and_no_progress(
    client, offering, items, instructor
):
    client.force_login(instructor)
    side = sidebar(client.get(item_url(offering, items["hidden_text"])))
    assert "Secret reading" in side and "Unpublished" in side and "Inactive" in side
    assert "done" not in side and 'class="mp' not in side


def test_large_course_sidebar_opens_only_the_way_to_the_item(
    client, offering, items, student, monkeypatch
):
    monkeypatch.setattr("portal.views.player.OUTLINE_FULL_UP_TO", 2)
    client.force_login(student)
    response = client.get(item_url(offering, items["video"]))
    side = sidebar(response)
    # The units are open; Lesson 1.1, off the way to the intro video, is closed.
    for shown in ("Intro video", "Reading", "Lesson 1.1", "Unit quiz", "Lab"):
        assert shown in side, shown
    assert "Links" not in side and "Homework" not in side
    assert "data-branch=" in side and "js/outline.js" in html(response)
    # On an item inside Lesson 1.1, the lesson is open and its item is the current page.
    side = sidebar(client.get(item_url(offering, items["resource"])))
    assert "Links" in side and "Homework" in side
    assert f'<a href="{item_url(offering, items["resource"])}" aria-current="page">' in side
