"""Fixtures of the roster tests."""

import pytest

from lms.celery import app as celery_app


@pytest.fixture
def roster_env(settings):
    """Quick password hashing for the many users, and tasks enqueued on commit run right away
    instead of going to the broker."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager
