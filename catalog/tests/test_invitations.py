"""Invitations: issued to an address as typed, emailed once, accepted only by the account that
uses the address, all or nothing; accepting grants the role and makes the enrollment."""

import pytest
from django.core import mail
from django.utils import timezone

from catalog.models import CourseEnrollment, EnrollmentStatus, Invitation
from catalog.services import invitations
from catalog.services.invitations import InvitationRefused
from catalog.tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    OfferingFactory,
    member_of,
    staff_member,
)
from tenancy.models import Role, RoleChange, UserUniversityRole
from tenancy.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_env")]


@pytest.fixture
def offering():
    return OfferingFactory(capacity=1, term_name="Fall")


@pytest.fixture
def admin(offering):
    return staff_member(offering.course.department, Role.DEPARTMENT_ADMIN)


def invite(admin, offering, email="Guest@Y.edu", **extra):
    return invitations.invitation_create(
        actor=admin,
        university=offering.university,
        email=email,
        role=Role.STUDENT,
        offering=offering,
        **extra,
    )


def test_inviting_again_renews_the_pending_invitation_and_emails_once_per_issue(
    admin, offering, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = invite(admin, offering)
    assert invitations.invitation_email_send(invitation_id=first.pk) is False  # already sent
    with django_capture_on_commit_callbacks(execute=True):
        again = invite(admin, offering, email="guest@y.edu")
    assert again.pk == first.pk
    assert Invitation.objects.count() == 1
    assert Invitation.objects.get().email == "Guest@Y.edu"  # as first typed
    assert [m.to for m in mail.outbox] == [["Guest@Y.edu"], ["Guest@Y.edu"]]


def test_accepting_enrolls_and_grants_the_student_role(admin, offering):
    invitation = invite(admin, offering)
    guest = UserFactory(email="guest@y.edu")
    accepted = invitations.invitation_accept(user=guest, invitation_id=invitation.pk)
    assert accepted.accepted_by == guest
    assert list(
        CourseEnrollment.objects.filter(user=guest).values_list("course_offering_id", "status")
    ) == [(offering.pk, EnrollmentStatus.ACTIVE)]
    assert list(
        UserUniversityRole.objects.filter(user=guest).values_list("university_id", "role")
    ) == [(offering.university_id, Role.STUDENT)]
    change = RoleChange.objects.get(user=guest)
    assert (change.action, change.role, change.actor_id) == ("grant", Role.STUDENT, admin.pk)


def test_accepting_when_full_goes_to_the_waitlist(admin, offering):
    EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.ACTIVE)
    invitation = invite(admin, offering)
    guest = UserFactory(email="guest@y.edu")
    invitations.invitation_accept(user=guest, invitation_id=invitation.pk)
    assert CourseEnrollment.objects.get(user=guest).status == EnrollmentStatus.WAITLISTED


def test_only_the_invited_address_may_accept_and_only_once(admin, offering):
    invitation = invite(admin, offering)
    other = UserFactory(email="someone-else@y.edu")
    with pytest.raises(InvitationRefused) as refused:
        invitations.invitation_accept(user=other, invitation_id=invitation.pk)
    assert refused.value.messages == [
        "This invitation was sent to another email address. Sign in with the account that "
        "uses that address to accept it."
    ]
    assert not UserUniversityRole.objects.filter(user=other).exists()
    assert not CourseEnrollment.objects.filter(user=other).exists()
    guest = UserFactory(email="guest@y.edu")
    invitations.invitation_accept(user=guest, invitation_id=invitation.pk)
    with pytest.raises(InvitationRefused) as twice:
        invitations.invitation_accept(user=guest, invitation_id=invitation.pk)
    assert twice.value.messages == ["This invitation has already been accepted."]
    assert CourseEnrollment.objects.filter(user=guest).count() == 1


def test_an_expired_invitation_changes_nothing(admin, offering):
    invitation = invite(admin, offering)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=invitations.INVITATION_VALID_DAYS + 1)
    )
    guest = UserFactory(email="guest@y.edu")
    with pytest.raises(InvitationRefused):
        invitations.invitation_accept(user=guest, invitation_id=invitation.pk)
    assert not UserUniversityRole.objects.filter(user=guest).exists()


