from django.apps import AppConfig


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = "LMS"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from lms.celery import configure_eager_mode
        from lms.observability.context import context_clear

        configure_eager_mode()
        request_finished.connect(context_clear, dispatch_uid="lms.observability.context_clear")
