"""Searching an offering's discussion posts (community.discussions.search)."""

import pytest

from catalog.models import EnrollmentStatus
from catalog.tests.factories import CourseFactory, OfferingFactory
from community.discussions.search import offering_post_hits, reads_discussions
from community.tests.factories import PostFactory, ThreadFactory
from content.search import SearchTerms

pytestmark = pytest.mark.django_db


def search(offering, q: str):
    return offering_post_hits(
        offering_id=offering.pk,
        language_code=offering.course.language_code,
        terms=SearchTerms.parse(q),
    )


@pytest.fixture
def offering():
    offering = OfferingFactory(course=CourseFactory(language_code="en"))
    thread = ThreadFactory(course_offering=offering, title="Exam week")
    PostFactory(thread=thread, body="Does the exam cover isentropic nozzles?")
    PostFactory(thread=thread, body="Deleted nozzles question", is_deleted=True)
    return offering


def test_posts_of_the_offering_are_found_with_their_thread(offering):
    [hit] = search(offering, "nozzle")
    assert (hit.thread_title, hit.fuzzy) == ("Exam week", False)
    assert str(hit.snippet) == "Exam week\nDoes the exam cover isentropic <mark>nozzles</mark>"


def test_misspelt_words_find_posts(offering):
    [hit] = search(offering, "isentropik")
    assert hit.fuzzy
    assert "<mark>isentropic</mark>" in str(hit.snippet)


def test_another_offerings_posts_are_not_found(offering):
    other = OfferingFactory(course=offering.course)
    PostFactory(thread=ThreadFactory(course_offering=other, title="Lab"), body="Nozzles again")
    assert [h.thread_title for h in search(offering, "nozzles")] == ["Exam week"]
    assert [h.thread_title for h in search(other, "nozzles")] == ["Lab"]


@pytest.mark.parametrize(
    ("is_staff", "status", "reads"),
    [
        (True, None, True),
        (False, EnrollmentStatus.ACTIVE, True),
        (False, EnrollmentStatus.COMPLETED, True),
        (False, EnrollmentStatus.DROPPED, False),
        (False, None, False),
    ],
)
def test_who_reads_discussions(is_staff, status, reads):
    assert reads_discussions(is_staff=is_staff, enrollment_status=status) is reads
