"""Sentry is on only with SENTRY_DSN, sends no personal data, and bad values stop the start
with a message."""

import json

from lms.tests.logcapture import django_process

# Nothing listens on port 9; the client only queues events, nothing is sent in these tests.
A_DSN = "https://public@127.0.0.1:9/3"
REPORT = (
    "import json, sentry_sdk; client = sentry_sdk.get_client(); o = client.options;"
    "print(json.dumps({'active': client.is_active(), 'environment': o.get('environment'),"
    " 'pii': o.get('send_default_pii'), 'traces': o.get('traces_sample_rate'),"
    " 'integrations': sorted(i for i in client.integrations if i in ('django', 'celery'))}))"
)


def report(**env: str) -> dict:
    result = django_process(REPORT, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_dsn_nothing_is_reported():
    assert report(SENTRY_DSN="")["active"] is False


def test_a_dsn_turns_on_django_and_celery_reports_without_personal_data():
    assert report(SENTRY_DSN=A_DSN, DJANGO_ENV="development") == {
        "active": True,
        "environment": "development",
        "pii": False,
        "traces": 0.0,
        "integrations": ["celery", "django"],
    }


def test_environment_and_trace_rate_come_from_the_environment():
    found = report(SENTRY_DSN=A_DSN, SENTRY_ENVIRONMENT="staging", SENTRY_TRACES_SAMPLE_RATE="0.25")
    assert (found["environment"], found["traces"]) == ("staging", 0.25)


def test_bad_values_stop_the_start_with_a_message():
    for env, message in [
        ({"SENTRY_DSN": "not a dsn"}, "SENTRY_DSN is not a Sentry DSN"),
        ({"SENTRY_DSN": A_DSN, "SENTRY_TRACES_SAMPLE_RATE": "2"}, "use a number from 0 to 1"),
        ({"SENTRY_DSN": A_DSN, "SENTRY_TRACES_SAMPLE_RATE": "often"}, "is not a number"),
    ]:
        result = django_process(**env)
        assert result.returncode == 1, env
        assert message in result.stderr, result.stderr
