from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data; sits above every other app, so it may use all their services."""

    name = "demo"
    default_auto_field = "django.db.models.BigAutoField"
