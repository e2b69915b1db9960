from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms import outbox
from lms.mail import localized_mail_send, recipient_language
from tenancy.access import forget_tenant_scope
from tenancy.models import (
    Department,
    Role,
    RoleChange,
    RoleChangeAction,
    University,
    User,
    UserUniversityRole,
)


def role_check(
    *, university: University | None, role: str | None, department: Department | None
) -> None:
    """The rules every role row obeys, raised per field; forms call it too, so the admin's
    messages and the service's refusals are the same."""
    errors = {}
    if role is not None and role not in Role.values:
        errors["role"] = f"Unknown role {role!r}."
    if (
        university is not None
        and department is not None
        and department.university_id != university.pk
    ):
        errors["department"] = "The department belongs to another university."
    elif role == Role.DEPARTMENT_ADMIN and department is None:
        errors["department"] = "A department admin needs a department."
    if errors:
        raise ValidationError(errors)


def _record(
    *,
    action: str,
    actor: User | None,
    user: User,
    university: University,
    role: str,
    department: Department | None,
) -> None:
    RoleChange.objects.create(
        university=university,
        user=user,
        user_email=user.email,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_email=actor.email if actor is not None and actor.is_authenticated else "",
        action=action,
        role=role,
        department=department,
    )


@transaction.atomic
def role_grant(
    *,
    user: User,
    university: University,
    role: str,
    department: Department | None = None,
    actor: User | None = None,
) -> UserUniversityRole:
    """Give `user` a role at `university`; granting a role they already hold is a no-op.
    Every grant that changes something is recorded in role_changes, with `actor`.

    What was loaded about the user's roles (their scope and permissions) is forgotten, so the
    same user object sees the change at once."""
    role_check(university=university, role=role, department=department)
    row, created = UserUniversityRole.objects.get_or_create(
        user=user, university=university, role=role, defaults={"department": department}
    )
    changed = created
    if not created and department is not None and row.department_id != department.pk:
        row.department = department
        row.save(update_fields=["department"])
        changed = True
    if changed:
        _record(
            action=RoleChangeAction.GRANT,
            actor=actor,
            user=user,
            university=university,
            role=role,
            department=row.department,
        )
    forget_tenant_scope(user)
    return row


@transaction.atomic
def role_revoke(*, user: User, university: University, role: str, actor: User | None = None) -> int:
    """Take a role away; recorded in role_changes when there was one to take."""
    rows = list(
        UserUniversityRole.objects.select_for_update().filter(
            user=user, university=university, role=role
        )
    )
    deleted, _ = UserUniversityRole.objects.filter(pk__in=[row.pk for row in rows]).delete()
    for row in rows:
        _record(
            action=RoleChangeAction.REVOKE,
            actor=actor,
            user=user,
            university=university,
            role=role,
            department=row.department,
        )
    forget_tenant_scope(user)
    return deleted


# What sign-up answers for an address that has an account: it does not confirm the account to
# whoever typed it; the owner learns of the attempt by email instead.
SIGNUP_ADDRESS_REFUSED = gettext_lazy(
    "This address cannot be used to sign up; if it is yours, log in or reset your password."
)


def user_register(*, email: str, full_name: str, password: str, time_zone: str = "UTC") -> User:
    """Create a learner account in `time_zone`. For an address that has an account (two
    sign-ups racing for one email included) nothing is created, the owner is told by email that
    someone tried, and the refusal names no account: never a 500."""
    time_zone_check(time_zone)
    email = email.strip().lower()
    if not User.objects.filter(email__iexact=email).exists():
        try:
            with transaction.atomic():
                return User.objects.create_user(
                    email=email, password=password, full_name=full_name, time_zone=time_zone
                )
        except IntegrityError:
            pass
    _signup_attempt_notify(email)
    raise ValidationError({"email": SIGNUP_ADDRESS_REFUSED})


def _signup_attempt_notify(email: str) -> None:
    owner = User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
    if owner is not None:
        outbox.enqueue("tenancy.tasks.signup_attempt_notice_task", owner)


def signup_attempt_notice_send(*, user_id: int) -> bool:
    """Tell the owner of an address that someone tried to sign up with it, and how to get back
    in; returns whether an email went out (none for an account since deleted)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    site_url = settings.SITE_URL.rstrip("/")
    localized_mail_send(
        to=user.email,
        language=recipient_language(user),
        subject=lambda: _("Someone tried to sign up with your email address"),
        template="accounts/email/signup_attempt.txt",
        context={
            "user": user,
            "login_url": site_url + reverse("accounts:login"),
            "reset_url": site_url + reverse("accounts:password-reset"),
        },
    )
    return True


@transaction.atomic
def time_zone_check(time_zone: str) -> None:
    if time_zone not in available_timezones():
        raise ValidationError({"time_zone": _("Unknown time zone %(zone)r.") % {"zone": time_zone}})


def profile_update(*, user: User, full_name: str, locale: str, time_zone: str) -> User:
    time_zone_check(time_zone)
    if not full_name.strip():
        raise ValidationError({"full_name": "A name is required."})
    user.full_name = full_name
    user.locale = locale
    user.time_zone = time_zone
    user.save(update_fields=["full_name", "locale", "time_zone", "updated_at"])
    return user
