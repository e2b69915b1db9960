"""A student's answers are never lost in Chromium: they are saved as the student works and a
reload shows them with their flags, a practice check keeps every other answer, leaving with
unsaved changes warns, and a timed attempt that runs out is submitted by the page and shows
the result."""

import re

import pytest

from assessments.quizzes.models import QuizAttempt
from assessments.tests import quiz_factories as qf
from portal.tests.test_quiz_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WARNS = """() => {
  const event = new Event("beforeunload", {cancelable: true});
  window.dispatchEvent(event);
  return event.defaultPrevented;
}"""


def start(page, offering, item) -> None:
    page.goto(f"/learn/{offering.pk}/quizzes/{item.pk}/")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))


def saved(page) -> None:
    page.wait_for_function(
        "() => document.getElementById('quiz-save-status').textContent"
        ".startsWith('All answers saved')",
        timeout=20_000,  # a loaded test machine answers slowly
    )


def answer_every_question_right(page, questions) -> None:
    """Answer the five questions of `quiz_factories.every_type` right, in the attempt page."""
    _single, _multiple, true_false, numeric, text = questions
    page.get_by_label("Newton").check()
    page.get_by_label("Force").check()
    page.get_by_label("Velocity").check()
    page.locator(f"#question-{true_false.pk}").get_by_label("False").check()
    page.locator(f"#q{numeric.pk}").fill("9.81")
    page.locator(f"#q{text.pk}").fill("joule")


def test_answers_autosave_survive_a_reload_and_leaving_unsaved_warns(page, live_server, screenshot):
    offering, item, _bank, questions, student = qf.quiz_setup(time_limit_seconds=900)
    single, multiple, true_false, numeric, text = questions
    log_in(page, live_server, student)
    start(page, offering, item)

    page.get_by_label("Newton").check()
    saved(page)
    page.get_by_label("Force").check()
    page.locator(f"#question-{true_false.pk}").get_by_label("False").check()
    page.locator(f"#question-{multiple.pk}").get_by_label("Flag for review").check()
    page.locator(f"#q{numeric.pk}").fill("9.8")
    assert page.evaluate(WARNS) is True  # typed, not yet saved
    saved(page)
    assert page.evaluate(WARNS) is False
    nav = page.locator(".quiz-navigator a")
    assert [nav.nth(i).get_attribute("class") for i in range(5)] == [
        "is-answered",
        "is-answered is-flagged",
        "is-answered",
        "is-answered",
        "is-unanswered",
    ]
    screenshot("quiz-autosave-desktop")

    page.reload()
    assert page.get_by_label("Newton").is_checked()
    assert page.get_by_label("Force").is_checked()
    assert not page.get_by_label("Velocity").is_checked()
    assert page.locator(f"#question-{true_false.pk}").get_by_label("False").is_checked()
    assert page.locator(f"#q{numeric.pk}").input_value() == "9.8"
    assert page.locator(f"#q{text.pk}").input_value() == ""
    assert page.locator(f"#question-{multiple.pk}").get_by_label("Flag for review").is_checked()
    assert nav.nth(1).get_attribute("class") == "is-answered is-flagged"
    attempt = QuizAttempt.objects.get(user=student)
    assert attempt.raw_response_json["flagged"] == [multiple.pk]
    assert sorted(attempt.raw_response_json["answers"]) == sorted(
        str(q.pk) for q in (single, multiple, true_false, numeric)
    )

    # The countdown and the navigator stay in view at the foot of the page.
    page.locator(".quiz-submit").scroll_into_view_if_needed()
    box = page.locator("#quiz-deadline").bounding_box()
    assert box is not None and 0 <= box["y"] < 60
    page.locator(".quiz-navigator a").nth(4).click()
    assert page.url.endswith(f"#question-{text.pk}")

    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("quiz-autosave-phone")


def test_a_practice_check_keeps_every_other_answer(page, live_server, screenshot):
    offering, item, _bank, questions, student = qf.quiz_setup(quiz_mode="practice")
    single, _multiple, _true_false, numeric, text = questions
    log_in(page, live_server, student)
    start(page, offering, item)
    # Answer quickly, without waiting for the saves: the check button posts everything.
    answer_every_question_right(page, questions)
    page.locator(f"#question-{single.pk}").get_by_role("button", name="Check answer").click()
    page.wait_for_selector(".message-info")
    assert page.locator(".message-info").inner_text() == "Answer checked."
    assert "Correct." in page.locator(f"#question-{single.pk}").inner_text()
    assert page.locator(".feedback").count() == 1
    assert page.get_by_label("Force").is_checked() and page.get_by_label("Velocity").is_checked()
    assert page.locator(f"#q{numeric.pk}").input_value() == "9.81"
    assert page.locator(f"#q{text.pk}").input_value() == "joule"
    screenshot("quiz-practice-checked")
    page.get_by_role("button", name="Submit the attempt").click()
    page.wait_for_url(re.compile(r"/result/(#.*)?$"))
    assert page.locator("#quiz-score").inner_text().startswith("Your score: 6 / 6")


def test_a_timed_attempt_that_runs_out_is_submitted_and_shows_the_result(
    page, live_server, screenshot
):
    offering, item, _bank, _questions, student = qf.quiz_setup(time_limit_seconds=6)
    log_in(page, live_server, student)
    start(page, offering, item)
    assert page.locator(".quiz-countdown").is_visible()
    page.get_by_label("Newton").check()
    saved(page)
    page.wait_for_url(re.compile(r"/result/$"), timeout=15_000)
    assert page.locator("#quiz-score").inner_text().startswith("Your score: 1 / 6")
    # The page submits at the deadline; the server scores what it accepted either way.
    assert page.locator(".messages").inner_text() in {
        "Time is up: the attempt was submitted with the answers you saved.",
        "Time is up: answers given after the deadline are not accepted. "
        "The attempt was submitted with the answers saved before it.",
    }
    screenshot("quiz-timed-out-result")
    attempt = QuizAttempt.objects.get(user=student)
    assert attempt.submitted_at is not None
    assert attempt.score_obtained == 1
