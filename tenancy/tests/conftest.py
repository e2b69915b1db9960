import pytest

from tenancy.tests.tenants import Tenants, build_tenants


@pytest.fixture
def tenants(db, settings) -> Tenants:
    # A dozen users per test need no slow password hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_tenants()
