"""The production profile: `check --deploy` is clean with nothing but a secret key, and a start
without one stops with a message that says what to do."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
A_KEY = "k" * 20 + "-production-only-" + "z" * 20


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "EMAIL_", "SECURE_"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_setting(name: str, **env: str) -> str:
    script = f"from django.conf import settings; print(repr(settings.{name}))"
    return manage("shell", "--no-imports", "-c", script, **env).stdout.strip().splitlines()[-1]


def test_check_deploy_is_clean_under_the_production_profile():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=A_KEY,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_development_profile_is_not_deploy_clean():
    result = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_ENV="development")
    assert result.returncode == 1
    for check in ("mail.E001", "security.W004", "security.W008", "security.W012"):
        assert check in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_ENV="production")
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


def test_production_defaults_are_the_safe_ones():
    env = {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": A_KEY}
    assert read_setting("SECURE_SSL_REDIRECT", **env) == "True"
    assert read_setting("SESSION_COOKIE_SECURE", **env) == "True"
    assert read_setting("CSRF_COOKIE_SECURE", **env) == "True"
    assert read_setting("SECURE_HSTS_SECONDS", **env) == "31536000"
    assert read_setting("MAILERS['default']['BACKEND']", **env) == (
        "'django.core.mail.backends.smtp.EmailBackend'"
    )


def test_each_default_is_overridden_by_its_variable():
    env = {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": A_KEY,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "60",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    }
    assert read_setting("SECURE_SSL_REDIRECT", **env) == "False"
    assert read_setting("SECURE_HSTS_SECONDS", **env) == "60"
    assert read_setting("SECURE_PROXY_SSL_HEADER", **env) == ("('HTTP_X_FORWARDED_PROTO', 'https')")


def test_a_proxy_header_without_its_value_is_refused_clearly():
    result = manage(
        "check",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=A_KEY,
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
    )
    assert result.returncode == 1
    assert "DJANGO_SECURE_PROXY_SSL_HEADER takes a header and a value" in result.stderr


def test_production_caches_in_redis_shared_by_every_node():
    env = {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": A_KEY,
        "REDIS_URL": "redis://127.0.0.1:6379/7",
    }
    assert read_setting("CACHES['default']", **env) == (
        "{'BACKEND': 'django.core.cache.backends.redis.RedisCache', "
        "'LOCATION': 'redis://127.0.0.1:6379/7'}"
    )
    assert read_setting("SESSION_ENGINE", **env) == "'django.contrib.sessions.backends.db'"
