"""Admin for countries, universities, departments, users and their roles, scoped by tenant.

A university admin manages the people of their university: they change names and roles, but
not emails, passwords or the active flag, which belong to the person's whole account across
universities. They do not create accounts: an add page would answer differently for an address
an account already uses, so people join a university by invitation (the roles page and the
roster's CSV, in catalog), and create their account themselves if they need one. They see only
people who hold a role at their university, and a person who also holds a role elsewhere has
a read-only profile for them (tenancy.access.can_edit_profile). Platform admins
and superusers are never listed for anyone else.

Roles, in the role admin and on a user's page alike, are granted and revoked through
`RoleWrites`: here tenancy.services, and in the role admin registered above catalog, the
roster's services, which also take a person who loses their teaching role off the
university's offerings (tenancy sits below catalog and cannot call them itself).
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tenancy.access import can_edit_profile, staffed_university_ids, tenant_scope
from tenancy.models import (
    Country,
    Department,
    Role,
    RoleChange,
    University,
    User,
    UserUniversityRole,
)
from tenancy.scoping import TenantScopedAdmin, TenantScopedTabularInline
from tenancy.services import role_check, role_grant, role_revoke

# Those who teach see the university and department of their courses: catalog adds the paths
# to its courses and offerings (catalog.scoping, tenancy.scoping.register_tenant_paths).
UNIVERSITY_PATHS = {"university": "pk", "department": "departments"}
DEPARTMENT_PATHS = {"university": "university", "department": "pk"}
# A person's name and profile are seen by the staff of the universities where the person holds a
# role (tenancy.access.visible_people_q), never through an enrollment someone else made; a
# department admin sees the people of their department's university (read-only).
USER_PATHS = {
    "university": "university_roles__university",
    "department": "university_roles__university__departments",
}
ROLE_PATHS = {"university": "university"}


def _sees_everything(request: HttpRequest) -> bool:
    return tenant_scope(request.user).everything


@admin.register(Country)
class CountryAdmin(TenantScopedAdmin):
    tenant_paths = {}
    list_display = ("name", "iso_code", "region_name")
    list_filter = ("region_name",)
    search_fields = ("name", "iso_code")


@admin.register(University)
class UniversityAdmin(TenantScopedAdmin):
    tenant_paths = UNIVERSITY_PATHS
    list_display = ("name", "short_code", "country", "time_zone", "is_active")
    list_filter = ("is_active", "country")
    search_fields = ("name", "short_code")
    list_select_related = ("country",)
    autocomplete_fields = ("country",)


@admin.register(Department)
class DepartmentAdmin(TenantScopedAdmin):
    tenant_paths = DEPARTMENT_PATHS
    list_display = ("name", "code", "university")
    list_filter = ("university",)
    search_fields = ("name", "code", "university__short_code")
    list_select_related = ("university",)


class RoleWrites:
    """How the admin grants and revokes roles. `check_revoke` raises (PermissionDenied or
    ValidationError) when `actor` may not take `row` away, so forms can refuse before saving."""

    def check_revoke(self, *, actor: User, row: UserUniversityRole) -> None:
        return None

    def grant(
        self,
        *,
        actor: User,
        user: User,
        university: University,
        role: str,
        department: Department | None,
    ) -> UserUniversityRole:
        return role_grant(
            user=user, university=university, role=role, department=department, actor=actor
        )

    def revoke(self, *, actor: User, row: UserUniversityRole) -> int:
        return role_revoke(user=row.user, university=row.university, role=row.role, actor=actor)


def role_writes(admin_site) -> RoleWrites:
    """The writes of the role admin registered on `admin_site`."""
    return admin_site.get_model_admin(UserUniversityRole).role_writes


def _identity(row: UserUniversityRole) -> tuple:
    return (row.user_id, row.university_id, row.role)


def role_row_save(writes: RoleWrites, actor: User, row: UserUniversityRole) -> UserUniversityRole:
    """Save a role row from a form through `writes`: a new row is a grant; a row whose person,
    university or role changed is a grant of the new one and then a revoke of the old (in that
    order, so someone who goes from instructor to TA never stops teaching)."""
    original = UserUniversityRole.objects.filter(pk=row.pk).select_related("user", "university")
    original = original.first() if row.pk else None
    saved = writes.grant(
        actor=actor,
        user=row.user,
        university=row.university,
        role=row.role,
        department=row.department,
    )
    if original is not None and _identity(original) != _identity(saved):
        writes.revoke(actor=actor, row=original)
    return saved


class RoleForm(forms.ModelForm):
    """A role row; the rules are tenancy.services.role_check, and taking the old role away
    must be allowed (`writes` and `actor` are set by the admin)."""

    writes: RoleWrites = RoleWrites()
    actor: User | None = None

    class Meta:
        model = UserUniversityRole
        fields = ("user", "university", "role", "department")

    def clean(self):
        data = super().clean()
        try:
            role_check(
                university=data.get("university"),
                role=data.get("role"),
                department=data.get("department"),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        original = self.instance
        if original.pk and self.actor is not None and self.has_changed():
            stored = UserUniversityRole.objects.select_related("user", "university").get(
                pk=original.pk
            )
            changed = (
                data.get("user", stored.user),
                data.get("university"),
                data.get("role"),
            )
            if changed != (stored.user, stored.university, stored.role):
                refusal = revoke_refusal(self.writes, self.actor, stored)
                if refusal:
                    self.add_error(None, refusal)
        return data


def revoke_refusal(writes: RoleWrites, actor: User, row: UserUniversityRole) -> str:
    """Why `actor` may not take `row` away; empty when they may."""
    try:
        writes.check_revoke(actor=actor, row=row)
    except ValidationError as error:
        return " ".join(error.messages)
    except PermissionDenied as error:
        return str(error) or _("You may not change this role.")
    return ""


class RoleChoicesMixin:
    """Only platform admins hand out the platform admin role."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not _sees_everything(request):
            kwargs["choices"] = [c for c in Role.choices if c[0] != Role.PLATFORM_ADMIN]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class UserRolesFormSet(BaseInlineFormSet):
    """A role removed on a user's page must be one the user may take away."""

    writes: RoleWrites = RoleWrites()
    actor: User | None = None

    def clean(self):
        super().clean()
        if any(self.errors) or self.actor is None:
            return
        for form in self.deleted_forms:
            if form.instance.pk:
                refusal = revoke_refusal(self.writes, self.actor, form.instance)
                if refusal:
                    raise ValidationError(refusal)


