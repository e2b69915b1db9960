"""The demo's known student, mid-term in ME201, with the quiz and the lab not done yet (the demo
scored the others): the starting point of the end-to-end tests on real workers."""

import re
from dataclasses import dataclass

from assessments.labs.models import LabSubmission
from assessments.quizzes.models import Question, QuizAttempt
from assessments.tests.quiz_factories import correct_answers
from catalog.models import CourseEnrollment, CourseOffering, EnrollmentStatus
from content.models import ContentItem
from demo.activity import KNOWN_STUDENT
from demo.seed import seed_demo
from tenancy.models import User


@dataclass
class DemoWork:
    student: User
    enrollment: CourseEnrollment
    offering: CourseOffering
    quiz: ContentItem
    lab: ContentItem


def demo_work_to_do() -> DemoWork:
    """Seed the demo and find the student's open work."""
    assert seed_demo()
    student = User.objects.get(email=KNOWN_STUDENT)
    enrollment = CourseEnrollment.objects.get(
        user=student, course_offering__course__code="ME201", status=EnrollmentStatus.ACTIVE
    )
    offering = enrollment.course_offering
    items = ContentItem.objects.non_polymorphic().filter(course_id=offering.course_id)
    quiz = (
        items.filter(content_type="quiz")
        .exclude(pk__in=QuizAttempt.objects.filter(user=student).values("content_item_id"))
        .order_by("pk")
        .first()
    )
    lab = (
        items.filter(content_type="engineering_lab")
        .exclude(pk__in=LabSubmission.objects.filter(user=student).values("content_item_id"))
        .order_by("pk")
        .first()
    )
    return DemoWork(student, enrollment, offering, quiz, lab)


def all_right(attempt: QuizAttempt) -> dict[str, object]:
    """The attempt form's submit with every answer right (the regex question: "Hertz")."""
    questions = Question.objects.filter(pk__in=attempt.raw_response_json["question_ids"])
    form: dict[str, object] = {"action": "submit"}
    for question, answer in correct_answers(questions).items():
        form[f"q{question}"] = answer
    for question in questions.filter(text_match="regex"):
        assert re.fullmatch(question.text_answer, "Hertz")  # "Give the unit of frequency"
        form[f"q{question.pk}"] = "Hertz"
    return form
