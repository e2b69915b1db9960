from django.apps import AppConfig


class StaffConfig(AppConfig):
    """The staff side composed from the apps below it: the admins that combine several apps
    (module authoring with content and copying, module templates, offering reruns, roles
    through the roster) are registered here, each exactly once."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "staff"
