from django.apps import AppConfig


class SyllabusConfig(AppConfig):
    name = "syllabus"
    default_auto_field = "django.db.models.BigAutoField"
