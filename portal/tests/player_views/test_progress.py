"""Completion and progress on the player pages, and their pinned query counts."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.progress.models import UserContentProgress, UserModuleProgress
from catalog.tests.factories import EnrollmentFactory
from community.tests.factories import ThreadFactory
from portal.tests.player_views.support import html, item_url, log_in_with_progress, outline_url
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


# Completion and progress -----------------------------------------------------------------


def test_mark_as_complete_is_idempotent(client, offering, items, student):
    client.force_login(student)
    url = item_url(offering, items["text"], "portal:item-complete")
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == item_url(offering, items["text"])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Marked as complete."]
    first = UserContentProgress.objects.get(user=student, content_item=items["text"])
    assert first.completed_at is not None
    assert first.progress_percent == 100
    client.post(url)
    again = UserContentProgress.objects.get(user=student, content_item=items["text"])
    assert again.completed_at == first.completed_at
    assert again.progress_percent == 100
    assert UserContentProgress.objects.count() == 1
    unit1 = UserModuleProgress.objects.get(user=student, module=items["text"].module)
    assert unit1.progress_percent == Decimal("25.00")  # 1 of Unit 1's 4 visible items
    page = html(client.get(item_url(offering, items["text"])))
    assert "Completed on" in page
    assert "Mark as complete" not in page


def test_complete_needs_post(client, offering, items, student):
    client.force_login(student)
    assert client.get(item_url(offering, items["text"], "portal:item-complete")).status_code == 405
    assert client.get(item_url(offering, items["video"], "portal:item-progress")).status_code == 405


def test_video_progress_completes_at_ninety_percent(client, offering, items, student):
    client.force_login(student)
    url = item_url(offering, items["video"], "portal:item-progress")
    response = client.post(url, {"percent": "40"})
    assert response.json() == {"recorded": True, "percent": 40.0, "completed": False}
    response = client.post(url, {"percent": "30"})
    assert response.json() == {"recorded": True, "percent": 40.0, "completed": False}
    assert UserModuleProgress.objects.filter(user=student).count() == 0
    response = client.post(url, {"percent": "90"})
    assert response.json() == {"recorded": True, "percent": 100.0, "completed": True}
    row = UserContentProgress.objects.get(user=student, content_item=items["video"])
    completed_at = row.completed_at
    assert completed_at is not None
    response = client.post(url, {"percent": "50"})
    assert response.json() == {"recorded": True, "percent": 100.0, "completed": True}
    row.refresh_from_db()
    assert row.completed_at == completed_at
    assert row.progress_percent == 100
    assert UserModuleProgress.objects.get(
        user=student, module=items["video"].module
    ).progress_percent == Decimal("25.00")


@pytest.mark.parametrize("value", ["", "abc", "-1", "100.5", "NaN", "Infinity"])
def test_video_progress_rejects_bad_percent_and_changes_nothing(
    client, offering, items, student, value
):
    client.force_login(student)
    url = item_url(offering, items["video"], "portal:item-progress")
    client.post(url, {"percent": "20"})
    response = client.post(url, {"percent": value})
    assert response.status_code == 400
    assert response.json() == {"error": "Give a number from 0 to 100."}
    row = UserContentProgress.objects.get()
    assert row.progress_percent == Decimal("20.00")
    assert row.completed_at is None


def test_only_videos_report_progress(client, offering, items, student):
    client.force_login(student)
    response = client.post(
        item_url(offering, items["text"], "portal:item-progress"), {"percent": 95}
    )
    assert response.status_code == 400
    assert UserContentProgress.objects.count() == 0


def test_captions_are_webvtt_from_the_transcript(client, offering, items, student):
    client.force_login(student)
    response = client.get(item_url(offering, items["video"], "portal:item-captions"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response.content.decode() == (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:00:04.500\nWelcome to &lt;statics&gt; &amp; dynamics.\n\n"
        "2\n00:00:04.500 --> 00:00:09.250\nForces balance.\n"
    )
    assert UserContentProgress.objects.count() == 0
    assert client.get(item_url(offering, items["text"], "portal:item-captions")).status_code == 404


# Query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wide_course",
    # 39 modules on 4 levels; 62 modules on 6 levels: the same queries.
    [(3, 3), (2, 5)],
    indirect=True,
    ids=["4-levels-39-modules", "6-levels-62-modules"],
)
def test_outline_runs_a_constant_number_of_queries(client, wide_course, django_assert_num_queries):
    offering, tree_items = wide_course
    modules = len(tree_items) // 2
    log_in_with_progress(client, offering, tree_items)
    # session, user, offering with enrollment and staff check, roles, outline version, module
    # rows, items, the learner's completed and touched items, the newest announcements.
    with django_assert_num_queries(9):
        response = client.get(outline_url(offering))
    assert response.status_code == 200
    assert html(response).count('class="i ') == len(tree_items)
    assert html(response).count('<li class="m') == modules
    # Warm: the outline comes from the cache once its version is checked.
    with django_assert_num_queries(7):
        client.get(outline_url(offering))


def test_outline_for_staff_runs_a_constant_number_of_queries(
    client, wide_course, django_assert_num_queries
):
    offering, _items = wide_course
    user = RoleFactory(university=offering.university, role=Role.UNIVERSITY_ADMIN).user
    client.force_login(user)
    with django_assert_num_queries(8):  # the announcements too
        assert client.get(outline_url(offering)).status_code == 200


def test_item_page_runs_a_constant_number_of_queries(
    client, wide_course, django_assert_num_queries
):
    offering, tree_items = wide_course
    student = EnrollmentFactory(course_offering=offering).user
    client.force_login(student)
    deep = tree_items[-1]
    # session, user, offering, roles, item with neighbours and breadcrumbs; then the visit:
    # savepoint, enrollment lock, progress upsert, module rows, release; the sidebar: outline
    # version, module rows, items (those two only while the outline is not cached), the
    # learner's completed items; the item's threads.
    with django_assert_num_queries(15):
        assert client.get(item_url(offering, deep)).status_code == 200
    # Warm: the sidebar's outline comes from the cache once its version is checked.
    with django_assert_num_queries(13):
        assert client.get(item_url(offering, tree_items[0])).status_code == 200


def test_item_page_lists_the_questions_asked_about_that_item_only(client, offering, items, student):
    ThreadFactory(course_offering=offering, content_item=items["text"], title="Why <x> = 2?")
    ThreadFactory(course_offering=offering, content_item=items["video"], title="Sound too low")
    client.force_login(student)
    page = html(client.get(item_url(offering, items["text"])))
    assert "Questions about this item" in page
    assert "Why &lt;x&gt; = 2?" in page
    assert "Sound too low" not in page
    ask = reverse("portal:thread-create", args=[offering.pk]) + f"?item={items['text'].pk}"
    assert f'href="{ask}"' in page
