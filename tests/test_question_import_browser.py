"""An instructor imports a GIFT bank in Chromium: the question pools list links to the import
page, the preview lists the questions by type and the ones that cannot be imported with their
line and reason, confirming writes them all into the pool, and the pool's page downloads it
back as GIFT. Screenshots at desktop width and at 360 px, where nothing scrolls sideways."""

from pathlib import Path

import pytest
from django.urls import reverse

from assessments.quizzes.models import QuestionPool
from catalog.tests.tenants import build_tenants
from syllabus.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GIFT = Path(__file__).resolve().parent.parent / "interchange" / "tests" / "data" / "every_type.gift"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_instructor_previews_and_confirms_a_gift_import(
    page, new_page, live_server, screenshot, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    tenants = build_tenants()
    log_in(page, live_server, tenants.user("instructor"))
    page.goto(reverse("admin:assessments_questionpool_changelist"))
    page.get_by_role("link", name="Import questions").click()
    page.get_by_label("Course").select_option(label="PHY101 · Mechanics")
    page.get_by_label("Question pool").fill("Statics bank")
    page.get_by_label("Question bank file").set_input_files(str(GIFT))
    screenshot("question-import-form")
    page.get_by_role("button", name="Preview").click()

    counts = page.locator(".qimport-counts").inner_text()
    assert "2 Single choice" in counts and "3 Numeric" in counts and "3 not importable" in counts
    unmapped = page.locator("#qimport-unmapped tbody tr").all_inner_texts()
    assert len(unmapped) == 3 and "line 40" in unmapped[0] and "Matching" in unmapped[0]
    assert page.locator("#qimport-questions tbody tr").count() == 11
    screenshot("question-import-preview-desktop")
    assert QuestionPool.objects.count() == 0

    page.set_viewport_size({"width": 360, "height": 800})
    assert no_sideways_scroll(page)
    screenshot("question-import-preview-360")

    page.get_by_role("button", name="Import 11 questions").click()
    assert "11 questions imported into “Statics bank”." in page.locator(".messagelist").inner_text()
    pool = QuestionPool.objects.get()
    assert (pool.course_id, pool.questions.count()) == (tenants.course_a1.pk, 11)
    assert page.url.endswith(reverse("admin:assessments_questionpool_change", args=[pool.pk]))
    assert no_sideways_scroll(page)
    screenshot("question-import-done-360")

    # The pool's page offers it back as GIFT, which reads as the 11 questions again.
    with page.expect_download() as download:
        page.get_by_role("link", name="Export as GIFT").click()
    assert download.value.suggested_filename == "phy101-statics-bank.gift"
    exported = Path(download.value.path()).read_text()
    assert exported.startswith("// Statics bank\n\n$CATEGORY: Statics bank\n\n")
    assert exported.count("\n[plain]") == 11
