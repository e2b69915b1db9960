"""Error reports (and, when sampled, traces) to Sentry: on only when SENTRY_DSN is set."""

from django.core.exceptions import ImproperlyConfigured


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    """Start the Sentry client for Django and Celery. No personal data is sent: no user
    e-mails, addresses, cookies or request bodies (send_default_pii off)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.utils import BadDsn

    if not 0.0 <= traces_sample_rate <= 1.0:
        raise ImproperlyConfigured(
            f"SENTRY_TRACES_SAMPLE_RATE is {traces_sample_rate}; use a number from 0 to 1."
        )
    try:
        sentry_sdk.init(
            dsn=dsn,
            environment=environment,
            traces_sample_rate=traces_sample_rate,
            send_default_pii=False,
            integrations=[DjangoIntegration(), CeleryIntegration()],
        )
    except BadDsn as exc:
        raise ImproperlyConfigured(
            f"SENTRY_DSN is not a Sentry DSN ({exc}); copy it from the project's settings, "
            "e.g. https://KEY@sentry.example.edu/3."
        ) from exc
