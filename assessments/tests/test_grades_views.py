"""The learner's grades page and the staff gradebook (admin page and CSV)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.grades.certificates import certificate_issue
from assessments.grades.models import Certificate, CourseGrade, GradingPolicy
from assessments.grades.selectors import learner_grade_report
from assessments.grades.services import grades_finalize, grades_rollup
from assessments.labs.models import LabSubmission
from assessments.tests.grading_data import GradedCourse, attempt, graded_course, worked_example
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def course() -> GradedCourse:
    return graded_course()


@pytest.fixture
def learner(course):
    user = EnrollmentFactory(course_offering=course.offering, user__full_name="Ada Lovelace").user
    worked_example(course, user)
    return user


def university_admin(offering):
    return RoleFactory(university=offering.university, role=Role.UNIVERSITY_ADMIN).user


def grades_url(offering) -> str:
    return reverse("portal:grades", kwargs={"offering_id": offering.pk})


def gradebook_url(offering, csv=False) -> str:
    name = "gradebook_csv" if csv else "gradebook"
    return reverse(f"admin:assessments_coursegrade_{name}", args=[offering.pk])


def test_learner_sees_items_categories_total_and_certificate(client, course, learner):
    GradingPolicy.objects.create(
        course_offering=course.offering,
        weight_quizzes=50,
        weight_labs=30,
        weight_assignments=20,
        drop_lowest_quizzes=1,
    )
    grades_finalize(offering_id=course.offering.pk)
    certificate = certificate_issue(offering_id=course.offering.pk, user_id=learner.pk)
    client.force_login(learner)

    response = client.get(grades_url(course.offering))

    assert response.status_code == 200
    page = response.content.decode()
    # Final: ungraded quiz 3 counts as 0 (and is the dropped one); current: graded work only,
    # dropping the lowest graded quiz (50): (50*90 + 30*75 + 20*75) / 100.
    assert '<dd class="grade-total" data-grade="final"><strong>72.50%</strong>' in page
    assert '<dd class="grade-total" data-grade="current"><strong>82.50%</strong>' in page
    assert "Final grade" in page
    assert "Projected final grade" not in page
    assert "<strong>C</strong>" in page
    assert "Passed" in page
    assert "90.00%" in page  # quiz 1, best attempt
    assert "Dropped" in page  # quiz 3, the lowest quiz
    assert "Hidden quiz" not in page
    assert "Retired quiz" not in page
    assert f"/certificates/{certificate.certificate_code}/" in page
    categories = response.context["report"].categories
    assert [(c.category, c.percent) for c in categories] == [
        ("quizzes", Decimal("70.00")),
        ("labs", Decimal("75.00")),
        ("assignments", Decimal("75.00")),
    ]


def test_learner_page_before_any_grade(client, course):
    user = EnrollmentFactory(course_offering=course.offering).user
    client.force_login(user)

    page = client.get(grades_url(course.offering)).content.decode()

    assert '<dd class="grade-total" data-grade="current"><strong>Not graded yet</strong>' in page
    assert '<dd class="grade-total" data-grade="final"><strong>0.00%</strong>' in page
    assert "Projected final grade" in page
    assert "Provisional" in page
    assert page.count("Not graded yet") == 1 + 6 + 3  # the current grade, 6 items, 3 categories


def test_a_failing_grade_is_not_passed_yet_while_provisional_and_not_passed_once_final(
    client, course
):
    user = EnrollmentFactory(course_offering=course.offering).user
    client.force_login(user)
    badge = '<span class="badge warn">{}</span>'

    provisional = client.get(grades_url(course.offering)).content.decode()
    grades_finalize(offering_id=course.offering.pk)
    final = client.get(grades_url(course.offering)).content.decode()

    assert badge.format("Not passed yet (pass at 60%)") in provisional
    assert badge.format("Not passed (pass at 60%)") in final
    assert "Not passed yet" not in final


def test_learner_grades_page_runs_a_constant_number_of_queries(
    client, course, learner, django_assert_num_queries
):
    grades_rollup(offering_id=course.offering.pk)
    client.force_login(learner)
    client.get(grades_url(course.offering))  # warm the session

    # session, user, offering access, roles, policy, scores, grade, certificate
    with django_assert_num_queries(8):
        client.get(grades_url(course.offering))


def test_anonymous_is_sent_to_login(client, course):
    response = client.get(grades_url(course.offering))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_someone_not_enrolled_is_sent_to_the_course_page(client, course, learner):
    client.force_login(UserFactory())

    response = client.get(grades_url(course.offering))

    assert response.status_code == 302
    assert "/grades/" not in response["Location"]


def test_dashboard_links_the_grades_page(client, course, learner):
    client.force_login(learner)

    page = client.get(reverse("portal:dashboard")).content.decode()

    assert grades_url(course.offering) in page


def test_gradebook_for_staff_of_the_university(client, course, learner):
    grades_rollup(offering_id=course.offering.pk)
    client.force_login(university_admin(course.offering))

    response = client.get(gradebook_url(course.offering))

    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row.full_name == "Ada Lovelace"
    assert row.item_percents == [
        Decimal("90.00"),
        Decimal("50.00"),
        None,
        Decimal("80.00"),
        Decimal("70.00"),
        Decimal("75.00"),
    ]
    assert (row.final_score, row.letter_grade, row.passed) == (Decimal("63.67"), "D", True)
    assert [item.title for item in response.context["items"]] == [
        "Quiz 1",
        "Quiz 2",
        "Quiz 3",
        "Lab 1",
        "Lab 2",
        "Essay",
    ]


def test_gradebook_csv_is_streamed_with_every_learner(client, course, learner):
    grades_rollup(offering_id=course.offering.pk)
    EnrollmentFactory(course_offering=course.offering, user__full_name="=HYPERLINK(1)")
    client.force_login(university_admin(course.offering))

    response = client.get(gradebook_url(course.offering, csv=True))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == (
        "Name,Email,Quiz 1 (Quizzes),Quiz 2 (Quizzes),Quiz 3 (Quizzes),Lab 1 (Labs),"
        "Lab 2 (Labs),Essay (Assignments),Quizzes,Labs,Assignments,Projected final grade,"
        "Current grade,Letter,Passed,Final,Graded at"
    )
    assert len(lines) == 3
    ada = next(line for line in lines if line.startswith("Ada Lovelace,"))
    assert ada.startswith(
        f"Ada Lovelace,{learner.email},90.00,50.00,,80.00,70.00,75.00,46.67,75.00,75.00,"
        "63.67,73.00,D,yes,no,"
    )
    formula = next(line for line in lines if "HYPERLINK" in line)
    assert formula.startswith("'=HYPERLINK(1),")
    # Nothing graded: the projected grade is 0 and fails, the current grade is empty.
    assert formula.endswith(",,,,,,,0.00,0.00,0.00,0.00,,F,no,no,")


def test_gradebook_of_another_university_is_404(client, course, learner):
    client.force_login(university_admin(OfferingFactory()))

    assert client.get(gradebook_url(course.offering)).status_code == 404
    assert client.get(gradebook_url(course.offering, csv=True)).status_code == 404


def test_gradebook_is_refused_to_learners(client, course, learner):
    client.force_login(learner)

    response = client.get(gradebook_url(course.offering))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_gradebooks_index_lists_only_offerings_in_scope(client, course):
    other = OfferingFactory()
    client.force_login(university_admin(course.offering))

    response = client.get(reverse("admin:assessments_gradebooks"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [course.offering]
    assert other.course.title not in response.content.decode()


def test_policy_admin_rejects_weights_that_do_not_add_up(client, course):
    client.force_login(university_admin(course.offering))
    data = {
        "course_offering": course.offering.pk,
        "pass_threshold": "60",
        "letter_scheme": '[{"letter": "P", "min": 50}, {"letter": "F", "min": 0}]',
        "weight_quizzes": "50",
        "weight_labs": "50",
        "weight_assignments": "10",
        "quiz_attempt_rule": "best",
        "drop_lowest_quizzes": "0",
        "drop_lowest_labs": "0",
        "drop_lowest_assignments": "0",
    }

    response = client.post(reverse("admin:assessments_gradingpolicy_add"), data)

    assert response.status_code == 200
    assert "they must add up to 100" in response.content.decode()
    assert not GradingPolicy.objects.exists()

    data["weight_assignments"] = "0"
    response = client.post(reverse("admin:assessments_gradingpolicy_add"), data)

    assert response.status_code == 302
    policy = GradingPolicy.objects.get()
    assert policy.letter_scheme == [{"letter": "P", "min": 50}, {"letter": "F", "min": 0}]


def test_revoke_action_needs_a_reason_then_revokes(client, course, learner):
    grades_finalize(offering_id=course.offering.pk)
    certificate = certificate_issue(offering_id=course.offering.pk, user_id=learner.pk)
    staff = university_admin(course.offering)
    client.force_login(staff)
    url = reverse("admin:assessments_certificate_changelist")
    base = {"action": "revoke", "_selected_action": [certificate.pk]}

    asking = client.post(url, base)
    refused = client.post(url, {**base, "apply": "1", "reason": "  "})

    assert asking.status_code == 200
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    done = client.post(url, {**base, "apply": "1", "reason": "Grade appeal upheld"})

    assert done.status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.revoked_by == staff
    assert certificate.revocation_reason == "Grade appeal upheld"


def test_a_category_without_items_gives_its_weight_to_the_others_on_the_page(client, course):
    """The rollup spreads the weight of an empty category over the others; the page says so."""
    course.assignment.delete()
    GradingPolicy.objects.create(
        course_offering=course.offering, weight_quizzes=30, weight_labs=30, weight_assignments=40
    )
    learner = EnrollmentFactory(course_offering=course.offering).user
    client.force_login(learner)

    response = client.get(grades_url(course.offering))

    assert [(c.category, c.weight) for c in response.context["report"].categories] == [
        ("quizzes", Decimal("50.00")),
        ("labs", Decimal("50.00")),
    ]
    assert "50% of the total" in response.content.decode()


# --- what if --------------------------------------------------------------------------------


def test_what_if_with_the_real_scores_gives_the_real_grade(client, course, learner):
    """A second learner who did the same work except the essay, asking what if the essay
    scored the 75 the first one got, is shown the first one's grade as the rollup stores it."""
    other = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, other)
    LabSubmission.objects.filter(user=other, content_item=course.assignment).delete()
    grades_rollup(offering_id=course.offering.pk)
    real = CourseGrade.objects.get(user=learner, course_offering=course.offering)
    client.force_login(other)

    response = client.get(
        grades_url(course.offering),
        {"what_if": "1", f"score_{course.assignment.pk}": "75"},
    )

    what_if = response.context["what_if"]
    assert (what_if.final_score, what_if.current_score, what_if.letter_grade, what_if.passed) == (
        real.final_score,
        real.current_score,
        real.letter_grade,
        real.passed,
    )
    page = response.content.decode()
    assert f'data-grade="what-if-final"><strong>{real.final_score}%</strong>' in page
    assert f'data-grade="what-if-current"><strong>{real.current_score}%</strong>' in page
    # The learner's own grade is still shown as it is.
    assert response.context["report"].final_score != real.final_score


