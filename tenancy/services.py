from django.core.exceptions import ValidationError
from django.db import transaction

from tenancy.models import Department, Role, University, User, UserUniversityRole


@transaction.atomic
def role_grant(
    *, user: User, university: University, role: str, department: Department | None = None
) -> UserUniversityRole:
    """Give `user` a role at `university`; granting a role they already hold is a no-op."""
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    if department is not None and department.university_id != university.pk:
        raise ValidationError({"department": "The department belongs to another university."})
    if role == Role.DEPARTMENT_ADMIN and department is None:
        raise ValidationError({"department": "A department admin needs a department."})
    row, created = UserUniversityRole.objects.get_or_create(
        user=user, university=university, role=role, defaults={"department": department}
    )
    if not created and department is not None and row.department_id != department.pk:
        row.department = department
        row.save(update_fields=["department"])
    user.__dict__.pop("role_rows", None)
    return row


@transaction.atomic
def role_revoke(*, user: User, university: University, role: str) -> int:
    deleted, _ = UserUniversityRole.objects.filter(
        user=user, university=university, role=role
    ).delete()
    user.__dict__.pop("role_rows", None)
    return deleted
