"""Every environment variable the settings read is described in .env.example, so an operator
finds each one in one place."""

import re

from django.conf import settings

SETTINGS = settings.BASE_DIR / "lms" / "settings.py"


def variables_read() -> set[str]:
    source = SETTINGS.read_text()
    names = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", source))
    names |= set(re.findall(r"os\.environ(?:\.get)?[\[(]\s*\"([A-Z][A-Z0-9_]+)\"", source))
    return names


def variables_documented() -> set[str]:
    text = (settings.BASE_DIR / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_every_variable_the_settings_read_is_in_env_example():
    read = variables_read()
    assert len(read) > 40
    missing = sorted(read - variables_documented())
    assert missing == [], f"add these to .env.example: {missing}"


def test_env_example_names_no_variable_the_settings_ignore():
    extra = variables_documented() - variables_read()
    # Read by gunicorn.conf.py, the start script or prometheus-client, not by the settings.
    others = {"BIND", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "PORT", "PROMETHEUS_MULTIPROC_DIR"}
    assert sorted(extra - others) == []
