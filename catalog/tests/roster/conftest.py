"""Fixtures of the roster service tests: an offering with two seats and an admin of its
department."""

import pytest

from catalog.tests.factories import OfferingFactory, staff_member


@pytest.fixture
def offering():
    return OfferingFactory(capacity=2)


@pytest.fixture
def admin(offering):
    return staff_member(offering.course.department)