def test_an_enrollment_that_cannot_be_made_leaves_no_role(admin, offering):
    """Enrolled in another run of the course: the refusal names it, and nothing is written."""
    guest = member_of(CourseFactory().university, email="guest@y.edu")
    other_run = OfferingFactory(course=offering.course, term_name="Spring")
    # Made directly, without the role an enrollment's factory grants, so that any role at the
    # offering's university afterwards would be the invitation's.
    CourseEnrollment.objects.create(
        course_offering=other_run,
        user=guest,
        status=EnrollmentStatus.ACTIVE,
        enrolled_at=timezone.now(),
    )
    invitation = invite(admin, offering)
    with pytest.raises(InvitationRefused) as refused:
        invitations.invitation_accept(user=guest, invitation_id=invitation.pk)
    assert refused.value.messages == ["Enrolled in Spring of this course; drop that first."]
    assert not UserUniversityRole.objects.filter(user=guest, university=offering.university)
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_a_role_invitation_grants_the_role_with_its_department(offering):
    chief = staff_member(offering.course.department, Role.UNIVERSITY_ADMIN)
    from catalog.services import roles

    invitation = roles.university_role_invite(
        actor=chief,
        university=offering.university,
        email="boss@y.edu",
        role=Role.DEPARTMENT_ADMIN,
        department=offering.course.department,
    )
    boss = UserFactory(email="boss@y.edu")
    invitations.invitation_accept(user=boss, invitation_id=invitation.pk)
    assert list(
        UserUniversityRole.objects.filter(user=boss).values_list("role", "department_id")
    ) == [(Role.DEPARTMENT_ADMIN, offering.course.department_id)]


def test_inviting_many_takes_the_same_queries_as_inviting_a_few(
    admin, offering, django_assert_num_queries
):
    invite(admin, offering, email="again-0@y.edu")  # one renewed in each batch
    # savepoint, the university's lock, pending rows, renewals, new rows, their emails in the
    # task outbox, release
    with django_assert_num_queries(7):
        invitations.invitations_create(
            actor=admin,
            university=offering.university,
            emails=["again-0@y.edu", "a@y.edu", "b@y.edu"],
            role=Role.STUDENT,
            offering=offering,
        )
    with django_assert_num_queries(7):
        invitations.invitations_create(
            actor=admin,
            university=offering.university,
            emails=["again-0@y.edu", *(f"many-{n}@y.edu" for n in range(30))],
            role=Role.STUDENT,
            offering=offering,
        )
    assert Invitation.objects.count() == 33


def test_admins_see_and_withdraw_their_own_invitations_only(client, admin, offering):
    from django.urls import reverse

    mine = invite(admin, offering, email="mine@y.edu")
    other_offering = OfferingFactory()
    theirs = invite(
        staff_member(other_offering.course.department), other_offering, email="theirs@y.edu"
    )
    client.force_login(admin)
    listing = client.get(reverse("admin:catalog_invitation_changelist"))
    assert [row.email for row in listing.context["cl"].result_list] == ["mine@y.edu"]
    foreign = reverse("admin:catalog_invitation_delete", args=[theirs.pk])
    assert client.post(foreign, {"post": "yes"}).status_code == 404
    own = reverse("admin:catalog_invitation_delete", args=[mine.pk])
    assert client.post(own, {"post": "yes"}).status_code == 302
    assert list(Invitation.objects.values_list("email", flat=True)) == ["theirs@y.edu"]
    token_page = reverse("portal:invitation", kwargs={"token": mine.token})
    client.force_login(UserFactory(email="mine@y.edu"))
    assert client.get(token_page).status_code == 404


def test_a_withdrawn_invitation_cannot_be_accepted(admin, offering):
    invitation = invite(admin, offering)
    Invitation.objects.filter(pk=invitation.pk).delete()
    guest = UserFactory(email="guest@y.edu")
    with pytest.raises(InvitationRefused) as refused:
        invitations.invitation_accept(user=guest, invitation_id=invitation.pk)
    assert refused.value.messages == ["This invitation has been withdrawn."]
    assert not UserUniversityRole.objects.filter(user=guest).exists()
