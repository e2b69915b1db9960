"""The attempt page saves everything it shows: every button posts every answer and the flags,
the page's script saves through the same POST asking for JSON, and a reload shows exactly
what was saved. The start page tells how a time limit works."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.quizzes.models import QuizAttempt
from assessments.quizzes.services import attempt_start
from assessments.tests import quiz_factories as qf
from catalog.tests.factories import EnrollmentFactory
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def links(offering, item, attempt) -> dict[str, str]:
    kwargs = {"offering_id": offering.pk, "item_id": item.pk, "attempt_id": attempt.pk}
    return {
        "attempt": reverse("portal:quiz-attempt", kwargs=kwargs),
        "result": reverse("portal:quiz-result", kwargs=kwargs),
    }


def form(questions, **overrides) -> dict[str, object]:
    """The attempt form as a browser posts it, every question answered right."""
    data: dict[str, object] = {
        f"q{qid}": value for qid, value in qf.correct_answers(questions).items()
    }
    data.update(overrides)
    return data


def started(**payload):
    offering, item, _bank, questions, student = qf.quiz_setup(**payload)
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    return offering, item, questions, student, attempt


def test_checking_one_practice_answer_keeps_all_the_others(client):
    offering, item, questions, student, attempt = started(quiz_mode="practice")
    single, _multiple, _tf, numeric, text = questions
    url = links(offering, item, attempt)
    client.force_login(student)
    response = client.post(url["attempt"], form(questions, action=f"check:{single.pk}"))
    assert response.status_code == 302
    assert response.url == f"{url['attempt']}#question-{single.pk}"
    page = client.get(url["attempt"]).content.decode()
    assert page.count("Correct.") == 1  # only the checked question is marked
    assert (
        f'name="q{numeric.pk}" type="text" inputmode="decimal" autocomplete="off" value="9.81"'
        in page
    )
    assert f'value="{text.text_answer}"' in page
    # Submitting with nothing more posted (the checked question is locked) scores every answer.
    submitted = client.post(url["attempt"], form(questions, action="submit"))
    assert submitted.status_code == 302 and submitted.url == url["result"]
    attempt.refresh_from_db()
    assert (attempt.score_obtained, attempt.max_score) == (Decimal("6.00"), Decimal("6.00"))


def test_a_per_question_save_button_saves_every_answer(client):
    offering, item, questions, student, attempt = started()
    numeric = questions[3]
    client.force_login(student)
    url = links(offering, item, attempt)
    response = client.post(url["attempt"], form(questions, action=f"save:{numeric.pk}"))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert sorted(attempt.raw_response_json["answers"]) == sorted(str(q.pk) for q in questions)


def test_autosave_answers_in_json_and_a_reload_shows_what_was_saved(client):
    offering, item, questions, student, attempt = started(time_limit_seconds=600)
    single, multiple, _tf, numeric, _text = questions
    client.force_login(student)
    url = links(offering, item, attempt)
    posted = {f"q{numeric.pk}": "9.8", f"q{single.pk}": "", "flagged": [str(multiple.pk)]}
    response = client.post(url["attempt"], {**posted, "action": "save"}, **JSON)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert 598 <= body.pop("seconds_left") <= 600
    assert body == {
        "saved": True,
        "submitted": False,
        "message": "Saved",
        "answered": [numeric.pk],
        "flagged": [multiple.pk],
    }
    attempt.refresh_from_db()
    assert list(attempt.raw_response_json["answers"]) == [str(numeric.pk)]
    assert attempt.raw_response_json["answers"][str(numeric.pk)]["value"] == "9.8"
    page = client.get(url["attempt"]).content.decode()
    assert 'value="9.8"' in page
    assert f'name="flagged" value="{multiple.pk}" checked' in page
    assert f'name="flagged" value="{single.pk}">' in page
    assert f'data-nav="{multiple.pk}" class="is-unanswered is-flagged"' in page
    assert f'data-nav="{numeric.pk}" class="is-answered"' in page


def test_autosave_refuses_bad_input_in_json_and_changes_nothing(client):
    offering, item, questions, student, attempt = started()
    numeric = questions[3]
    client.force_login(student)
    url = links(offering, item, attempt)
    response = client.post(url["attempt"], form(questions, **{f"q{numeric.pk}": "ten"}), **JSON)
    assert response.status_code == 400
    assert response.json() == {
        "saved": False,
        "submitted": False,
        "message": "Some answers could not be saved.",
        "errors": {str(numeric.pk): "Enter a number, such as 12.5."},
    }
    attempt.refresh_from_db()
    assert attempt.raw_response_json["answers"] == {}


def test_autosave_after_the_deadline_says_submitted_and_where_the_result_is(client):
    offering, item, _bank, questions, student = qf.quiz_setup(time_limit_seconds=60)
    attempt = attempt_start(
        user=student,
        offering=offering,
        item_id=item.pk,
        now=timezone.now() - timedelta(minutes=2),
    ).attempt
    client.force_login(student)
    url = links(offering, item, attempt)
    response = client.post(url["attempt"], form(questions), **JSON)
    assert response.status_code == 200
    assert response.json() == {
        "saved": False,
        "submitted": True,
        "message": "Time is up: the attempt was submitted with the answers you saved.",
        "redirect": url["result"],
    }
    attempt.refresh_from_db()
    assert attempt.submitted_at == attempt.deadline_at
    assert attempt.raw_response_json["answers"] == {}


def test_a_plain_form_post_gets_a_page_not_json(client):
    offering, item, questions, student, attempt = started()
    client.force_login(student)
    url = links(offering, item, attempt)
    browser = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8"}
    response = client.post(url["attempt"], form(questions, action="save"), **browser)
    assert response.status_code == 302 and response.url == url["attempt"]


def test_autosave_of_someone_elses_attempt_is_not_found_and_changes_nothing(client):
    offering, item, questions, _student, attempt = started()
    classmate = EnrollmentFactory(course_offering=offering).user
    client.force_login(classmate)
    url = links(offering, item, attempt)
    response = client.post(url["attempt"], form(questions), **JSON)
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.raw_response_json["answers"] == {}


def test_autosave_anonymous_is_sent_to_log_in(client):
    offering, item, questions, _student, attempt = started()
    response = client.post(links(offering, item, attempt)["attempt"], form(questions), **JSON)
    assert response.status_code == 302 and "login" in response.url
    attempt.refresh_from_db()
    assert attempt.raw_response_json["answers"] == {}


def test_autosave_by_someone_of_another_university_is_refused(client):
    offering, item, questions, _student, attempt = started()
    outsider = UserFactory()
    client.force_login(outsider)
    response = client.post(links(offering, item, attempt)["attempt"], form(questions), **JSON)
    assert response.status_code == 302  # to the course page, as for any page of the course
    attempt.refresh_from_db()
    assert attempt.raw_response_json["answers"] == {}


def test_flags_survive_a_reload_and_a_button_post(client):
    offering, item, questions, student, attempt = started()
    single, _multiple, tf, *_rest = questions
    client.force_login(student)
    url = links(offering, item, attempt)
    client.post(url["attempt"], form(questions, action="save", flagged=[str(tf.pk)]))
    attempt.refresh_from_db()
    assert attempt.raw_response_json["flagged"] == [tf.pk]
    page = client.get(url["attempt"]).content.decode()
    assert f'name="flagged" value="{tf.pk}" checked' in page
    assert f'name="flagged" value="{single.pk}" checked' not in page


def test_the_start_page_explains_the_time_limit(client):
    offering, item, _bank, _questions, student = qf.quiz_setup(time_limit_seconds=1200)
    client.force_login(student)
    page = client.get(
        reverse("portal:quiz", kwargs={"offering_id": offering.pk, "item_id": item.pk})
    ).content.decode()
    assert "You have 20 minutes for each attempt." in page
    assert "keeps running if you leave the page or close the browser" in page
    assert "Your answers are saved as you work." in page
    assert "the attempt is submitted with the answers saved by then" in page


def test_the_start_page_of_an_untimed_quiz_says_nothing_about_a_clock(client):
    offering, item, _bank, _questions, student = qf.quiz_setup()
    client.force_login(student)
    page = client.get(
        reverse("portal:quiz", kwargs={"offering_id": offering.pk, "item_id": item.pk})
    ).content.decode()
    assert 'id="quiz-time-rules"' not in page
    assert "No time limit" in page


def test_a_submit_by_the_countdown_says_the_time_is_up(client):
    offering, item, questions, student, attempt = started(time_limit_seconds=600)
    client.force_login(student)
    url = links(offering, item, attempt)
    response = client.post(url["attempt"], form(questions, action="submit", deadline="1"))
    assert response.status_code == 302 and response.url == url["result"]
    page = client.get(url["result"]).content.decode()
    assert "Time is up: the attempt was submitted with the answers you saved." in page
    attempt.refresh_from_db()
    assert attempt.score_obtained == Decimal("6.00")


@pytest.mark.parametrize(
    ("payload", "note", "explained"),
    [
        ({"review_policy": "immediately"}, None, True),
        ({}, "shown once you have used your last attempt", False),
        (
            {"review_policy": "after_close", "closes_at": "2099-01-01T00:00:00Z"},
            "shown after the quiz closes on Jan. 1, 2099",
            False,
        ),
        ({"review_policy": "never"}, "of this quiz are not shown", False),
    ],
)
def test_the_result_page_follows_the_review_policy(client, payload, note, explained):
    offering, item, questions, student, attempt = started(**payload)
    client.force_login(student)
    url = links(offering, item, attempt)
    client.post(url["attempt"], form(questions, action="submit"))
    page = client.get(url["result"]).content.decode()
    assert "6 / 6" in page
    assert ("EXPLAIN-SINGLE" in page) is explained
    assert ("9.81 ± 0.05" in page) is explained
    assert ("Correct." in page) is explained
    if note:
        assert note in page
    else:
        assert 'id="review-policy"' not in page


def test_a_closed_quiz_offers_no_start_and_refuses_one(client):
    offering, item, _bank, _questions, student = qf.quiz_setup(
        closes_at="2020-01-01T00:00:00Z", review_policy="after_close"
    )
    client.force_login(student)
    kwargs = {"offering_id": offering.pk, "item_id": item.pk}
    page = client.get(reverse("portal:quiz", kwargs=kwargs)).content.decode()
    assert "This quiz is closed; no new attempts can be started." in page
    assert "Start the quiz" not in page
    response = client.post(reverse("portal:quiz-start", kwargs=kwargs), follow=True)
    assert (
        "This quiz closed on Jan. 1, 2020, midnight; no new attempts can be started."
        in response.content.decode()
    )
    assert not QuizAttempt.objects.exists()
