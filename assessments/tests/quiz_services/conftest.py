"""Fixtures of the quiz service tests: the grade rollup requests each scoring makes."""

import pytest

from assessments.quizzes import services as quiz_services


@pytest.fixture
def scored_events(monkeypatch):
    """Each scoring's request for the learner's grade rollup (made in its transaction)."""
    events: list[dict] = []
    ask = quiz_services.grade_rollup_soon

    def record(**kwargs):
        events.append(kwargs)
        return ask(**kwargs)

    monkeypatch.setattr(quiz_services, "grade_rollup_soon", record)
    return events
