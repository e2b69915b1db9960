"""Question banks and attempts in the admin: tenant scoping, answer-key checks on save,
read-only attempts and the regrade action."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from assessments.quizzes.models import Choice, Question, QuestionPool, QuizAttempt, QuizRegrade
from assessments.quizzes.services import attempt_answers_save, attempt_start, attempt_submit
from assessments.tests import quiz_factories as qf
from assessments.tests import trees
from catalog.models import CourseEnrollment
from catalog.tests.tenants import build_tenants

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants():
    return build_tenants()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def changelist_rows(client: Client, model: str) -> set[str]:
    response = client.get(reverse(f"admin:assessments_{model}_changelist"))
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


def attempt_in(offering, pool) -> QuizAttempt:
    item = trees.item(
        trees.module(trees.root(offering.course), "Quiz unit"),
        f"Quiz {offering.pk}",
        "quiz",
        data=qf.quiz_payload(pool.pk),
    )
    student = CourseEnrollment.objects.filter(course_offering=offering).first().user
    attempt = attempt_start(user=student, offering=offering, item_id=item.pk).attempt
    return attempt_submit(user=student, attempt_id=attempt.pk)


def test_pools_and_questions_are_scoped_by_course(tenants):
    mine = qf.pool(tenants.course_a1, "Mechanics bank")
    sibling = qf.pool(tenants.course_a2, "Antiquity bank")
    other = qf.pool(tenants.course_b1, "Cells bank")
    for bank in (mine, sibling, other):
        qf.single(bank, prompt=f"Question of {bank.title}")
    expected = {
        "platform_admin": {"Mechanics bank", "Antiquity bank", "Cells bank"},
        "university_admin": {"Mechanics bank", "Antiquity bank"},
        "department_admin": {"Mechanics bank"},
        "instructor": {"Mechanics bank"},
        "ta": {"Mechanics bank"},
    }
    for role, titles in expected.items():
        client = client_for(tenants.user(role))
        assert changelist_rows(client, "questionpool") == titles, role
        assert changelist_rows(client, "question") == {f"Question of {t}" for t in titles}
    client = client_for(tenants.user("university_admin"))
    url = reverse("admin:assessments_questionpool_change", args=[other.pk])
    assert client.get(url).status_code == 404


def test_attempts_are_scoped_by_offering_and_read_only(tenants):
    bank_a1 = qf.pool(tenants.course_a1)
    qf.every_type(bank_a1)
    bank_b1 = qf.pool(tenants.course_b1)
    qf.every_type(bank_b1)
    mine = attempt_in(tenants.offering_a1, bank_a1)
    next_run = attempt_in(tenants.offering_a1_next, bank_a1)
    other = attempt_in(tenants.offering_b1, bank_b1)
    client = client_for(tenants.user("instructor"))
    assert changelist_rows(client, "quizattempt") == {str(mine)}
    client = client_for(tenants.user("university_admin"))
    assert changelist_rows(client, "quizattempt") == {str(mine), str(next_run)}
    change_url = reverse("admin:assessments_quizattempt_change", args=[mine.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change_url, {"score_obtained": "99"}).status_code == 403
    mine.refresh_from_db()
    assert mine.score_obtained == Decimal("0.00")
    other_url = reverse("admin:assessments_quizattempt_change", args=[other.pk])
    assert client.get(other_url).status_code == 404
    filtered = client.get(
        reverse("admin:assessments_quizattempt_changelist"),
        {"course_offering__id__exact": tenants.offering_a1_next.pk},
    )
    assert [a.pk for a in filtered.context["cl"].result_list] == [next_run.pk]


def question_post(pool: QuestionPool, **fields) -> dict:
    data = {
        "pool": pool.pk,
        "question_type": "single",
        "prompt": "Which is a unit of force?",
        "points": "1",
        "position": "1",
        "is_active": "on",
        "explanation": "",
        "correct_boolean": "",
        "numeric_answer": "",
        "numeric_tolerance": "",
        "text_answer": "",
        "text_match": "",
        "choices-TOTAL_FORMS": str(len(fields.get("choices", []))),
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for n, (text, ok) in enumerate(fields.pop("choices", []), start=0):
        data[f"choices-{n}-text"] = text
        data[f"choices-{n}-position"] = str(n + 1)
        if ok:
            data[f"choices-{n}-is_correct"] = "on"
    data.update(fields)
    return data


def test_adding_questions_checks_the_answer_key(tenants):
    bank = qf.pool(tenants.course_a1)
    client = client_for(tenants.user("instructor"))
    url = reverse("admin:assessments_question_add")
    none_correct = client.post(
        url, question_post(bank, choices=[("Newton", False), ("Joule", False)])
    )
    assert none_correct.status_code == 200
    assert "Mark at least one option as correct." in none_correct.content.decode()
    bad_regex = client.post(
        url,
        question_post(bank, question_type="short_text", text_answer="jou(le", text_match="regex"),
    )
    assert "does not compile" in bad_regex.content.decode()
    negative = client.post(
        url,
        question_post(
            bank, question_type="numeric", numeric_answer="9.81", numeric_tolerance="-0.1"
        ),
    )
    assert "The tolerance cannot be negative." in negative.content.decode()
    assert not Question.objects.exists() and not Choice.objects.exists()

    good = client.post(url, question_post(bank, choices=[("Newton", True), ("Joule", False)]))
    assert good.status_code == 302
    question = Question.objects.get()
    assert list(question.choices.values_list("text", "is_correct")) == [
        ("Newton", True),
        ("Joule", False),
    ]


def test_a_pool_for_another_universitys_course_is_refused(tenants):
    client = client_for(tenants.user("university_admin"))
    response = client.post(
        reverse("admin:assessments_questionpool_add"),
        {
            "course": tenants.course_b1.pk,
            "title": "Smuggled",
            "description": "",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert not QuestionPool.objects.exists()


def test_regrade_action_records_each_change(tenants):
    bank = qf.pool(tenants.course_a1)
    questions = qf.every_type(bank)
    numeric = questions[3]
    item = trees.item(
        trees.module(trees.root(tenants.course_a1), "Quiz unit"),
        "Quiz",
        "quiz",
        data=qf.quiz_payload(bank.pk),
    )
    student = tenants.enrollments["a1"].user
    attempt = attempt_start(user=student, offering=tenants.offering_a1, item_id=item.pk).attempt
    attempt_answers_save(user=student, attempt_id=attempt.pk, answers={numeric.pk: "10"})
    attempt = attempt_submit(user=student, attempt_id=attempt.pk)
    assert attempt.score_obtained == Decimal("0.00")

    numeric.numeric_answer = Decimal(10)
    numeric.save()
    instructor = tenants.user("instructor")
    client = client_for(instructor)
    response = client.post(
        reverse("admin:assessments_question_changelist"),
        {"action": "regrade_attempts", "_selected_action": [numeric.pk]},
        follow=True,
    )
    assert "1 attempt regraded; 1 score changed" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.score_obtained == Decimal("1.00")
    record = QuizRegrade.objects.get()
    assert (record.attempt_id, record.question_id, record.regraded_by_id) == (
        attempt.pk,
        numeric.pk,
        instructor.pk,
    )
    assert (record.old_score, record.new_score) == (Decimal("0.00"), Decimal("1.00"))
    page = client.get(reverse("admin:assessments_quizattempt_change", args=[attempt.pk]))
    assert "1.00" in page.content.decode()
