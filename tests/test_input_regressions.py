"""One test per server error a fuzz of the learner and admin pages found, each sending exactly
what crashed the page, and HEAD on pages that only answered GET."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.progress.tree_changes import tracked
from assessments.quizzes.models import QuizAttempt
from assessments.quizzes.services import QuizSettings
from catalog.models import CourseEnrollment, CourseOffering, EnrollmentStatus
from community.models import CourseReview, ReviewerName
from content.models import ContentItem
from content.payloads import payload_errors
from content.services import content_item_update

pytestmark = pytest.mark.django_db

BRACKET_URL = "https://[x]/1"
BAD_REQUEST_HEADING = '<h1 id="error-heading">Request not understood</h1>'


def signed_in(client, user):
    client.force_login(user)
    return client


def attempt_url(world, name="quiz-attempt"):
    attempt = world.attempt
    return reverse(
        f"portal:{name}",
        kwargs={
            "offering_id": attempt.course_offering_id,
            "item_id": attempt.content_item_id,
            "attempt_id": attempt.pk,
        },
    )


def roster_url(world):
    return reverse("admin:catalog_courseoffering_roster", args=[world.offering.pk])


def test_a_unicode_digit_in_the_quiz_check_action_saves_without_checking(client, input_world):
    signed_in(client, input_world.student)

    response = client.post(attempt_url(input_world), {"action": "check:²"})

    assert response.status_code == 302
    assert response["Location"] == attempt_url(input_world)
    attempt = QuizAttempt.objects.get(pk=input_world.attempt.pk)
    assert attempt.submitted_at is None


def test_a_unicode_digit_among_the_roster_ids_selects_nobody(client, input_world):
    signed_in(client, input_world.university_admin)
    before = dict(
        CourseEnrollment.objects.filter(course_offering=input_world.offering).values_list(
            "pk", "status"
        )
    )

    response = client.post(
        roster_url(input_world), {"decision": "drop", "ids": ["²"], "confirm": "yes"}
    )

    assert response.status_code == 302
    assert response["Location"] == roster_url(input_world)
    after = dict(
        CourseEnrollment.objects.filter(course_offering=input_world.offering).values_list(
            "pk", "status"
        )
    )
    assert after == before


def test_an_id_beyond_bigint_among_the_roster_ids_selects_nobody(client, input_world):
    signed_in(client, input_world.university_admin)

    response = client.post(roster_url(input_world), {"decision": "drop", "ids": ["9" * 20]})

    assert response.status_code == 302
    assert response["Location"] == roster_url(input_world)


@pytest.mark.parametrize("target", ["catalog", "reviews", "https://evil.example/", "//evil"])
def test_a_review_whose_next_is_not_a_path_goes_back_to_the_reviews(client, input_world, target):
    signed_in(client, input_world.student)
    course_id = input_world.completed.course_id

    response = client.post(
        reverse("portal:review-submit", kwargs={"course_id": course_id}),
        {
            "offering": input_world.completed.pk,
            "rating": "4",
            "review_text": "Clear lectures.",
            "display_name": ReviewerName.FULL_NAME,
            "next": target,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:course-reviews", kwargs={"course_id": course_id})
    review = CourseReview.objects.get(
        user=input_world.student, course_offering=input_world.completed
    )
    assert (review.rating, review.review_text) == (4, "Clear lectures.")


@pytest.mark.parametrize(
    "name", ["admin:catalog_courseoffering_roster", "admin:catalog_courseoffering_roles"]
)
def test_a_nul_byte_in_an_admin_search_is_the_sites_400(client, input_world, name):
    signed_in(client, input_world.university_admin)
    arg = input_world.university.pk if name.endswith("roles") else input_world.offering.pk

    response = client.get(reverse(name, args=[arg]), {"q": "ab\x00c"})

    assert response.status_code == 400
    assert BAD_REQUEST_HEADING in response.content.decode()


def test_a_nul_byte_in_a_form_field_changes_nothing(client, input_world):
    signed_in(client, input_world.student)
    thread = input_world.thread
    url = reverse(
        "portal:thread-reply",
        kwargs={"offering_id": thread.course_offering_id, "thread_id": thread.pk},
    )
    posts = thread.posts.count()

    response = client.post(url, {"body": "a reply\x00"})

    assert response.status_code == 400
    assert BAD_REQUEST_HEADING in response.content.decode()
    assert thread.posts.count() == posts


def test_a_bracket_video_url_stored_outside_the_forms_shows_the_item_and_its_preview(
    client, input_world
):
    video = input_world.items["video"]
    ContentItem.objects.filter(pk=video.pk).update(
        data_json={"provider": "youtube", "url": BRACKET_URL}
    )

    signed_in(client, input_world.student)
    page = client.get(
        reverse("portal:item", kwargs={"offering_id": input_world.offering.pk, "item_id": video.pk})
    )
    signed_in(client, input_world.instructor)
    preview = client.get(reverse("admin:content_contentitem_preview", args=[video.pk]))

    assert page.status_code == 200
    assert "This video is not available." in page.content.decode()
    assert preview.status_code == 200
    assert "This video is not available." in preview.content.decode()


def test_a_bracket_video_url_is_refused_at_every_write(input_world):
    video = ContentItem.objects.get(pk=input_world.items["video"].pk)
    stored = video.data_json

    assert payload_errors("video", {"provider": "youtube", "url": BRACKET_URL}) == [
        "url: This is not a web address that can be opened."
    ]
    with pytest.raises(ValidationError) as refused:
        tracked(
            content_item_update, item=video, data_json={"provider": "vimeo", "url": BRACKET_URL}
        )
    assert refused.value.message_dict == {
        "data_json": ["url: This is not a web address that can be opened."]
    }
    assert ContentItem.objects.get(pk=video.pk).data_json == stored


def test_head_answers_on_learner_pages(client, input_world):
    signed_in(client, input_world.student)
    offering_id = input_world.offering.pk
    quiz_id = input_world.attempt.content_item_id
    urls = [
        reverse("portal:catalog"),
        reverse("portal:dashboard"),
        reverse("portal:outline", kwargs={"offering_id": offering_id}),
        reverse("portal:quiz", kwargs={"offering_id": offering_id, "item_id": quiz_id}),
        reverse("portal:discussions", kwargs={"offering_id": offering_id}),
        attempt_url(input_world),
    ]

    statuses = {url: client.head(url).status_code for url in urls}

    assert statuses == dict.fromkeys(urls, 200)


def test_head_on_the_drop_page_drops_nothing(client, input_world):
    signed_in(client, input_world.student)
    offering = input_world.offering

    response = client.head(reverse("portal:drop", kwargs={"offering_id": offering.pk}))

    assert response.status_code == 200
    enrollment = CourseEnrollment.objects.get(user=input_world.student, course_offering=offering)
    assert enrollment.status == EnrollmentStatus.ACTIVE


@pytest.mark.parametrize("object_id", ["²", "abc", "9" * 20, "-1"])
def test_a_content_item_address_whose_id_is_not_a_number_is_not_found(
    client, input_world, object_id
):
    signed_in(client, input_world.instructor)

    response = client.get(f"/admin/content/contentitem/{object_id}/change/")

    assert response.status_code == 404


@pytest.mark.parametrize("starts_at", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_a_rerun_start_that_moves_the_dates_off_the_calendar_is_refused(
    client, input_world, starts_at
):
    signed_in(client, input_world.university_admin)
    offerings = CourseOffering.objects.count()

    response = client.post(
        reverse("admin:catalog_courseoffering_rerun", args=[input_world.offering.pk]),
        {"starts_at": starts_at, "term_name": ""},
    )

    assert response.status_code == 200
    assert "would move off the calendar" in response.content.decode()
    assert CourseOffering.objects.count() == offerings


QUIZ_PAYLOAD = {"question_pool_id": 1, "quiz_mode": "exam", "num_questions_per_attempt": 1}


def test_a_quiz_time_limit_or_mastery_points_past_their_bounds_are_refused():
    limit = {**QUIZ_PAYLOAD, "time_limit_seconds": 10**12}
    points = {**QUIZ_PAYLOAD, "mastery": {"points": 2**31, "threshold_correct_in_row": 3}}

    assert payload_errors("quiz", limit) == [
        "time_limit_seconds: 1000000000000 is greater than the maximum of 2592000"
    ]
    assert payload_errors("quiz", points) == [
        "mastery.points: 2147483648 is greater than the maximum of 2147483647"
    ]


def test_a_stored_time_limit_or_mastery_points_past_their_bounds_are_capped():
    stored = {
        **QUIZ_PAYLOAD,
        "time_limit_seconds": 10**12,
        "mastery": {"points": 10**20, "threshold_correct_in_row": 3},
    }

    settings = QuizSettings.from_payload(stored)

    assert (settings.time_limit_seconds, settings.mastery_points) == (30 * 24 * 3600, 2**31 - 1)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_a_login_with_an_email_longer_than_any_is_refused_and_counted(client, url):
    response = client.post(url, {"username": "a" * 300, "password": "wrong"})

    assert response.status_code == 200
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("a" * 255, 1)
