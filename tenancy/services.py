from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tenancy.access import forget_tenant_scope
from tenancy.models import Department, Role, University, User, UserUniversityRole


def role_check(*, university: University | None, role: str | None, department: Department | None):
    """The rules every role row obeys, raised per field; forms call it too, so the admin's
    messages and the service's refusals are the same."""
    errors = {}
    if role is not None and role not in Role.values:
        errors["role"] = f"Unknown role {role!r}."
    elsewhere = university is not None and department is not None
    if elsewhere and department.university_id != university.pk:
        errors["department"] = "The department belongs to another university."
    elif role == Role.DEPARTMENT_ADMIN and department is None:
        errors["department"] = "A department admin needs a department."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def role_grant(
    *, user: User, university: University, role: str, department: Department | None = None
) -> UserUniversityRole:
    """Give `user` a role at `university`; granting a role they already hold is a no-op.

    What was loaded about the user's roles (their scope and permissions) is forgotten, so the
    same user object sees the change at once."""
    role_check(university=university, role=role, department=department)
    row, created = UserUniversityRole.objects.get_or_create(
        user=user, university=university, role=role, defaults={"department": department}
    )
    if not created and department is not None and row.department_id != department.pk:
        row.department = department
        row.save(update_fields=["department"])
    forget_tenant_scope(user)
    return row


@transaction.atomic
def role_revoke(*, user: User, university: University, role: str) -> int:
    deleted, _ = UserUniversityRole.objects.filter(
        user=user, university=university, role=role
    ).delete()
    forget_tenant_scope(user)
    return deleted


def user_register(*, email: str, full_name: str, password: str) -> User:
    """Create a learner account. Two sign-ups racing for one email get one account and one
    clear error, never a 500."""
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, full_name=full_name)
    except IntegrityError as error:
        raise ValidationError({"email": "An account with this email already exists."}) from error


@transaction.atomic
def profile_update(*, user: User, full_name: str, locale: str, time_zone: str) -> User:
    if time_zone not in available_timezones():
        raise ValidationError({"time_zone": f"Unknown time zone {time_zone!r}."})
    if not full_name.strip():
        raise ValidationError({"full_name": "A name is required."})
    user.full_name = full_name
    user.locale = locale
    user.time_zone = time_zone
    user.save(update_fields=["full_name", "locale", "time_zone", "updated_at"])
    return user
