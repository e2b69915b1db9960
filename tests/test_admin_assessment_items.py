"""Authoring the assessment content types in content's admin: a quiz keeps its payload valid
when edited, and a preview as student records no progress."""

import pytest
from django.urls import reverse

from assessments.progress.models import UserContentProgress
from assessments.progress.tree_changes import tracked
from assessments.quizzes.models import Question, QuestionPool
from content.services import content_item_create
from content.tests.test_admin_items import login
from content.tests.test_models import VALID
from syllabus.models import Module
from syllabus.services import module_set_published
from syllabus.tests.test_admin_tree import build_tree


@pytest.fixture
def tree(tenants):
    root, m = build_tree(tenants.course_a1)
    for module in Module.objects.filter(course=tenants.course_a1):
        tracked(module_set_published, module=module, is_published=True)
    return root, m


def test_editing_a_quiz_keeps_the_payload_valid(client, tenants, tree):
    _root, m = tree
    item = tracked(
        content_item_create, module=m["A2"], content_type="quiz", title="Q", data_json=VALID["quiz"]
    )
    bank = QuestionPool.objects.create(course=tenants.course_a1, title="Bank")
    for n in range(4):
        Question.objects.create(
            pool=bank, question_type="true_false", prompt=f"Q{n}", position=n, correct_boolean=True
        )
    login(client, tenants, "instructor")
    url = reverse("admin:content_quizitem_change", args=[item.pk])
    data = {
        "title": "Quiz 1",
        "is_active": "on",
        "question_pool_id": str(bank.pk),
        "quiz_mode": "practice",
        "num_questions_per_attempt": "4",
        "time_limit_seconds": "",
        "mastery_threshold": "",
        "mastery_points": "",
        "mastery_max_attempts": "",
    }
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.title == "Quiz 1"
    assert item.data_json == {
        "question_pool_id": bank.pk,
        "quiz_mode": "practice",
        "num_questions_per_attempt": 4,
        "randomize_order": False,
        "time_limit_seconds": None,
        "mastery": None,
    }
    response = client.post(url, {**data, "num_questions_per_attempt": "0", "title": "Changed"})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.title == "Quiz 1"


def test_preview_as_student_shows_what_students_see_and_records_nothing(client, tenants, tree):
    _root, m = tree
    shown = tracked(
        content_item_create,
        module=m["A1"],
        content_type="text",
        title="Shown",
        data_json=VALID["text"],
    )
    tracked(
        content_item_create,
        module=m["A1"],
        content_type="text",
        title="Draft",
        data_json=VALID["text"],
        is_active=False,
    )
    tracked(module_set_published, module=m["B"], is_published=False)
    hidden = tracked(
        content_item_create,
        module=m["B1"],
        content_type="text",
        title="Later",
        data_json=VALID["text"],
    )
    login(client, tenants, "instructor")
    page = client.get(reverse("admin:content_contentitem_preview", args=[shown.pk]))
    assert page.status_code == 200
    assert b"Preview as a student" in page.content and b"<math" in page.content
    assert b"Students cannot see this item yet" not in page.content
    page = client.get(reverse("admin:content_contentitem_preview", args=[hidden.pk]))
    assert b"Students cannot see this item yet" in page.content
    outline = client.get(
        reverse("admin:syllabus_module_preview", args=[m["A"].pk])
    ).content.decode()
    assert "Shown" in outline and "Draft" not in outline and "A2" in outline and "B1" not in outline
    outline = client.get(
        reverse("admin:syllabus_module_preview", args=[m["B"].pk])
    ).content.decode()
    assert "Students cannot see this module yet" in outline and "Later" in outline
    assert UserContentProgress.objects.count() == 0
