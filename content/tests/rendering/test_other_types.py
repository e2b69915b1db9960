"""Rendering resources, assignments, quizzes and labs, broken payloads, and the assets payloads
refer to."""

import re

import pytest

from content.rendering import asset_ids, render_item
from content.selectors import assets_for_university
from content.tests.factories import AssetFactory
from content.tests.rendering.support import XSS, ctx, text
from content.types.assignment import render_assignment
from content.types.engineering_lab import render_engineering_lab
from content.types.quiz import render_quiz
from content.types.resource_list import render_resource
from tenancy.tests.factories import UniversityFactory

# Resource, assignment, quiz, lab ---------------------------------------------------------


def test_resource_list_with_kinds():
    html = render_resource(
        {
            "resources": [
                {"label": "Slides", "url": "https://example.edu/s.pdf", "kind": "pdf"},
                {"label": XSS, "url": "/read", "kind": "article"},
                {"label": "Bad", "url": "javascript:alert(1)", "kind": "video"},
            ]
        },
        ctx(),
    )
    assert html == (
        '<ul class="resource-list">'
        '<li><span class="badge kind kind-pdf">PDF</span> '
        '<a href="https://example.edu/s.pdf" rel="noopener" target="_blank">Slides</a></li>'
        '<li><span class="badge kind kind-article">Article</span> '
        '<a href="/read" rel="noopener">&lt;script&gt;alert(1)&lt;/script&gt;</a></li></ul>'
    )


def test_assignment_due_date_in_the_readers_time_zone():
    data = {
        "instructions": f"Do it {XSS}",
        "due_at": "2026-12-01T23:59:00Z",
        "max_points": 20,
        "submission_types": ["file", "url"],
        "allow_late": True,
    }
    html = render_assignment(data, ctx(time_zone="Asia/Tokyo"))
    assert '<time datetime="2026-12-01T23:59:00+00:00">Dec. 2, 2026, 8:59 a.m. (JST)</time>' in html
    assert "<dd>20</dd>" in html
    assert "<dd>File upload, Web address</dd>" in html
    assert "<dd>Accepted</dd>" in html
    assert "Do it &lt;script&gt;" in html
    utc = render_assignment({"instructions": "x", "due_at": "2026-12-01T23:59:00Z"}, ctx())
    assert "Dec. 1, 2026, 11:59 p.m. (UTC)" in utc
    assert "<dd>No due date</dd>" in render_assignment({"instructions": "x"}, ctx())


def test_one_correct_answer_in_a_row_is_singular():
    html = render_quiz(
        {
            "question_pool_id": 1,
            "quiz_mode": "practice",
            "num_questions_per_attempt": 1,
            "mastery": {"threshold_correct_in_row": 1},
        },
        ctx(),
    )

    assert "<dt>Mastery</dt><dd>1 correct answer in a row</dd>" in html


def test_quiz_overview():
    html = render_quiz(
        {
            "question_pool_id": 1,
            "quiz_mode": "practice",
            "num_questions_per_attempt": 10,
            "randomize_order": True,
            "time_limit_seconds": 5400,
            "mastery": {"points": 50, "threshold_correct_in_row": 3, "max_attempts": None},
        },
        ctx(),
    )
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", html))
    assert facts == {
        "Mode": "Practice",
        "Questions per attempt": "10",
        "Time limit": "1 hour 30 minutes",
        "Attempts allowed": "Unlimited",
        "Question order": "Shuffled for each attempt",
        "Mastery": "3 correct answers in a row",
        "Points": "50",
        "Correct answers shown": "Immediately (after each submission or practice check)",
    }


