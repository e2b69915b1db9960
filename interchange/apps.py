from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """Import and export of foreign formats (question banks in GIFT, Moodle XML and QTI 1.2),
    written through the apps below it; it owns one table, the course imports staff follow."""

    name = "interchange"
    default_auto_field = "django.db.models.BigAutoField"
