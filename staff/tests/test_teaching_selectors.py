"""My teaching's reads: each role sees its own scope of offerings and nothing of another
university's, with the counts and deadlines of each card computed from the rows."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from assessments.tests import trees
from assessments.tests.grading_data import ended_offering, submission
from catalog.models import EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory
from catalog.tests.tenants import build_tenants
from community.models import DiscussionPost, DiscussionThread, PostReport
from staff.teaching.selectors import offering_for_teaching, teaching_home, upcoming_deadlines
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()


def shown(user) -> set[str]:
    home = teaching_home(user=user)
    return {f"{card.offering.course.code} {card.offering.term_name}" for card in home.cards}


def test_each_role_sees_its_scope(tenants):
    assert shown(tenants.user("instructor")) == {"PHY101 Fall"}
    assert shown(tenants.user("ta")) == {"PHY101 Fall"}
    assert shown(tenants.user("department_admin")) == {"PHY101 Fall", "PHY101 Spring"}
    assert shown(tenants.user("university_admin")) == {
        "PHY101 Fall",
        "PHY101 Spring",
        "HIS101 Fall",
    }
    assert shown(tenants.user("university_admin_b")) == {"BIO101 Fall"}
    assert shown(tenants.user("instructor_b")) == {"BIO101 Fall"}
    assert shown(tenants.user("student")) == set()


def test_another_universitys_offering_is_a_404(tenants):
    for role in ("instructor", "ta", "department_admin", "university_admin"):
        with pytest.raises(Http404):
            offering_for_teaching(user=tenants.user(role), offering_id=tenants.offering_b1.pk)
    with pytest.raises(Http404):
        offering_for_teaching(user=tenants.user("ta"), offering_id=tenants.offering_a1_next.pk)
    assert (
        offering_for_teaching(user=tenants.user("ta"), offering_id=tenants.offering_a1.pk)
        == tenants.offering_a1
    )


def test_past_offerings_are_listed_apart(tenants):
    old = ended_offering(course=tenants.course_a1, term_name="Last year")
    admin = tenants.user("department_admin")
    current = teaching_home(user=admin)
    past = teaching_home(user=admin, past=True)
    assert [c.offering.pk for c in past.cards] == [old.pk]
    assert old.pk not in {c.offering.pk for c in current.cards}
    assert (current.other_count, past.other_count) == (1, 2)


def test_card_counts(tenants):
    offering = tenants.offering_a1
    for status, n in (
        (EnrollmentStatus.PENDING, 2),
        (EnrollmentStatus.WAITLISTED, 3),
        (EnrollmentStatus.COMPLETED, 1),
    ):
        for _ in range(n):
            learner = UserFactory()
            RoleFactory(user=learner, university=tenants.university_a, role=Role.STUDENT)
            EnrollmentFactory(user=learner, course_offering=offering, status=status)
    unit = trees.module(trees.root(tenants.course_a1), "Unit")
    lab = trees.item(unit, "Lab", "engineering_lab")
    essay = trees.item(unit, "Essay", "assignment")
    student = tenants.enrollments["a1"].user
    submission(student, offering, lab, None, status="submitted")
    submission(student, offering, essay, None, status="submitted")
    submission(student, offering, essay, 15, 20)
    # Someone without a role at the university is not counted (nor named) as the gradebook.
    stranger = UserFactory()
    submission(stranger, offering, lab, None, status="submitted")
    thread = DiscussionThread.objects.create(
        course_offering=offering, created_by_user=student, title="Help"
    )
    post = DiscussionPost.objects.create(thread=thread, user=student, body="Answers: ...")
    PostReport.objects.create(post=post, reporter=UserFactory(), reason="cheating")
    PostReport.objects.create(
        post=post, reporter=UserFactory(), reason="spam", resolved_at=timezone.now()
    )

    (card,) = teaching_home(user=tenants.user("instructor")).cards
    o = card.offering
    assert (card.enrolled, o.pending_count, o.waitlist_count) == (2, 2, 3)
    assert (o.ungraded_count, o.open_report_count) == (2, 1)


def test_deadlines_within_two_weeks(tenants):
    now = timezone.now()
    unit = trees.module(trees.root(tenants.course_a1), "Unit")

    def at(days: float) -> str:
        return (now + timedelta(days=days)).isoformat()

    def essay(title: str, days: float, **kwargs):
        data = {**trees.payload("assignment"), "due_at": at(days)}
        return trees.item(unit, title, "assignment", data=data, **kwargs)

    soon = essay("Essay soon", 3)
    essay("Essay later", 20)
    essay("Essay past", -1)
    essay("Retired", 2, active=False)
    quiz = trees.item(unit, "Quiz", "quiz", data={**trees.payload("quiz"), "closes_at": at(1)})
    found = upcoming_deadlines(course_ids=[tenants.course_a1.pk, tenants.course_b1.pk], now=now)
    assert [d.item_id for d in found[tenants.course_a1.pk]] == [quiz.pk, soon.pk]
    assert tenants.course_b1.pk not in found
    (card,) = teaching_home(user=tenants.user("instructor"), now=now).cards
    assert [d.title for d in card.deadlines] == ["Quiz", "Essay soon"]
