"""A student takes a timed exam in Chromium: from the quiz item to the overview, answers every
question type, saves, submits, and sees the score and the review; then the overview lists
the attempt with its score."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.quizzes.models import QuizAttempt
from assessments.tests import quiz_factories as qf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_student_takes_a_quiz_and_sees_the_score(page, live_server, screenshot):
    offering, item, _bank, questions, student = qf.quiz_setup(
        time_limit_seconds=900, review_policy="immediately"
    )
    single, multiple, true_false, numeric, text = questions
    log_in(page, live_server, student)

    page.goto(reverse("portal:item", kwargs={"offering_id": offering.pk, "item_id": item.pk}))
    page.get_by_role("link", name="Take the quiz").click()
    assert page.locator("h1").inner_text() == "Statics quiz"
    assert "No attempts yet." in page.locator("main").inner_text()
    screenshot("quiz-overview-start")
    page.get_by_role("button", name="Start the quiz").click()

    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    assert page.locator("fieldset.question").count() == 5
    assert page.locator(".quiz-countdown").is_visible()  # the optional script runs
    body = page.content()
    assert "EXPLAIN" not in body and "9.81" not in body and "correct option" not in body
    page.get_by_label("Newton").check()
    page.get_by_label("Force").check()
    page.get_by_label("Velocity").check()
    page.locator(f"#question-{true_false.pk}").get_by_label("False").check()
    page.locator(f"#q{numeric.pk}").fill("9.8")
    page.locator(f"#question-{numeric.pk}").get_by_role("button", name="Save answer").click()
    assert page.locator(".message-success").inner_text() == "Answers saved."
    assert page.locator(f"#q{numeric.pk}").input_value() == "9.8"
    page.locator(f"#q{text.pk}").fill("Joule")
    screenshot("quiz-attempt")
    page.get_by_role("button", name="Submit the attempt").click()

    page.wait_for_url(re.compile(r"/result/(#.*)?$"))
    assert page.locator("#quiz-score").inner_text().startswith("Your score: 6 / 6")
    assert "Passed" in page.locator("#quiz-score").inner_text()
    assert page.locator(".feedback").count() == 5
    assert "9.81 ± 0.05" in page.locator(f"#question-{numeric.pk}").inner_text()
    screenshot("quiz-result")

    page.get_by_role("link", name="Back to the quiz").click()
    row = page.locator(".quiz-attempts tbody tr")
    assert row.count() == 1
    assert "6 / 6" in row.inner_text() and "Passed" in row.inner_text()
    assert "Mastered" in page.locator("main").inner_text()
    screenshot("quiz-overview-after")
    attempt = QuizAttempt.objects.get(user=student)
    assert attempt.submitted_at is not None
    assert single.pk in attempt.raw_response_json["question_ids"]
    assert multiple.pk in attempt.raw_response_json["question_ids"]
