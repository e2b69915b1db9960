"""Fixtures of the roster admin page tests: an offering with two seats and a client logged in as
an admin of its department."""

import pytest

from catalog.tests.factories import OfferingFactory, staff_member
from tenancy.models import Role


@pytest.fixture
def offering():
    return OfferingFactory(capacity=2, term_name="Fall")


@pytest.fixture
def admin_client(client, offering):
    client.force_login(staff_member(offering.course.department, Role.DEPARTMENT_ADMIN))
    return client
