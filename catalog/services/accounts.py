"""Accounts created from a roster: the set-password email that lets such a person in, sent by a
Celery task from the task outbox once the roster change commits.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from catalog.models import CourseOffering
from lms import outbox
from lms.mail import localized_mail_send, recipient_language
from tenancy.models import User


def account_invitations_enqueue(user_ids: list[int], offering_id: int) -> None:
    """In the transaction of the roster change: each new account's invitation is sent once it
    commits, or once the broker is back (the task outbox)."""
    outbox.enqueue_many(
        "catalog.tasks.account_invitation_task",
        [
            ((user_id, offering_id), {}, f"account-invitation:{offering_id}:{user_id}")
            for user_id in user_ids
        ],
    )


def account_invitation_send(*, user_id: int, offering_id: int) -> bool:
    """Email a person whose account was created from a roster a link to choose a password.
    Only while the account was never used (no usable password, never logged in): a task run
    again after they set their password sends nothing. Returns whether an email went out."""
    user = User.objects.filter(pk=user_id, last_login__isnull=True, is_active=True).first()
    offering = (
        CourseOffering.objects.select_related("course", "university").filter(pk=offering_id).first()
    )
    if user is None or offering is None or user.has_usable_password():
        return False
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    localized_mail_send(
        to=user.email,
        language=recipient_language(user),
        subject=lambda: (
            _("Your account at %(university)s") % {"university": offering.university.name}
        ),
        template="catalog/email/account_invitation.txt",
        context={
            "user": user,
            "offering": offering,
            "url": f"{settings.SITE_URL.rstrip('/')}{path}",
        },
    )
    return True
