"""Fixtures of the cross-app tests: the seeded world of the input tests, and two universities
with a department admin, an instructor and a student each (catalog.tests.tenants)."""

import pytest

from catalog.tests.tenants import Tenants, build_tenants
from tests.input_world import input_world  # noqa: F401


@pytest.fixture
def tenants(db, settings) -> Tenants:
    # A dozen users per test need no slow password hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()
