import pytest
from django.db import IntegrityError, transaction

from catalog.tests.factories import EnrollmentFactory
from community.models import CourseReview, DiscussionPost, DiscussionThread

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_rating_outside_one_to_five_is_rejected(rating):
    enrollment = EnrollmentFactory()
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        CourseReview.objects.create(
            user=enrollment.user, course_offering=enrollment.course_offering, rating=rating
        )
    assert "course_reviews_rating_check" in str(excinfo.value)
    assert CourseReview.objects.count() == 0


def test_one_review_per_student_and_offering():
    enrollment = EnrollmentFactory()
    CourseReview.objects.create(
        user=enrollment.user, course_offering=enrollment.course_offering, rating=5
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseReview.objects.create(
            user=enrollment.user, course_offering=enrollment.course_offering, rating=4
        )
    assert list(CourseReview.objects.values_list("rating", flat=True)) == [5]


def test_deleting_a_post_removes_its_replies_but_not_the_thread():
    enrollment = EnrollmentFactory()
    thread = DiscussionThread.objects.create(
        course_offering=enrollment.course_offering, created_by_user=enrollment.user, title="Q"
    )
    top = DiscussionPost.objects.create(thread=thread, user=enrollment.user, body="Question?")
    reply = DiscussionPost.objects.create(
        thread=thread, parent_post=top, user=enrollment.user, body="Answer."
    )
    DiscussionPost.objects.create(thread=thread, parent_post=reply, user=enrollment.user, body="+1")
    top.delete()
    assert DiscussionPost.objects.count() == 0
    assert DiscussionThread.objects.filter(pk=thread.pk).exists()
