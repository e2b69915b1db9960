from django.apps import AppConfig


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = "LMS"

    def ready(self) -> None:
        from lms.celery import configure_eager_mode

        configure_eager_mode()
