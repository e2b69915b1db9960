from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "tenancy"
    verbose_name = _("Universities and people")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tenancy.permissions import role_permissions_register

        role_permissions_register()
