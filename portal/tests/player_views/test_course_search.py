"""The course search page: what a student finds and where it links (a transcript line opens the
video at its second), what stays hidden, unusable queries, who may search, and its queries."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from assessments.tests import trees
from catalog.models import EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory
from community.tests.factories import PostFactory, ThreadFactory
from content.tests.factories import VIDEO_PAYLOAD
from portal.tests.player_views.support import html, item_url
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def search_url(offering, q=None):
    url = reverse("portal:course-search", kwargs={"offering_id": offering.pk})
    return url if q is None else f"{url}?q={q}"


def test_a_transcript_line_links_to_its_moment(client, offering, items, student):
    client.force_login(student)
    response = client.get(search_url(offering, "forces"))
    assert response.status_code == 200
    page = html(response)
    assert f'href="{item_url(offering, items["video"])}?t=4"' in page
    assert "in the transcript at 0:04" in page
    assert "<mark>Forces</mark>" in page


def test_the_video_starts_where_the_link_says(client, offering, items, student):
    client.force_login(student)
    page = html(client.get(item_url(offering, items["video"]) + "?t=4"))
    assert 'src="https://cdn.example.org/lectures/intro.mp4#t=4"' in page
    assert 'data-start="4"' in page
    plain = html(client.get(item_url(offering, items["video"]) + "?t=soon"))
    assert 'src="https://cdn.example.org/lectures/intro.mp4"' in plain
    assert 'data-video-provider="internal">' in plain


def test_embedded_players_start_there_too(client, offering, student, course_data):
    youtube = trees.item(course_data["modules"]["unit3"], "Talk", "video", data=VIDEO_PAYLOAD)
    client.force_login(student)
    page = html(client.get(item_url(offering, youtube) + "?t=75"))
    assert "embed/dQw4w9WgXcQ?enablejsapi=1&amp;rel=0&amp;start=75" in page


def test_students_find_only_what_they_may_see(client, offering, student, instructor):
    client.force_login(student)
    page = html(client.get(search_url(offering, "reading")))
    assert ">Reading</a>" in page
    assert "Secret reading" not in page
    client.force_login(instructor)
    page = html(client.get(search_url(offering, "reading")))
    assert ">Reading</a>" in page and ">Secret reading</a>" in page


def test_posts_of_the_offering_link_to_their_thread(client, offering, student):
    thread = ThreadFactory(course_offering=offering, title="Forces question")
    post = PostFactory(thread=thread, body="Why do forces balance here?")
    client.force_login(student)
    page = html(client.get(search_url(offering, "forces")))
    thread_url = reverse(
        "portal:thread", kwargs={"offering_id": offering.pk, "thread_id": thread.pk}
    )
    assert f'href="{thread_url}#post-{post.pk}"' in page
    assert ">Forces question</a>" in page


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Type a word or phrase to search this course for."),
        ("%20%20", "Type a word or phrase to search this course for."),
        ("a" * 201, "That search is too long: use at most 200 characters."),
        ("%3F%21...", "Search for words or numbers: punctuation alone matches nothing."),
    ],
)
def test_unusable_queries_get_a_message(client, offering, student, q, message):
    client.force_login(student)
    response = client.get(search_url(offering, q))
    assert response.status_code == 200
    assert message in html(response)
    assert "In the course" not in html(response)


def test_the_outline_and_item_pages_carry_the_search_box(client, offering, items, student):
    client.force_login(student)
    action = f'action="{search_url(offering)}"'
    assert action in html(client.get(reverse("portal:outline", args=[offering.pk])))
    assert action in html(client.get(item_url(offering, items["text"])))


def test_anonymous_visitors_log_in_first(client, offering):
    response = client.get(search_url(offering, "forces"))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("status", [None, EnrollmentStatus.DROPPED, EnrollmentStatus.PENDING])
def test_people_outside_the_course_are_sent_to_its_page(client, offering, status):
    user = UserFactory()
    if status:
        EnrollmentFactory(course_offering=offering, user=user, status=status)
    client.force_login(user)
    response = client.get(search_url(offering, "forces"))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal:course-detail", kwargs={"course_id": offering.course_id}
    )


@pytest.mark.parametrize("extra", [0, 6])
def test_search_runs_a_constant_number_of_queries(
    client, offering, student, course_data, extra, django_assert_num_queries
):
    unit = course_data["modules"]["unit3"]
    thread = ThreadFactory(course_offering=offering, title="Statics")
    for n in range(3 + extra):
        trees.item(unit, f"Forces {n}")
        PostFactory(thread=thread, body=f"Forces, again {n}")
    client.force_login(student)
    # session, user, roles, offering with enrollment and staff check, item hits, post hits.
    with django_assert_num_queries(6):
        response = client.get(search_url(offering, "forces"))
    assert html(response).count('class="search-hit"') == 1 + 2 * (3 + extra)


def test_markup_in_titles_and_posts_is_shown_as_text(client, offering, student, course_data):
    trees.item(course_data["modules"]["unit3"], "<script>alert(1)</script> Torque")
    thread = ThreadFactory(course_offering=offering, title="<b>Torque</b>")
    PostFactory(thread=thread, body="Torque <img src=x onerror=alert(1)>")
    client.force_login(student)
    page = html(client.get(search_url(offering, "torque")))
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Torque</a>" in page
    assert "&lt;b&gt;<mark>Torque</mark>&lt;/b&gt;" in page
    assert "<mark>Torque</mark> &lt;img src=x onerror=alert" in page
