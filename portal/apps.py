from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The pages students use in the browser. Each page composes the selectors and services of
    the apps below it (catalog, syllabus, content, assessments, community) in a thin view."""

    name = "portal"
    default_auto_field = "django.db.models.BigAutoField"
