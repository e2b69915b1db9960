from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from catalog.permissions import role_permissions_register
        from catalog.scoping import tenant_scoping_register

        role_permissions_register()
        tenant_scoping_register()
