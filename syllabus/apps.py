from django.apps import AppConfig


class SyllabusConfig(AppConfig):
    name = "syllabus"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from syllabus.permissions import role_permissions_register

        role_permissions_register()
