"""Invitations: how staff of a university add someone who holds no role there.

A CSV row or a "Grant a role" for such a person never enrolls them or grants anything, and it
answers the same whether or not an account uses the address: an invitation goes to the
address as it was typed. The person accepts it while signed in to the account that uses that
address; only then are the role and the enrollment created, through the usual services
(tenancy.services.role_grant and the roster's own enrollment), and only then do the staff see
their name. Until then the roster and the roles page show the address as typed.
"""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import CourseOffering, Invitation
from catalog.services import roster_csv
from catalog.services.enrollment import _lock_offering
from lms import links, outbox
from lms.mail import localized_mail_send, recipient_language
from tenancy.models import Department, Role, University, User
from tenancy.services import role_check, role_grant

INVITATION_VALID_DAYS = 30


class InvitationRefused(ValidationError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="invitation_refused")


def invitation_url(invitation: Invitation) -> str:
    return links.page_url("invitation", token=invitation.token)


@transaction.atomic
def invitations_create(
    *,
    actor: User,
    university: University,
    emails: list[str],
    role: str,
    department: Department | None = None,
    offering: CourseOffering | None = None,
) -> list[Invitation]:
    """Invite each of `emails` (kept as typed) to `role` at `university`, or into `offering` as
    a student, in a constant number of queries. Inviting an address again while its invitation
    is pending renews that one and sends it again. The caller has checked that `actor` may add
    people there; the emails go out once the transaction commits."""
    role_check(university=university, role=role, department=department)
    if role != Role.DEPARTMENT_ADMIN:
        department = None
    # One inviter at a time per university, so the same address invited twice at once gets one
    # pending invitation. Locks are taken offering, university, invitation, in that order.
    University.objects.select_for_update().only("pk").get(pk=university.pk)
    typed = {email.strip().lower(): email.strip() for email in emails}
    pending = {
        invitation.email.lower(): invitation
        for invitation in Invitation.objects.select_for_update()
        .annotate(email_lower=Lower("email"))
        .filter(
            university=university,
            email_lower__in=list(typed),
            role=role,
            course_offering=offering,
            accepted_at__isnull=True,
        )
    }
    now = timezone.now()
    renewed = list(pending.values())
    for invitation in renewed:
        invitation.invited_by, invitation.department = actor, department
        invitation.created_at, invitation.emailed_at = now, None
    Invitation.objects.bulk_update(
        renewed, ["invited_by", "department", "created_at", "emailed_at"]
    )
    fresh = Invitation.objects.bulk_create(
        [
            Invitation(
                university=university,
                email=email,
                role=role,
                department=department,
                course_offering=offering,
                token=secrets.token_urlsafe(32),
                invited_by=actor,
                created_at=now,
            )
            for key, email in typed.items()
            if key not in pending
        ]
    )
    done = renewed + fresh
    if done:
        _enqueue_emails([invitation.pk for invitation in done])
    return done


def invitation_create(
    *,
    actor: User,
    university: University,
    email: str,
    role: str,
    department: Department | None = None,
    offering: CourseOffering | None = None,
) -> Invitation:
    """One invitation; see invitations_create."""
    (invitation,) = invitations_create(
        actor=actor,
        university=university,
        emails=[email],
        role=role,
        department=department,
        offering=offering,
    )
    return invitation


def _enqueue_emails(invitation_ids: list[int]) -> None:
    """In the invitations' transaction: their emails go once it commits (the task outbox)."""
    outbox.enqueue_many(
        "catalog.tasks.invitation_email_task",
        [((pk,), {}, f"invitation-email:{pk}") for pk in invitation_ids],
    )


@transaction.atomic
def invitation_email_send(*, invitation_id: int) -> bool:
    """Email a pending invitation that has not been emailed since it was (re)issued; a second
    run sends nothing. Returns whether an email went out."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("university", "course_offering__course", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, emailed_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    # The address may belong to nobody yet: the site's language.
    localized_mail_send(
        to=invitation.email,
        language=recipient_language(None),
        subject=lambda: (
            _("An invitation from %(university)s") % {"university": invitation.university.name}
        ),
        template="catalog/email/invitation.txt",
        context={
            "invitation": invitation,
            "url": invitation_url(invitation),
            "days": INVITATION_VALID_DAYS,
        },
    )
    invitation.emailed_at = timezone.now()
    invitation.save(update_fields=["emailed_at"])
    return True


def invitation_is_expired(invitation: Invitation, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return invitation.created_at + timedelta(days=INVITATION_VALID_DAYS) < now


def invitation_problem(invitation: Invitation, user: User) -> str:
    """Why `user` cannot accept `invitation` now; empty when they can."""
    if invitation.accepted_at is not None:
        return _("This invitation has already been accepted.")
    if invitation_is_expired(invitation):
        return _("This invitation has expired; ask the university to send a new one.")
    if invitation.email.strip().lower() != user.email.lower():
        return _(
            "This invitation was sent to another email address. Sign in with the account that "
            "uses that address to accept it."
        )
    return ""


@transaction.atomic
def invitation_accept(*, user: User, invitation_id: int, now: datetime | None = None) -> Invitation:
    """Accept an invitation as `user`: grant the role, and for an offering enroll them (a seat
    while there is one, the waitlist after that, as the CSV would). All or nothing: an
    enrollment that cannot be made (prerequisites, another run of the course) leaves no role."""
    now = now or timezone.now()
    offering_ids = list(
        Invitation.objects.filter(pk=invitation_id).values_list("course_offering_id", flat=True)
    )
    offering = _lock_offering(offering_ids[0]) if offering_ids and offering_ids[0] else None
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("university", "department", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise InvitationRefused(_("This invitation has been withdrawn."))
    problem = invitation_problem(invitation, user)
    if problem:
        raise InvitationRefused(problem)
    role_grant(
        user=user,
        university=invitation.university,
        role=invitation.role,
        department=invitation.department,
        actor=invitation.invited_by,
    )
    if offering is not None:
        rows = [roster_csv.CsvRow(line=1, email=user.email, name=user.full_name)]
        plan = roster_csv.roster_csv_plan(offering=offering, rows=rows)
        if not plan.is_valid:
            raise InvitationRefused(plan.errors[0].message)
        roster_csv.roster_plan_carry_out(offering=offering, plan=plan, now=now)
    invitation.accepted_at, invitation.accepted_by = now, user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation
