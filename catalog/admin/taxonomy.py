"""Domains and the subject tree: shared reference data, read by every member of staff and
changed by platform admins."""

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from mptt.admin import MPTTModelAdmin

from catalog.models import Domain, Subject
from catalog.services.offerings import subject_delete
from lms.admin_tree import indented_label
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
    # Django's own changelist: mptt's indents rows with inline styles, which the site's
    # Content-Security-Policy refuses; the name column indents through a class instead.
    change_list_template = None
    list_display = ("indented_name", "code", "domain", "depth")
    list_filter = ("domain",)
    search_fields = ("name", "code")
    list_select_related = ("domain",)

    @admin.display(description=gettext_lazy("Name"))
    def indented_name(self, subject: Subject) -> str:
        return indented_label(subject.name, subject.depth)

    def delete_model(self, request: HttpRequest, obj: Subject) -> None:
        subject_delete(subject=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Subject]) -> None:
        for subject in queryset.order_by("-depth"):
            subject_delete(subject=subject)
