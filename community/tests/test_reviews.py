"""Course reviews: who may write, reply and hide; the ratings across offerings; the pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import CourseOfferingInstructor, EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from community.models import CourseReview, ReviewReply
from community.reviews.selectors import (
    CourseRatingSummary,
    RatingSummary,
    course_rating_summaries,
    course_rating_summary,
    reviews_panel,
)
from community.tests.factories import ReviewFactory
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def reviews_url(course) -> str:
    return reverse("portal:course-reviews", kwargs={"course_id": course.pk})


def action_url(review, action: str) -> str:
    return reverse(
        f"portal:review-{action}",
        kwargs={"course_id": review.course_offering.course_id, "review_id": review.pk},
    )


def submit_url(course) -> str:
    return reverse("portal:review-submit", kwargs={"course_id": course.pk})


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def review_rows() -> list[tuple]:
    return list(
        CourseReview.objects.order_by("pk").values_list(
            "pk",
            "user",
            "course_offering",
            "rating",
            "review_text",
            "display_name",
            "is_hidden",
            "hidden_reason",
        )
    ) + list(ReviewReply.objects.values_list("review", "user", "body"))


@pytest.fixture
def rated(world):
    """The course has two offerings; ratings 5, 4 and 3 in this one, 2 (hidden) in the other."""
    course = world.offering.course
    starts = timezone.now() + timedelta(days=60)
    later = OfferingFactory(
        course=course, term_name="Next term", starts_at=starts, ends_at=starts + timedelta(90)
    )
    reviews = [
        ReviewFactory(course_offering=world.offering, user=world.student, rating=5),
        ReviewFactory(course_offering=world.offering, user=world.classmate, rating=4),
        ReviewFactory(course_offering=world.offering, user=world.graduate, rating=3),
        ReviewFactory(course_offering=later, rating=2, is_hidden=True, hidden_reason="Abuse"),
    ]
    return course, later, reviews


# Ratings -----------------------------------------------------------------------------------


def test_summaries_of_many_courses_in_one_query(world, rated, django_assert_num_queries):
    course, _, _ = rated
    other = CourseFactory()
    ReviewFactory(course_offering=OfferingFactory(course=other), rating=1)
    ReviewFactory(course_offering=OfferingFactory(course=other), rating=2)
    unrated = CourseFactory()
    with django_assert_num_queries(1):
        summaries = course_rating_summaries(course_ids=[course.pk, other.pk, unrated.pk])
    assert summaries == {
        course.pk: RatingSummary(Decimal("4.0"), 3),
        other.pk: RatingSummary(Decimal("1.5"), 2),
        unrated.pk: RatingSummary(None, 0),
    }
    average, count = summaries[course.pk]
    assert (average, count) == (Decimal("4.0"), 3)


def test_summary_of_one_course_with_its_distribution(world, rated, django_assert_num_queries):
    course, later, _ = rated
    ReviewFactory(course_offering=later, rating=5)
    with django_assert_num_queries(1):
        summary = course_rating_summary(course_id=course.pk)
    assert summary == CourseRatingSummary(
        Decimal("4.3"), 4, [(5, 2, 50), (4, 1, 25), (3, 1, 25), (2, 0, 0), (1, 0, 0)]
    )
    assert course_rating_summary(course_id=CourseFactory().pk) == CourseRatingSummary(
        None, 0, [(5, 0, 0), (4, 0, 0), (3, 0, 0), (2, 0, 0), (1, 0, 0)]
    )


def test_averages_round_half_up_to_one_place(world):
    course = world.offering.course
    for rating in (5, 5, 4):
        ReviewFactory(course_offering=world.offering, rating=rating)
    assert course_rating_summaries(course_ids=[course.pk])[course.pk] == (Decimal("4.7"), 3)


# The page ----------------------------------------------------------------------------------


def test_anyone_reads_the_reviews_of_a_published_course_newest_first(world, rated):
    course, _, reviews = rated
    CourseReview.objects.filter(pk=reviews[0].pk).update(display_name="first_name_initial")
    CourseReview.objects.filter(pk=reviews[1].pk).update(display_name="anonymous")
    response = Client().get(reviews_url(course))
    assert response.status_code == 200
    page = response.context["panel"].page
    assert [(r.shown_name, r.rating) for r in page.object_list] == [
        ("Carl Gauss", 3),
        ("Anonymous student", 4),
        ("Ada L.", 5),
    ]
    html = response.content.decode()
    assert "Blaise" not in html
    assert "Abuse" not in html
    assert "Review this course" not in html


def test_an_unpublished_course_has_no_public_reviews(world):
    course = world.offering.course
    course.is_published = False
    course.save()
    assert Client().get(reviews_url(course)).status_code == 404
    assert logged_in(world.outsider).get(reviews_url(course)).status_code == 404
    assert logged_in(world.student).get(reviews_url(course)).status_code == 200
    assert logged_in(world.instructor).get(reviews_url(course)).status_code == 200
    assert Client().get(reverse("portal:course-reviews", args=[987654])).status_code == 404


def test_the_reviews_page_runs_a_constant_number_of_queries(
    world, rated, django_assert_num_queries
):
    course, later, _ = rated
    client = logged_in(world.instructor)
    client.get(reviews_url(course))
    for n in range(5):
        ReviewFactory(course_offering=later, rating=1 + n % 5)
    # Session, user, course, roles, taught offerings, enrollments, summary, count, page.
    with django_assert_num_queries(9):
        response = client.get(reviews_url(course))
    # The hidden review of the other offering is not the instructor's to see.
    assert len(response.context["panel"].page.object_list) == 8


# Writing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["student", "graduate"])
def test_a_student_writes_and_edits_their_review(world, who):
    user = getattr(world, who)
    course = world.offering.course
    client = logged_in(user)
    page = client.get(reviews_url(course)).content.decode()
    assert "Review this course" in page
    data = {
        "offering": world.offering.pk,
        "rating": "4",
        "review_text": "Good pace.",
        "display_name": "first_name_initial",
        "next": reviews_url(course),
    }
    response = client.post(submit_url(course), data)
    assert response.status_code == 302
    assert response["Location"] == reviews_url(course)
    client.post(submit_url(course), {**data, "rating": "5", "review_text": "Even better."})
    assert list(
        CourseReview.objects.values_list("user", "course_offering", "rating", "review_text")
    ) == [(user.pk, world.offering.pk, 5, "Even better.")]
    assert "Your review" in client.get(reviews_url(course)).content.decode()


@pytest.mark.parametrize("who", ["outsider", "dropped", "instructor", "other_instructor"])
def test_only_students_of_the_offering_may_review(world, who):
    course = world.offering.course
    data = {"offering": world.offering.pk, "rating": "1", "display_name": "full_name"}
    response = logged_in(getattr(world, who)).post(submit_url(course), data)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Only students of this course may review it."
    ]
    assert review_rows() == []


def test_anonymous_users_are_sent_to_log_in(world):
    data = {"offering": world.offering.pk, "rating": "5", "display_name": "full_name"}
    response = Client().post(submit_url(world.offering.course), data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert review_rows() == []


def test_a_review_of_another_courses_offering_is_refused(world):
    other = OfferingFactory()
    EnrollmentFactory(user=world.student, course_offering=other)
    data = {"offering": other.pk, "rating": "5", "display_name": "full_name"}
    logged_in(world.student).post(submit_url(world.offering.course), data)
    assert review_rows() == []


@pytest.mark.parametrize("rating", ["0", "6", "", "five"])
def test_a_rating_outside_one_to_five_is_refused(world, rating):
    data = {"offering": world.offering.pk, "rating": rating, "display_name": "full_name"}
    response = logged_in(world.student).post(submit_url(world.offering.course), data)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Choose a rating from 1 to 5 stars and try again."
    ]
    assert review_rows() == []


def test_an_unsafe_next_is_ignored(world):
    data = {
        "offering": world.offering.pk,
        "rating": "5",
        "display_name": "full_name",
        "next": "https://evil.example/",
    }
    response = logged_in(world.student).post(submit_url(world.offering.course), data)
    assert response["Location"] == reviews_url(world.offering.course)


# Replies and hiding ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["instructor", "university_admin"])
def test_staff_reply_once(world, rated, who):
    _, _, reviews = rated
    client = logged_in(getattr(world, who))
    assert client.post(action_url(reviews[0], "reply"), {"body": "Thanks!"}).status_code == 302
    response = client.post(action_url(reviews[0], "reply"), {"body": "Again"})
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "This review already has a reply."
    )
    assert list(ReviewReply.objects.values_list("review", "user", "body")) == [
        (reviews[0].pk, getattr(world, who).pk, "Thanks!")
    ]
    public = Client().get(reviews_url(reviews[0].course_offering.course)).content.decode()
    assert "Reply from the instructor" in public


def test_an_instructor_of_another_offering_may_not_reply_or_hide(world, rated):
    _, later, reviews = rated
    other_teacher = UserFactory()
    CourseOfferingInstructor.objects.create(course_offering=later, user=other_teacher)
    before = review_rows()
    client = logged_in(other_teacher)
    assert client.post(action_url(reviews[0], "reply"), {"body": "Hi"}).status_code == 403
    hide = client.post(action_url(reviews[0], "hide"), {"hidden": "1", "reason": "x"})
    assert hide.status_code == 403
    assert review_rows() == before


@pytest.mark.parametrize(("who", "status"), [("student", 403), ("other_instructor", 403)])
def test_students_and_other_universities_may_not_moderate(world, rated, who, status):
    _, _, reviews = rated
    before = review_rows()
    client = logged_in(getattr(world, who))
    assert client.post(action_url(reviews[1], "reply"), {"body": "Hi"}).status_code == status
    hide = client.post(action_url(reviews[1], "hide"), {"hidden": "1", "reason": "x"})
    assert hide.status_code == status
    assert review_rows() == before


def test_anonymous_moderation_goes_to_log_in(world, rated):
    _, _, reviews = rated
    before = review_rows()
    response = Client().post(action_url(reviews[1], "hide"), {"hidden": "1", "reason": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert review_rows() == before


def test_hidden_reviews_leave_lists_and_ratings_but_their_author_sees_them(world, rated):
    course, _, reviews = rated
    client = logged_in(world.instructor)
    response = client.post(
        action_url(reviews[0], "hide"), {"hidden": "1", "reason": "Personal attack"}
    )
    assert response.status_code == 302
    reviewed = CourseReview.objects.get(pk=reviews[0].pk)
    assert (reviewed.is_hidden, reviewed.hidden_reason, reviewed.hidden_by_user) == (
        True,
        "Personal attack",
        world.instructor,
    )
    assert course_rating_summaries(course_ids=[course.pk])[course.pk] == (Decimal("3.5"), 2)
    public = Client().get(reviews_url(course))
    assert [r.pk for r in public.context["panel"].page.object_list] == [
        reviews[2].pk,
        reviews[1].pk,
    ]
    own = logged_in(world.student).get(reviews_url(course))
    assert reviews[0].pk in [r.pk for r in own.context["panel"].page.object_list]
    html = own.content.decode()
    assert "The course staff hid your review; only you can see it. Reason: Personal attack" in html
    staff = client.get(reviews_url(course)).context["panel"].page.object_list
    assert reviews[0].pk in [r.pk for r in staff]
    client.post(action_url(reviews[0], "hide"), {"hidden": "0"})
    assert course_rating_summaries(course_ids=[course.pk])[course.pk] == (Decimal("4.0"), 3)


def test_hiding_needs_a_reason(world, rated):
    _, _, reviews = rated
    before = review_rows()
    response = logged_in(world.instructor).post(action_url(reviews[0], "hide"), {"hidden": "1"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Say why the review is hidden."
    ]
    assert review_rows() == before


def test_a_hidden_review_stays_hidden_when_edited(world, rated):
    course, _, reviews = rated
    logged_in(world.instructor).post(action_url(reviews[0], "hide"), {"hidden": "1", "reason": "x"})
    logged_in(world.student).post(
        submit_url(course),
        {"offering": world.offering.pk, "rating": "1", "display_name": "full_name"},
    )
    assert CourseReview.objects.get(pk=reviews[0].pk).is_hidden is True


def test_the_panel_for_the_course_page(world, rated):
    course, later, _ = rated
    EnrollmentFactory(user=world.student, course_offering=later, status=EnrollmentStatus.COMPLETED)
    panel = reviews_panel(user=world.student, course_id=course.pk)
    assert panel.course == course
    slots = [(s.enrollment.course_offering_id, s.review and s.review.rating) for s in panel.slots]
    assert slots == [(later.pk, None), (world.offering.pk, 5)]
    assert panel.summary.count == 3


def test_summary_include_for_the_catalog(world, rated):
    course, _, _ = rated
    summary = course_rating_summaries(course_ids=[course.pk])[course.pk]
    html = render_to_string("community/_review_summary.html", {"summary": summary})
    assert "<strong>4.0</strong>" in html
    assert "(3 reviews)" in html
    assert "Rated 4.0 out of 5" in html
    assert '<span class="stars pct-80" aria-hidden="true">' in html  # 4.0 of 5 stars
    empty = render_to_string("community/_review_summary.html", {"summary": RatingSummary(None, 0)})
    assert "No reviews yet" in empty


def test_reviews_include_for_the_course_page(world, rated, rf):
    course, _, _ = rated
    request = rf.get(f"/courses/{course.pk}/")
    request.user = world.student
    panel = reviews_panel(user=world.student, course_id=course.pk)
    html = render_to_string("community/_reviews.html", {"panel": panel}, request=request)
    assert f'action="{submit_url(course)}"' in html
    assert f'name="next" value="/courses/{course.pk}/#reviews-heading"' in html
    assert "Your review" in html
    assert html.count('class="review ') + html.count('class="review"') == 3