class RoleInline(RoleChoicesMixin, TenantScopedTabularInline):
    model = UserUniversityRole
    form = RoleForm
    formset = UserRolesFormSet
    tenant_paths = ROLE_PATHS
    fields = ("university", "role", "department")
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        writes = role_writes(self.admin_site)
        formset.writes = writes
        formset.actor = request.user
        formset.form = type(
            formset.form.__name__, (formset.form,), {"writes": writes, "actor": request.user}
        )
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("university", "department")


class UserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("An account with this email already exists."))
        return email


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "locale", "time_zone", "is_active", "is_superuser")


@admin.register(User)
class UserAdmin(TenantScopedAdmin, DjangoUserAdmin):
    tenant_paths = USER_PATHS
    form = UserEditForm
    add_form = UserAddForm
    inlines = (RoleInline,)
    list_display = ("email", "full_name", "roles", "is_active", "created_at")
    list_filter = ("is_active", "university_roles__role", "university_roles__university")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    filter_horizontal = ()
    readonly_fields = ("created_at", "last_login")
    add_fieldsets = (
        (None, {"fields": ("email", "full_name", "usable_password", "password1", "password2")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        roles = UserUniversityRole.objects.select_related("university")
        if not _sees_everything(request):
            # The roles column shows what the person holds where the admin works, not elsewhere.
            roles = roles.filter(university_id__in=sorted(staffed_university_ids(request.user)))
        users = (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("university_roles", queryset=roles, to_attr="shown_roles"))
        )
        if _sees_everything(request):
            return users
        admins = UserUniversityRole.objects.filter(role=Role.PLATFORM_ADMIN).values("user_id")
        return users.exclude(Q(is_superuser=True) | Q(pk__in=admins))

    def get_fieldsets(self, request: HttpRequest, obj=None):
        if obj is None:
            return self.add_fieldsets
        account = ["email", "password"] if _sees_everything(request) else ["email"]
        access = ["is_active", "is_superuser"] if _sees_everything(request) else ["is_active"]
        return (
            (None, {"fields": account}),
            (_("Profile"), {"fields": ("full_name", "locale", "time_zone")}),
            (_("Access"), {"fields": (*access, "last_login", "created_at")}),
        )

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        """Email and the active flag belong to the whole account; the profile too, unless
        every role the person holds is at a university the admin runs."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not _sees_everything(request):
            fields += ["email", "is_active"]
            if not can_edit_profile(request.user, obj):
                fields += ["full_name", "locale", "time_zone"]
        return fields

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not UserUniversityRole:
            super().save_formset(request, form, formset, change)
            return
        writes = role_writes(self.admin_site)
        # What the change message and the history record read after a save.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                writes.revoke(actor=request.user, row=deleted.instance)
                formset.deleted_objects.append(deleted.instance)
        for row_form in formset.forms:
            if row_form in formset.deleted_forms or not row_form.has_changed():
                continue
            row = row_form.save(commit=False)
            row.user = form.instance
            is_new = row.pk is None
            saved = role_row_save(writes, request.user, row)
            if is_new:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, row_form.changed_data))

    def user_change_password(self, request: HttpRequest, id, form_url=""):
        if not _sees_everything(request):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        return ", ".join(
            f"{row.get_role_display()} ({row.university.short_code})"
            for row in getattr(user, "shown_roles", ())
        )


class UserUniversityRoleAdmin(RoleChoicesMixin, TenantScopedAdmin):
    tenant_paths = ROLE_PATHS
    form = RoleForm
    role_writes: RoleWrites = RoleWrites()
    list_display = ("user", "university", "role", "department", "created_at")
    list_filter = ("role", "university")
    search_fields = ("user__email", "user__full_name")
    list_select_related = ("user", "university", "department")
    autocomplete_fields = ("user",)

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"writes": self.role_writes, "actor": request.user})

    def get_deleted_objects(self, objs, request: HttpRequest):
        """The delete pages list the rows the user may not take away (their own university
        admin role, say) with the reason, and refuse to go on."""
        deleted, counts, refused, protected = super().get_deleted_objects(objs, request)
        for row in objs:
            refusal = revoke_refusal(self.role_writes, request.user, row)
            if refusal:
                refused.add(f"{row}: {refusal}")
        return deleted, counts, refused, protected

    def save_model(self, request: HttpRequest, obj: UserUniversityRole, form, change) -> None:
        saved = role_row_save(self.role_writes, request.user, obj)
        obj.pk, obj.created_at = saved.pk, saved.created_at

    def delete_model(self, request: HttpRequest, obj: UserUniversityRole) -> None:
        self.role_writes.revoke(actor=request.user, row=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        rows = list(queryset.select_related("user", "university"))
        refusals = [revoke_refusal(self.role_writes, request.user, row) for row in rows]
        refused = [text for text in refusals if text]
        if refused:
            raise PermissionDenied(refused[0])
        for row in rows:
            self.role_writes.revoke(actor=request.user, row=row)


@admin.register(RoleChange)
class RoleChangeAdmin(TenantScopedAdmin):
    """The record of role grants and revokes at the admin's universities; nobody edits it."""

    tenant_paths = ROLE_PATHS
    list_display = ("created_at", "action", "role", "user_email", "department", "actor_email")
    list_filter = ("action", "role", "university")
    search_fields = ("user_email", "actor_email")
    list_select_related = ("university", "department")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