def test_what_if_scores_only_ungraded_items_and_matches_the_report(course, learner):
    graded_quiz, _q2, ungraded_quiz = course.quizzes
    real = learner_grade_report(offering_id=course.offering.pk, user_id=learner.pk)
    # A hypothetical score for graded work is ignored.
    same = learner_grade_report(
        offering_id=course.offering.pk, user_id=learner.pk, what_if={graded_quiz.pk: Decimal(0)}
    )
    assert (same.final_score, same.current_score) == (real.final_score, real.current_score)
    attempt(learner, course.offering, ungraded_quiz, 10, minutes=9)
    done = learner_grade_report(offering_id=course.offering.pk, user_id=learner.pk)
    hypothetical = learner_grade_report(
        offering_id=course.offering.pk,
        user_id=learner.pk,
        what_if={ungraded_quiz.pk: Decimal(100)},
    )
    assert (hypothetical.final_score, hypothetical.current_score) == (
        done.final_score,
        done.current_score,
    )
    assert hypothetical.final_score != real.final_score


def test_what_if_writes_nothing(client, course, learner, django_assert_num_queries):
    grades_rollup(offering_id=course.offering.pk)
    client.force_login(learner)
    client.get(grades_url(course.offering))  # warm the session
    before = list(CourseGrade.objects.values_list("final_score", "current_score", "graded_at"))
    _q1, _q2, ungraded_quiz = course.quizzes

    # The page's 8 queries, then the policy, scores, grade and certificate once more.
    with django_assert_num_queries(12) as captured:
        response = client.get(
            grades_url(course.offering), {"what_if": "1", f"score_{ungraded_quiz.pk}": "80"}
        )

    assert response.status_code == 200
    statements = [q["sql"].lstrip().split(None, 1)[0].upper() for q in captured.captured_queries]
    assert set(statements) <= {"SELECT", "WITH"}
    assert all("INSERT" not in q["sql"] and "UPDATE" not in q["sql"] for q in captured)
    assert list(CourseGrade.objects.values_list("final_score", "current_score", "graded_at")) == (
        before
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("101", "Enter a percent from 0 to 100."),
        ("-1", "Enter a percent from 0 to 100."),
        ("lots", "Enter a percent from 0 to 100."),
        ("50.125", "Use at most two decimals."),
    ],
)
def test_what_if_with_a_bad_score_says_so_and_computes_nothing(
    client, course, learner, value, message
):
    client.force_login(learner)
    _q1, _q2, ungraded_quiz = course.quizzes

    response = client.get(
        grades_url(course.offering), {"what_if": "1", f"score_{ungraded_quiz.pk}": value}
    )

    assert response.status_code == 200
    assert response.context["what_if"] is None
    page = response.content.decode()
    assert message in page
    assert "Some scores could not be used" in page
    assert 'aria-invalid="true"' in page
    assert f'value="{value}"' in page


def test_grades_page_offers_what_if_inputs_for_ungraded_items_only(client, course, learner):
    client.force_login(learner)
    page = client.get(grades_url(course.offering)).content.decode()

    _q1, _q2, ungraded_quiz = course.quizzes
    assert page.count('type="number" name="score_') == 1
    assert f'name="score_{ungraded_quiz.pk}"' in page
    assert 'name="what_if"' in page
