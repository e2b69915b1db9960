"""Deleting content that holds students' work archives it instead (the work stays); the
recycle bin lists what was archived in the courses the user teaches and restores it. Content
without students' work is still deleted."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.progress.models import UserContentProgress, UserModuleProgress
from assessments.progress.tree_changes import tracked
from assessments.quizzes.models import QuizAttempt
from assessments.tests import test_quiz_pool_picker as quiz_tests
from content.models import ContentItem
from content.selectors import course_outline
from content.services import content_item_create
from content.tests.test_models import VALID
from syllabus.models import Module
from syllabus.services import module_set_published
from syllabus.tests.test_admin_tree import build_tree

pytestmark = pytest.mark.django_db

tenants = quiz_tests.tenants
client_for = quiz_tests.client_for


@pytest.fixture
def course(tenants):
    _root, modules = build_tree(tenants.course_a1)
    for module in Module.objects.filter(course=tenants.course_a1):
        tracked(module_set_published, module=module, is_published=True)
    items = {
        name: tracked(
            content_item_create,
            module=modules["A1"],
            content_type="text",
            title=name,
            data_json=VALID["text"],
        )
        for name in ("worked", "untouched", "after")
    }
    quiz = tracked(
        content_item_create,
        module=modules["B2"],
        content_type="quiz",
        title="quiz",
        data_json=VALID["quiz"],
    )
    return {"modules": modules, "items": items, "quiz": quiz}


def progress_on(tenants, item) -> UserContentProgress:
    enrollment = tenants.enrollments["a1"]
    return UserContentProgress.objects.create(
        user=enrollment.user,
        course_offering=enrollment.course_offering,
        content_item=item,
        progress_percent=Decimal(100),
    )


def outline_titles(course_id: int, *, staff: bool) -> tuple[list[str], list[str]]:
    """The modules of the outline, and the items shown under them."""
    outline = course_outline(course_id=course_id, include_hidden=staff)
    shown = [row["id"] for row in outline.rows]
    items = [i.title for pk in shown for i in outline.items_by_module.get(pk, [])]
    return [row["title"] for row in outline.rows], sorted(items)


def staff_outline(course_id: int) -> tuple[list[str], list[str]]:
    return outline_titles(course_id, staff=True)


def learner_outline(course_id: int) -> tuple[list[str], list[str]]:
    return outline_titles(course_id, staff=False)


def delete_item(client, item):
    url = reverse("admin:content_textitem_delete", args=[item.pk])
    return client.post(url, {"post": "yes"})


def test_deleting_an_item_with_students_work_archives_it(tenants, course):
    worked = course["items"]["worked"]
    progress = progress_on(tenants, worked)
    response = delete_item(client_for(tenants, "instructor"), worked)
    assert response.status_code == 302
    item = ContentItem.objects.get(pk=worked.pk)
    assert item.archived_at is not None
    assert item.is_active is False
    assert UserContentProgress.objects.filter(pk=progress.pk).exists()
    # Out of the module's numbering: the others keep 1..n, the archived one goes last.
    numbering = ContentItem.objects.filter(module=worked.module).order_by("sequence_index")
    assert [(i.title, i.sequence_index) for i in numbering] == [
        ("untouched", 1),
        ("after", 2),
        ("worked", 3),
    ]
    assert "worked" not in staff_outline(tenants.course_a1.pk)[1]
    assert "worked" not in learner_outline(tenants.course_a1.pk)[1]


def test_deleting_an_item_without_students_work_deletes_it(tenants, course):
    untouched = course["items"]["untouched"]
    response = delete_item(client_for(tenants, "instructor"), untouched)
    assert response.status_code == 302
    assert not ContentItem.objects.filter(pk=untouched.pk).exists()


def test_a_quiz_with_an_attempt_is_archived_with_the_attempt_kept(tenants, course):
    enrollment = tenants.enrollments["a1"]
    attempt = QuizAttempt.objects.create(
        user=enrollment.user,
        course_offering=enrollment.course_offering,
        content_item=course["quiz"],
    )
    url = reverse("admin:content_quizitem_delete", args=[course["quiz"].pk])
    assert client_for(tenants, "instructor").post(url, {"post": "yes"}).status_code == 302
    assert ContentItem.objects.get(pk=course["quiz"].pk).archived_at is not None
    assert QuizAttempt.objects.filter(pk=attempt.pk).exists()


def test_the_recycle_bin_lists_archived_items_and_restores_them(tenants, course):
    worked = course["items"]["worked"]
    progress_on(tenants, worked)
    client = client_for(tenants, "instructor")
    delete_item(client, worked)
    changelist = reverse("admin:content_contentitem_changelist")
    current = client.get(changelist)
    assert worked.pk not in [row.pk for row in current.context["cl"].result_list]
    binned = client.get(changelist, {"archived": "yes"})
    assert [row.pk for row in binned.context["cl"].result_list] == [worked.pk]

    other = client_for(tenants, "instructor_b").get(changelist, {"archived": "yes"})
    assert list(other.context["cl"].result_list) == []

    ta = client_for(tenants, "ta")
    response = ta.post(
        f"{changelist}?archived=yes",
        {"action": "restore_from_recycle_bin", "_selected_action": [worked.pk]},
    )
    assert response.status_code in (200, 302)
    assert ContentItem.objects.get(pk=worked.pk).archived_at is not None

    response = client.post(
        f"{changelist}?archived=yes",
        {"action": "restore_from_recycle_bin", "_selected_action": [worked.pk]},
    )
    assert response.status_code == 302
    item = ContentItem.objects.get(pk=worked.pk)
    assert item.archived_at is None
    assert item.is_active is False  # back as a draft
    assert "worked" in staff_outline(tenants.course_a1.pk)[1]
    assert "worked" not in learner_outline(tenants.course_a1.pk)[1]


def test_deleting_a_module_subtree_with_students_work_archives_it(tenants, course):
    progress = progress_on(tenants, course["items"]["worked"])
    unit = course["modules"]["A"]
    client = client_for(tenants, "instructor")
    url = reverse("admin:syllabus_module_delete", args=[unit.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    subtree = Module.objects.filter(pk__in=[unit.pk, course["modules"]["A1"].pk])
    assert all(m.archived_at is not None for m in subtree)
    assert UserContentProgress.objects.filter(pk=progress.pk).exists()
    assert ContentItem.objects.filter(pk=course["items"]["worked"].pk).exists()
    modules, items = staff_outline(tenants.course_a1.pk)
    assert modules == ["Mechanics", "B", "B1", "B2", "B3", "C", "C1", "C2", "C3"]
    assert items == ["quiz"]
    assert learner_outline(tenants.course_a1.pk) == (modules, ["quiz"])

    changelist = reverse("admin:syllabus_module_changelist")
    binned = client.get(changelist, {"archived": "yes"})
    assert {m.title for m in binned.context["cl"].result_list} == {"A", "A1", "A2", "A3"}
    response = client.post(
        f"{changelist}?archived=yes",
        {"action": "restore_from_recycle_bin", "_selected_action": [unit.pk]},
    )
    assert response.status_code == 302
    assert not Module.objects.filter(course=tenants.course_a1, archived_at__isnull=False).exists()
    modules, items = staff_outline(tenants.course_a1.pk)
    assert modules == [
        "Mechanics",
        "B",
        "B1",
        "B2",
        "B3",
        "C",
        "C1",
        "C2",
        "C3",
        "A",
        "A1",
        "A2",
        "A3",
    ]
    assert items == ["after", "quiz", "untouched", "worked"]
    assert Module.objects.get(pk=unit.pk).is_published is False


def test_module_progress_alone_is_students_work(tenants, course):
    unit = course["modules"]["C"]
    enrollment = tenants.enrollments["a1"]
    UserModuleProgress.objects.create(
        user=enrollment.user, course_offering=enrollment.course_offering, module=unit
    )
    url = reverse("admin:syllabus_module_delete", args=[unit.pk])
    assert client_for(tenants, "instructor").post(url, {"post": "yes"}).status_code == 302
    assert Module.objects.get(pk=unit.pk).archived_at is not None


def test_deleting_a_module_without_students_work_deletes_it(tenants, course):
    unit = course["modules"]["C"]
    url = reverse("admin:syllabus_module_delete", args=[unit.pk])
    assert client_for(tenants, "instructor").post(url, {"post": "yes"}).status_code == 302
    assert not Module.objects.filter(title__startswith="C", course=tenants.course_a1).exists()
