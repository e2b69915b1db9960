"""Admin for countries, universities, departments, users and their roles, scoped by tenant.

A university admin manages the people of their university: they create accounts (each with at
least one role at their university), change names and roles, but not emails, passwords or the
active flag, which belong to the person's whole account across universities. Platform admins
and superusers are never listed for anyone else.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tenancy.models import Country, Department, Role, University, User, UserUniversityRole
from tenancy.scoping import TenantScopedAdmin, TenantScopedTabularInline, tenant_scope

UNIVERSITY_PATHS = {
    "university": "pk",
    "department": "departments",
    "course": "courses",
    "offering": "offerings",
}
DEPARTMENT_PATHS = {
    "university": "university",
    "department": "pk",
    "course": "courses",
    "offering": "courses__offerings",
}
# A user belongs to the universities where they hold a role or an enrollment; department
# admins see the people of their department's university (to enroll them, read-only).
USER_PATHS = {
    "university": ("university_roles__university", "enrollments__course_offering__university"),
    "department": (
        "university_roles__university__departments",
        "enrollments__course_offering__university__departments",
    ),
    "offering": "enrollments__course_offering",
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


class RoleForm(forms.ModelForm):
    class Meta:
        model = UserUniversityRole
        fields = ("user", "university", "role", "department")

    def clean(self):
        data = super().clean()
        university, department = data.get("university"), data.get("department")
        if department and university and department.university_id != university.pk:
            self.add_error("department", _("The department belongs to another university."))
        if data.get("role") == Role.DEPARTMENT_ADMIN and department is None:
            self.add_error("department", _("A department admin needs a department."))
        return data


class RoleChoicesMixin:
    """Only platform admins hand out the platform admin role."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not _sees_everything(request):
            kwargs["choices"] = [c for c in Role.choices if c[0] != Role.PLATFORM_ADMIN]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class NewUserRolesFormSet(BaseInlineFormSet):
    """A new account made by a university admin needs a role there, or they would lose it."""

    require_role = False

    def clean(self):
        super().clean()
        if not self.require_role or any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if not kept:
            raise ValidationError(_("Give the new user a role at your university."))


class RoleInline(RoleChoicesMixin, TenantScopedTabularInline):
    model = UserUniversityRole
    form = RoleForm
    formset = NewUserRolesFormSet
    tenant_paths = ROLE_PATHS
    fields = ("university", "role", "department")
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.require_role = obj is None and not _sees_everything(request)
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
        users = (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "university_roles",
                    queryset=UserUniversityRole.objects.select_related("university"),
                )
            )
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
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not _sees_everything(request):
            fields += ["email", "is_active"]
        return fields

    def user_change_password(self, request: HttpRequest, id, form_url=""):
        if not _sees_everything(request):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        return ", ".join(
            f"{row.get_role_display()} ({row.university.short_code})"
            for row in user.university_roles.all()
        )


@admin.register(UserUniversityRole)
class UserUniversityRoleAdmin(RoleChoicesMixin, TenantScopedAdmin):
    tenant_paths = ROLE_PATHS
    form = RoleForm
    list_display = ("user", "university", "role", "department", "created_at")
    list_filter = ("role", "university")
    search_fields = ("user__email", "user__full_name")
    list_select_related = ("user", "university", "department")
    autocomplete_fields = ("user",)
