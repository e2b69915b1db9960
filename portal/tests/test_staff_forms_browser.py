"""Staff forms in Chromium: the quiz editor's pool picker and the offering form say what is
wrong next to the field, on a desktop and on a phone. Screenshots in
test-artifacts/screenshots/staff-forms-*.png."""

import pytest
from django.urls import reverse

from assessments.progress.tree_changes import tracked
from assessments.tests.quiz_factories import pool, true_false
from catalog.tests.tenants import build_tenants
from content.services import content_item_create
from content.tests.test_models import VALID
from syllabus.tests.test_admin_tree import build_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tenancy.tests.factories.UserFactory


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    tenants = build_tenants()
    _root, modules = build_tree(tenants.course_a1, units=1, lessons=1)
    statics = pool(tenants.course_a1, "Statics")
    for n in range(3):
        true_false(statics, prompt=f"Statics {n}")
    true_false(pool(tenants.course_b1, "Cells bank"))
    quiz = tracked(
        content_item_create,
        module=modules["A1"],
        content_type="quiz",
        title="Check",
        data_json={**VALID["quiz"], "question_pool_id": statics.pk, "num_questions_per_attempt": 2},
    )
    return tenants, quiz


def log_in(page, email: str) -> None:
    page.goto(reverse("admin:login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


@pytest.mark.parametrize("width", [1280, 360])
def test_the_quiz_pool_picker_and_its_count_message(page, screenshot, world, width):
    _tenants, quiz = world
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "instructor@example.edu")
    page.goto(reverse("admin:content_quizitem_change", args=[quiz.pk]))
    picker = page.get_by_label("Question pool")
    options = picker.locator("option").all_inner_texts()
    assert options == ["Choose a question pool", "Statics (3 questions)"]
    page.get_by_label("Questions per attempt").fill("100000")
    page.get_by_role("button", name="Save", exact=True).click()
    error = page.locator(".field-num_questions_per_attempt .errorlist")
    assert error.inner_text() == "The pool holds 3 questions; ask for 1 to 3."
    screenshot(f"staff-forms-quiz-pool-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= max(width, 1280)


@pytest.mark.parametrize("width", [1280, 360])
def test_the_offering_form_explains_capacity_and_offers_visibility_choices(
    page, screenshot, world, width
):
    tenants, _quiz = world
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "university_admin@example.edu")
    page.goto(reverse("admin:catalog_courseoffering_change", args=[tenants.offering_a1.pk]))
    visibility = page.get_by_label("Visibility")
    assert visibility.locator("option").all_inner_texts() == [
        "Public: in the catalog",
        "Private: the university only",
    ]
    page.get_by_label("Capacity").fill("-5")
    page.get_by_role("button", name="Save", exact=True).click()
    error = page.locator(".field-capacity .errorlist")
    assert (
        error.inner_text() == "Give at least 1 seat, or leave capacity empty for unlimited seats."
    )
    assert "course_offerings_" not in page.content()
    screenshot(f"staff-forms-offering-capacity-{width}")
