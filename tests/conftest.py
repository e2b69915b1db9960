"""Fixtures of the cross-app tests: the seeded world of the input tests."""

from tests.input_world import input_world  # noqa: F401
