"""Fixtures of the discussion page tests: a thread with one reply."""

import pytest

from community.tests.conftest import reply, start_thread


@pytest.fixture
def thread(world):
    thread = start_thread(world.student, world.offering, title="Free-body diagrams?")
    reply(world.classmate, thread, body="Draw every force.")
    return thread
