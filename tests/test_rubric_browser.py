"""In Chromium, an instructor grades two essays with the course's rubric through the grading
queue (the second opens after the first is saved), then the student sees the filled rubric and
the comment on the assignment page; at desktop width and at 360 px, where nothing scrolls
sideways. Screenshots in test-artifacts/screenshots/rubric-*.png."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.labs.models import LabSubmission
from assessments.rubrics.services import rubric_attach
from assessments.tests import trees
from assessments.tests.grading_data import submission
from assessments.tests.rubric_data import essay_rubric
from catalog.tests.factories import EnrollmentFactory
from catalog.tests.tenants import build_tenants
from portal.tests.test_quiz_browser import log_in
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def pick(page, criterion: str, level: str) -> None:
    group = page.locator(
        "fieldset.teaching-criterion", has=page.locator(f"legend:text-is('{criterion}')")
    )
    group.get_by_label(level, exact=False).check()


def test_instructor_grades_two_essays_with_a_rubric_and_the_student_sees_it(
    new_page, live_server, artifacts_dir
):
    tenants = build_tenants()
    unit = trees.module(trees.root(tenants.course_a1), "Unit 1")
    essay = trees.item(unit, "Essay on motion", "assignment")
    rubric_attach(item=essay, rubric=essay_rubric(tenants.course_a1))
    ada = tenants.users["student"]
    ada.full_name = "Ada Lovelace"
    ada.save(update_fields=["full_name"])
    ben = UserFactory(full_name="Ben Okri")
    RoleFactory(user=ben, university=tenants.university_a, role=Role.STUDENT)
    EnrollmentFactory(user=ben, course_offering=tenants.offering_a1)
    first = submission(ada, tenants.offering_a1, essay, None, 20, status="submitted", minutes=1)
    second = submission(ben, tenants.offering_a1, essay, None, 20, status="submitted", minutes=2)
    LabSubmission.objects.filter(pk=first.pk).update(
        auto_grade_json={"text": "Newton's laws describe how forces change motion."}
    )
    LabSubmission.objects.filter(pk=second.pk).update(
        auto_grade_json={"text": "Motion is relative."}
    )

    page = new_page()
    log_in(page, live_server, tenants.users["instructor"])
    page.goto(reverse("teaching:queue", args=[tenants.offering_a1.pk, essay.pk]))
    assert page.locator("#submission-heading").inner_text() == "Ada Lovelace"
    pick(page, "Argument", "Strong")
    pick(page, "Evidence", "Some")
    pick(page, "Style", "Polished")
    page.get_by_label("Comment on “Evidence”").fill("Cite the second law with a number.")
    page.screenshot(path=str(artifacts_dir / "rubric-queue-desktop.png"), full_page=True)
    page.get_by_role("button", name="Save and open the next").click()
    page.wait_for_url(f"**/{second.pk}/")
    assert page.locator("#submission-heading").inner_text() == "Ben Okri"
    page.set_viewport_size({"width": 360, "height": 800})
    fits(page)
    page.screenshot(path=str(artifacts_dir / "rubric-queue-360.png"), full_page=True)
    pick(page, "Argument", "Fair")
    pick(page, "Evidence", "None")
    pick(page, "Style", "Clear")
    # Ada is graded now, so she comes after Ben in the queue: saving opens her again.
    page.get_by_role("button", name="Save and open the next").click()
    page.wait_for_url(f"**/{first.pk}/")
    assert page.locator(".teaching-grade strong").count() == 0  # nothing waits
    scores = dict(LabSubmission.objects.values_list("user_id", "score_obtained"))
    assert scores == {ada.pk: Decimal("17.00"), ben.pk: Decimal("8.00")}

    learner = new_page()
    log_in(learner, live_server, ada)
    learner.goto(
        reverse(
            "portal:assignment", kwargs={"offering_id": tenants.offering_a1.pk, "item_id": essay.pk}
        )
    )
    filled = learner.locator(".lab-rubric")
    assert filled.locator("h3").inner_text() == "Rubric “Essay rubric”: 17.00 of 20.00"
    rows = filled.locator("tbody tr").all_inner_texts()
    assert [" ".join(row.split()) for row in rows] == [
        "Argument Strong 8.00 / 8.00",
        "Evidence Some Cite the second law with a number. 3.00 / 6.00",
        "Style Polished 6.00 / 6.00",
    ]
    learner.screenshot(path=str(artifacts_dir / "rubric-student-desktop.png"), full_page=True)
    learner.set_viewport_size({"width": 360, "height": 800})
    fits(learner)
    learner.screenshot(path=str(artifacts_dir / "rubric-student-360.png"), full_page=True)
