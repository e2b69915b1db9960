"""A quiz made from a template stub is written with the pool its caller chose for it, asked
once per quiz with the pool the stub names (None for a draft) and the quiz's title: the id a
template names is never written, not even for a moment."""

import pytest

from catalog.tests.factories import CourseFactory
from content.models import ContentItem
from content.services import module_from_template
from syllabus.models import ModuleTemplate
from syllabus.services import course_root

pytestmark = pytest.mark.django_db

QUIZ = {"question_pool_id": 77, "quiz_mode": "exam", "num_questions_per_attempt": 2}
LAYOUT = {
    "content": [{"content_type": "quiz", "title": "Draft check"}],
    "children": [
        {
            "module_type": "topic",
            "title": "Practice",
            "content": [
                {"content_type": "quiz", "title": "Named pool", "data_json": QUIZ},
                {"content_type": "text", "title": "Reading"},
            ],
        }
    ],
}


def test_each_quiz_gets_the_pool_its_caller_picks():
    root = course_root(course=CourseFactory())
    template = ModuleTemplate.objects.create(
        template_type="lesson", title="Lesson", default_data=LAYOUT
    )
    asked = []

    def quiz_pool(named, title):
        asked.append((named, title))
        return 500 + len(asked)

    made, _ = module_from_template(template=template, parent=root, quiz_pool=quiz_pool)
    assert asked == [(None, "Draft check"), (77, "Named pool")]
    quizzes = ContentItem.objects.non_polymorphic().filter(
        module__in=made.get_descendants(include_self=True), content_type="quiz"
    )
    assert sorted((q.title, q.data_json["question_pool_id"], q.is_active) for q in quizzes) == [
        ("Draft check", 501, False),
        ("Named pool", 502, True),
    ]
