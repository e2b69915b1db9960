"""Domains and the subject tree: shared reference data, read by every member of staff and
changed by platform admins."""

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from mptt.admin import MPTTModelAdmin

from catalog.models import Domain, Subject
from catalog.services import subject_delete
from tenancy.scoping import TenantScopedAdmin


@admin.register(Domain)
class DomainAdmin(TenantScopedAdmin):
    tenant_paths = {}
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Subject)
class SubjectAdmin(TenantScopedAdmin, MPTTModelAdmin):
    """The subject tree, indented by depth. Deleting a subject makes its children roots, as
    the schema's ON DELETE SET NULL says, instead of deleting them with it."""

    tenant_paths = {}
    list_display = ("name", "code", "domain", "depth")
    list_filter = ("domain",)
    search_fields = ("name", "code")
    list_select_related = ("domain",)
    mptt_level_indent = 24

    def delete_model(self, request: HttpRequest, obj: Subject) -> None:
        subject_delete(subject=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Subject]) -> None:
        for subject in queryset.order_by("-depth"):
            subject_delete(subject=subject)
