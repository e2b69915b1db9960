"""Staff in Chromium: copy a course's material under a module of another course from the
syllabus tree, then run an offering again next term; at desktop and phone widths."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from assessments.grades.models import GradingPolicy
from assessments.quizzes.models import QuestionPool
from assessments.tests import trees
from assessments.tests.quiz_factories import every_type, quiz_payload
from catalog.models import CourseOffering
from catalog.tests.tenants import build_tenants
from content.models import ContentItem
from syllabus.models import Module
from syllabus.tests.browser import log_in
from syllabus.tests.test_services import titles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 360])
def test_a_university_admin_copies_material_and_reruns_an_offering(
    page, live_server, screenshot, settings, width
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    page.set_viewport_size({"width": width, "height": 800})
    tenants = build_tenants()
    unit = trees.module(trees.root(tenants.course_a1), "Statics")
    pool = QuestionPool.objects.create(course=tenants.course_a1, title="Statics questions")
    every_type(pool)
    trees.item(unit, "Check", "quiz", data=quiz_payload(pool.pk))
    week = trees.module(trees.root(tenants.course_a2), "Week 1")
    log_in(page, live_server, tenants.user("university_admin"))

    page.goto(reverse("admin:syllabus_module_tree", args=[tenants.course_a1.pk]))
    page.get_by_role("link", name="Copy this syllabus to another course").click()
    page.get_by_label("Copy into course").select_option(str(tenants.course_a2.pk))
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Under module").select_option(str(week.pk))
    screenshot(f"copy-material-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Copy").click()
    page.wait_for_url(f"**{reverse('admin:syllabus_module_tree', args=[tenants.course_a2.pk])}")
    message = page.locator(".messagelist").inner_text()
    assert "Copied 1 modules, 1 items, 1 question pools" in message
    assert titles(Module.objects.get(pk=week.pk)) == ["Statics"]
    quiz = ContentItem.objects.get(course=tenants.course_a2, title="Check")
    assert QuestionPool.objects.get(pk=quiz.data_json["question_pool_id"]).questions.count() == 5

    start = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    CourseOffering.objects.filter(pk=tenants.offering_a2.pk).update(
        starts_at=start, ends_at=start + timedelta(days=90), capacity=30
    )
    GradingPolicy.objects.create(course_offering=tenants.offering_a2)
    page.goto(reverse("admin:catalog_courseoffering_change", args=[tenants.offering_a2.pk]))
    page.get_by_role("link", name="Run again next term").click()
    page.get_by_label("New start").fill("2027-02-01T08:00")
    page.get_by_label("Term name").fill("Spring 2027")
    screenshot(f"rerun-offering-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Create the new offering").click()
    page.wait_for_selector(".messagelist")
    rerun = CourseOffering.objects.get(term_name="Spring 2027")
    assert (rerun.ends_at, rerun.capacity) == (datetime(2027, 5, 2, 8, 0, tzinfo=UTC), 30)
    assert GradingPolicy.objects.filter(course_offering=rerun).exists()
