"""The task outbox in the admin, for platform admins: what waits to be sent or did not finish
(lms/outbox.py), and sending a stuck task again once its cause is fixed."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lms import outbox
from lms.models import OutboxTask


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    list_display = ("task", "args", "key", "run_after", "sent_at", "sends", "last_error")
    list_filter = ("task",)
    search_fields = ("key", "task")
    ordering = ("run_after", "id")
    actions = ["send_again"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and getattr(request.user, "is_platform_admin", False)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    @admin.action(description=_("Send these tasks again now"), permissions=["view"])
    def send_again(self, request, queryset) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        with transaction.atomic():
            OutboxTask.objects.filter(pk__in=ids).update(sent_at=None, sends=0)
        sent = outbox.send_all(ids)
        self.message_user(
            request,
            ngettext("%(n)d task sent.", "%(n)d tasks sent.", sent) % {"n": sent},
            messages.SUCCESS if sent == len(ids) else messages.WARNING,
        )
