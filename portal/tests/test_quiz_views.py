"""Quiz pages: overview, attempt and result, for learners, outsiders and staff; answers never
in the page before they may be revealed; deadlines and bad input."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.quizzes.models import QuizAttempt
from assessments.quizzes.services import attempt_start
from assessments.tests import quiz_factories as qf
from catalog.models import CourseOfferingInstructor
from catalog.tests.factories import EnrollmentFactory
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRETS = (
    "EXPLAIN-SINGLE",  # the single choice question's explanation
    "9.81",  # the numeric key
    "joule",  # the short text key
    "correct option",
    "choice-correct",
    "is-correct",
)


def urls(offering, item, attempt=None) -> dict[str, str]:
    kwargs = {"offering_id": offering.pk, "item_id": item.pk}
    result = {
        "item": reverse("portal:item", kwargs=kwargs),
        "quiz": reverse("portal:quiz", kwargs=kwargs),
        "start": reverse("portal:quiz-start", kwargs=kwargs),
    }
    if attempt is not None:
        kwargs["attempt_id"] = attempt.pk
        result["attempt"] = reverse("portal:quiz-attempt", kwargs=kwargs)
        result["result"] = reverse("portal:quiz-result", kwargs=kwargs)
    return result


def form_answers(questions) -> dict[str, object]:
    single, multiple, tf, numeric, text = questions
    return {
        f"q{single.pk}": str(single.choices.get(is_correct=True).pk),
        f"q{multiple.pk}": [str(c.pk) for c in multiple.choices.filter(is_correct=True)],
        f"q{tf.pk}": "false",
        f"q{numeric.pk}": "9,8",
        f"q{text.pk}": "JOULE",
    }


@pytest.fixture
def quiz():
    offering, item, _bank, questions, student = qf.quiz_setup()
    for q in questions:
        q.explanation = f"EXPLAIN-{q.question_type.upper()}: because."
        q.save()
    return offering, item, questions, student


def test_item_page_links_to_the_quiz(client, quiz):
    offering, item, _questions, student = quiz
    client.force_login(student)
    page = client.get(urls(offering, item)["item"]).content.decode()
    assert f'href="{urls(offering, item)["quiz"]}"' in page
    assert "will open soon" not in page


def test_a_learner_takes_an_exam_and_sees_the_score(client, quiz):
    offering, item, questions, student = quiz
    client.force_login(student)
    overview = client.get(urls(offering, item)["quiz"])
    assert overview.status_code == 200
    assert "Start the quiz" in overview.content.decode()
    assert "No attempts yet" in overview.content.decode()

    response = client.post(urls(offering, item)["start"])
    attempt = QuizAttempt.objects.get(user=student)
    links = urls(offering, item, attempt)
    assert response.status_code == 302 and response.url == links["attempt"]
    page = client.get(links["attempt"]).content.decode()
    for question in questions:
        assert question.prompt in page or question.prompt.replace("'", "&#x27;") in page
    for secret in SECRETS:
        assert secret not in page, secret

    saved = client.post(links["attempt"], {**form_answers(questions), "action": "save"})
    assert saved.status_code == 302 and saved.url == links["attempt"]
    page = client.get(links["attempt"]).content.decode()
    assert 'value="9,8"' in page and 'value="JOULE"' in page
    for secret in SECRETS:
        assert secret not in page, secret

    submitted = client.post(links["attempt"], {**form_answers(questions), "action": "submit"})
    assert submitted.status_code == 302 and submitted.url == links["result"]
    attempt.refresh_from_db()
    assert (attempt.score_obtained, attempt.max_score) == (Decimal("6.00"), Decimal("6.00"))
    result = client.get(links["result"]).content.decode()
    assert "6 / 6" in result
    # An exam keeps its answers while attempts remain (the default review policy).
    for secret in SECRETS:
        assert secret not in result, secret
    assert "shown once you have used your last attempt" in result
    assert "Mastered" in result
    listing = client.get(links["attempt"])  # a submitted attempt opens its result
    assert listing.status_code == 302 and listing.url == links["result"]
    overview = client.get(urls(offering, item)["quiz"]).content.decode()
    assert "6 / 6" in overview and "Passed" in overview
    assert "2 attempts left" in overview


def test_practice_feedback_reveals_only_the_answered_question(client):
    offering, item, _bank, questions, student = qf.quiz_setup(quiz_mode="practice")
    single, multiple, *_rest = questions
    multiple.explanation = "EXPLAIN-MULTIPLE"
    multiple.save()
    client.force_login(student)
    client.post(urls(offering, item)["start"])
    attempt = QuizAttempt.objects.get(user=student)
    links = urls(offering, item, attempt)
    wrong = str(single.choices.get(text="Joule").pk)
    response = client.post(
        links["attempt"], {f"q{single.pk}": wrong, "action": f"check:{single.pk}"}
    )
    assert response.url == f"{links['attempt']}#question-{single.pk}"
    page = client.get(links["attempt"]).content.decode()
    assert "Not correct." in page and "EXPLAIN-SINGLE" in page
    assert "EXPLAIN-MULTIPLE" not in page
    assert page.count("correct option") == 1  # Newton, in the checked question only


def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, quiz):
    offering, item, questions, student = quiz
    client.force_login(student)
    client.post(urls(offering, item)["start"])
    attempt = QuizAttempt.objects.get(user=student)
    links = urls(offering, item, attempt)
    numeric = questions[3]
    answers = {**form_answers(questions), f"q{numeric.pk}": "nine", "action": "submit"}
    response = client.post(links["attempt"], answers)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a number, such as 12.5." in page
    assert 'value="nine"' in page  # what was typed is shown again
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert attempt.raw_response_json["answers"] == {}


def test_answers_after_the_deadline_are_not_accepted(client):
    offering, item, _bank, questions, student = qf.quiz_setup(time_limit_seconds=60)
    started = timezone.now() - timedelta(minutes=2)
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk, now=started).attempt
    client.force_login(student)
    links = urls(offering, item, attempt)
    response = client.post(links["attempt"], {**form_answers(questions), "action": "save"})
    assert response.status_code == 302 and response.url == links["result"]
    attempt.refresh_from_db()
    assert attempt.submitted_at == started + timedelta(seconds=60)
    assert attempt.raw_response_json["answers"] == {}
    assert attempt.score_obtained == Decimal(0)
    result = client.get(links["result"]).content.decode()
    assert "Time is up" in result and "0 / 6" in result


def test_the_attempt_page_shows_the_deadline(client):
    offering, item, *_rest, student = qf.quiz_setup(time_limit_seconds=600)
    client.force_login(student)
    client.post(urls(offering, item)["start"])
    attempt = QuizAttempt.objects.get(user=student)
    page = client.get(urls(offering, item, attempt)["attempt"]).content.decode()
    assert 'id="quiz-deadline"' in page
    assert 'data-seconds-left="59' in page or 'data-seconds-left="600"' in page


def test_used_up_attempts_show_no_start_button_and_a_post_is_refused(client):
    offering, item, *_rest, student = qf.quiz_setup(mastery={"max_attempts": 1})
    client.force_login(student)
    client.post(urls(offering, item)["start"])
    attempt = QuizAttempt.objects.get(user=student)
    client.post(urls(offering, item, attempt)["attempt"], {"action": "submit"})
    page = client.get(urls(offering, item)["quiz"]).content.decode()
    assert "used all attempts" in page and "Start a new attempt" not in page
    response = client.post(urls(offering, item)["start"], follow=True)
    assert "You have used all 1 attempts of this quiz." in response.content.decode()
    assert QuizAttempt.objects.count() == 1


def test_anonymous_is_sent_to_log_in(client, quiz):
    offering, item, *_rest = quiz
    for url in (urls(offering, item)["quiz"], urls(offering, item)["start"]):
        response = client.get(url)
        assert response.status_code in (302, 405)
    response = client.get(urls(offering, item)["quiz"])
    assert response.status_code == 302 and "login" in response.url


def test_someone_not_enrolled_gets_the_course_page_and_starts_nothing(client, quiz):
    offering, item, *_rest = quiz
    client.force_login(UserFactory())
    response = client.post(urls(offering, item)["start"])
    assert response.status_code == 302
    assert response.url == reverse("portal:course-detail", kwargs={"course_id": offering.course_id})
    assert not QuizAttempt.objects.exists()


def test_another_learners_attempt_is_not_found(client, quiz):
    offering, item, _questions, student = quiz
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    classmate = EnrollmentFactory(course_offering=offering).user
    client.force_login(classmate)
    links = urls(offering, item, attempt)
    assert client.get(links["attempt"]).status_code == 404
    assert client.post(links["attempt"], {"action": "submit"}).status_code == 404
    assert client.get(links["result"]).status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_other_tenants_offering_does_not_show_this_quiz(client, quiz):
    _offering, item, *_rest = quiz
    other_offering, _other_item, *_r, other_student = qf.quiz_setup()
    client.force_login(other_student)
    response = client.get(
        reverse("portal:quiz", kwargs={"offering_id": other_offering.pk, "item_id": item.pk})
    )
    assert response.status_code == 404


def test_a_non_quiz_item_is_not_found(client, quiz):
    offering, item, _questions, student = quiz
    text = qf.trees.item(item.module, "Reading")
    client.force_login(student)
    response = client.get(
        reverse("portal:quiz", kwargs={"offering_id": offering.pk, "item_id": text.pk})
    )
    assert response.status_code == 404


def test_staff_see_the_overview_but_take_nothing(client, quiz):
    offering, item, *_rest = quiz
    instructor = UserFactory()
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    client.force_login(instructor)
    page = client.get(urls(offering, item)["quiz"]).content.decode()
    assert "preview quizzes but not take them" in page
    client.post(urls(offering, item)["start"])
    assert not QuizAttempt.objects.exists()


def test_one_mastery_point_is_singular(client):
    from assessments.quizzes.models import QuizMastery

    offering, item, _bank, _questions, student = qf.quiz_setup(
        mastery={"points": 1, "threshold_correct_in_row": 1}
    )
    QuizMastery.objects.create(
        user=student,
        course_offering=offering,
        content_item=item,
        mastered_at=timezone.now(),
        points_awarded=1,
    )
    client.force_login(student)

    page = client.get(urls(offering, item)["quiz"]).content.decode()

    assert "1 correct answer in a row · 1 point</dd>" in page
    assert ", 1 point awarded</p>" in page
    assert "1 points" not in page