def test_quiz_overview_says_when_it_closes_and_when_answers_are_shown():
    data = {
        "question_pool_id": 1,
        "quiz_mode": "exam",
        "num_questions_per_attempt": 10,
        "closes_at": "2026-12-01T23:59:00Z",
        "review_policy": "after_close",
    }
    html = render_quiz(data, ctx())
    assert '<dt>Closes</dt><dd><time datetime="2026-12-01T23:59:00+00:00">' in html, html
    assert "<dt>Correct answers shown</dt><dd>After the quiz closes</dd>" in html
    exam = render_quiz({**data, "closes_at": None, "review_policy": None}, ctx())
    assert "<dt>Correct answers shown</dt><dd>After the last attempt</dd>" in exam
    assert "Closes" not in exam


def test_lab_overview_shows_student_files_and_hides_tests_and_secrets():
    html = render_engineering_lab(
        {
            "lab_type": "code",
            "runtime": "matlab",
            "container_image": "registry/matlab:r2024a",
            "cpu_limit": "2",
            "memory_limit": "4Gi",
            "timeout_seconds": 5400,
            "entrypoint": "matlab -desktop",
            "env": {"LICENSE_KEY": "top-secret"},
            "files": [
                {"path": "work/<start>.m", "role": "student_visible"},
                {"path": "tests/hidden_test.m", "role": "hidden_test"},
            ],
            "grading": {"type": "unit_tests", "max_points": 40},
        },
        ctx(),
    )
    assert "<dd>MATLAB</dd>" in html
    assert '<ul class="file-list"><li><code>work/&lt;start&gt;.m</code></li></ul>' in html
    assert "<dd>2 CPU, 4Gi memory, 1 hour 30 minutes per session</dd>" in html
    assert "<dd>Automatic (unit tests), 40 points</dd>" in html
    assert "hidden_test" not in html
    assert "top-secret" not in html and "LICENSE_KEY" not in html


def test_the_lab_overview_promises_no_environment_that_does_not_open():
    html = render_engineering_lab(
        {
            "lab_type": "code",
            "runtime": "python-datascience",
            "container_image": "python:3.12",
            "timeout_seconds": 600,
            "entrypoint": "jupyter-lab",
            "files": [{"path": "solution.py", "role": "student_visible"}],
            "grading": {"type": "unit_tests", "max_points": 10},
        },
        ctx(),
    )

    assert "will open soon" not in html
    assert "Opens in" not in html
    assert "<dt>Entry point</dt><dd><code>jupyter-lab</code></dd>" in html
    assert (
        '<p class="notice">Download the starter files, work on them on your own computer, then '
        "upload your files on the lab page to have them graded.</p>"
    ) in html


@pytest.mark.parametrize("instructions", ["", "   \n  "])
def test_an_assignment_without_instructions_has_no_empty_heading(instructions):
    html = render_assignment({"instructions": instructions, "max_points": 5}, ctx())

    assert "Instructions" not in html
    assert "<dd>5</dd>" in html


def test_an_assignments_instructions_have_their_heading():
    html = render_assignment({"instructions": "Solve 1-5."}, ctx())

    assert '<section class="prose"><h2>Instructions</h2><p>Solve 1-5.</p></section>' in html


def test_unknown_type_or_broken_payload_does_not_raise():
    assert "cannot be displayed" in render_item("podcast", {}, ctx())
    assert "cannot be displayed" in render_item("text", None, ctx())


def test_asset_ids_of_payloads():
    assert asset_ids("video", {"provider": "internal", "asset_id": 4}) == {4}
    assert asset_ids("text", text({"type": "image", "asset_id": 5}, {"type": "math"})) == {5}
    assert asset_ids("quiz", {}) == set()


@pytest.mark.django_db
def test_assets_are_scoped_to_the_items_university():
    home, other = UniversityFactory(), UniversityFactory()
    own = AssetFactory(university=home)
    shared = AssetFactory(university=None)
    foreign = AssetFactory(university=other)
    found = assets_for_university(ids={own.pk, shared.pk, foreign.pk}, university_id=home.pk)
    assert set(found) == {own.pk, shared.pk}
    assert found[own.pk].meta["alt"] == "A diagram"
