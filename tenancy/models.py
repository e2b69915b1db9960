from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from lms.db import TimestampedModel, created_at_field, enum_check


class Country(models.Model):
    iso_code = models.CharField(max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2 code."))
    name = models.CharField(max_length=255)
    region_name = models.CharField(max_length=255, null=True, blank=True)

    class Meta:
        db_table = "countries"
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return f"{self.name} ({self.iso_code})"


class University(TimestampedModel):
    name = models.CharField(max_length=255)
    short_code = models.CharField(max_length=64)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, db_index=False)
    time_zone = models.CharField(max_length=64, default="UTC", db_default="UTC")
    website_url = models.CharField(max_length=512, null=True, blank=True)
    is_active = models.BooleanField(default=True, db_default=True)

    class Meta:
        db_table = "universities"
        ordering = ["name"]
        verbose_name_plural = "universities"
        constraints = [
            models.UniqueConstraint(fields=["short_code"], name="ux_universities_short_code"),
        ]
        indexes = [models.Index(fields=["country"], name="ix_universities_country_id")]

    def __str__(self) -> str:
        return self.name


class Department(TimestampedModel):
    university = models.ForeignKey(
        University, on_delete=models.CASCADE, related_name="departments", db_index=False
    )
    name = models.CharField(max_length=255)
    code = models.CharField(max_length=64)

    class Meta:
        db_table = "departments"
        ordering = ["university__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["university", "code"], name="ux_departments_university_code"
            ),
        ]
        indexes = [models.Index(fields=["university"], name="ix_departments_university_id")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class LowercaseEmailField(models.EmailField):
    """An e-mail address kept in lower case however it comes in (sign-up, the admin, roster
    files, invitations, code), and looked up the same way, so one person has one account and
    "Ana@Uni.edu" finds "ana@uni.edu"."""

    @staticmethod
    def _lower(value):
        return value.strip().lower() if isinstance(value, str) else value

    def to_python(self, value):
        return self._lower(super().to_python(value))

    def get_prep_value(self, value):
        return self._lower(super().get_prep_value(value))

    def pre_save(self, model_instance, add):
        value = self._lower(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Platform user; logs in by email. The password hash lives in `password_hash`."""

    email = LowercaseEmailField(max_length=255, unique=True)
    full_name = models.CharField(max_length=255)
    password = models.CharField(_("password"), max_length=255, db_column="password_hash")
    locale = models.CharField(max_length=16, default="en", db_default="en")
    time_zone = models.CharField(max_length=64, default="UTC", db_default="UTC")
    is_active = models.BooleanField(default=True, db_default=True)
    created_at = created_at_field()
    updated_at = models.DateTimeField(auto_now=True, db_default=models.functions.Now())

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        db_table = "users"
        ordering = ["email"]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def role_rows(self) -> list[tuple[int, str, int | None]]:
        """(university_id, role, department_id) for every role the user holds, loaded once."""
        if not self.pk:
            return []
        return list(self.university_roles.values_list("university_id", "role", "department_id"))

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or any(r == Role.PLATFORM_ADMIN for _, r, _ in self.role_rows)

    @property
    def is_staff(self) -> bool:
        """Staff are the users who may use the admin: anyone holding a non-student role."""
        return self.is_active and (
            self.is_superuser or any(r in Role.staff_roles() for _, r, _ in self.role_rows)
        )


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    INSTRUCTOR = "instructor", _("Instructor")
    TA = "ta", _("Teaching assistant")
    DEPARTMENT_ADMIN = "department_admin", _("Department admin")
    UNIVERSITY_ADMIN = "university_admin", _("University admin")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")

    @classmethod
    def staff_roles(cls) -> frozenset[str]:
        return frozenset(
            {cls.INSTRUCTOR, cls.TA, cls.DEPARTMENT_ADMIN, cls.UNIVERSITY_ADMIN, cls.PLATFORM_ADMIN}
        )


class UserUniversityRole(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="university_roles", db_index=False
    )
    university = models.ForeignKey(
        University, on_delete=models.CASCADE, related_name="user_roles", db_index=False
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="user_roles"
    )
    created_at = created_at_field()

    class Meta:
        db_table = "user_university_roles"
        ordering = ["university__name", "user__email", "role"]
        verbose_name = _("role at a university")
        verbose_name_plural = _("roles at universities")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "university", "role"], name="ux_user_university_role"
            ),
            enum_check("role", Role, "user_university_roles_role_valid"),
        ]
        indexes = [
            models.Index(fields=["university"], name="ix_user_university_roles_university_id"),
        ]

    def __str__(self) -> str:
        return f"{self.user.email}: {self.get_role_display()} at {self.university.short_code}"


class RoleChangeAction(models.TextChoices):
    GRANT = "grant", _("Granted")
    REVOKE = "revoke", _("Revoked")


class RoleChange(models.Model):
    """One grant or revoke of a role: who did it, when, to whom, what. Rows are kept when the
    people are deleted (their emails are copied), so the record outlives the accounts."""

    university = models.ForeignKey(
        University, on_delete=models.CASCADE, related_name="role_changes", db_index=False
    )
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="role_changes"
    )
    user_email = models.CharField(_("person"), max_length=255)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="role_changes_made"
    )
    actor_email = models.CharField(_("by"), max_length=255, blank=True, default="")
    action = models.CharField(max_length=16, choices=RoleChangeAction.choices)
    role = models.CharField(max_length=32, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = created_at_field()

    class Meta:
        db_table = "role_changes"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        constraints = [
            enum_check("action", RoleChangeAction, "role_changes_action_valid"),
            enum_check("role", Role, "role_changes_role_valid"),
        ]
        indexes = [
            models.Index(fields=["university", "-created_at"], name="ix_role_changes_university"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.get_role_display()}: {self.user_email}"
