import factory

from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from community.models import CourseReview, DiscussionPost, DiscussionThread
from tenancy.tests.factories import UserFactory


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscussionThread

    course_offering = factory.SubFactory(OfferingFactory)
    created_by_user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Question {n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscussionPost

    thread = factory.SubFactory(ThreadFactory)
    user = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Post number {n}.")


class ReviewFactory(factory.django.DjangoModelFactory):
    """A review by a student enrolled in the offering."""

    class Meta:
        model = CourseReview

    course_offering = factory.SubFactory(OfferingFactory)
    user = factory.LazyAttribute(
        lambda o: EnrollmentFactory(course_offering=o.course_offering).user
    )
    rating = 4
    review_text = "Clear lectures."
