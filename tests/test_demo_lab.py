"""The demo's engineering lab: its seeded files and its reference solution grade full marks
through the real autograder (demo data run through assessments' lab services)."""

from decimal import Decimal

import pytest

from assessments.labs import services
from assessments.labs.models import LabStatus
from assessments.tests import lab_data
from assessments.tests.lab_data import build_lab_world, upload
from demo import labs, payloads

pytestmark = pytest.mark.django_db

lab_storage = lab_data.lab_storage


def test_demo_lab_grades_the_reference_solution(django_capture_on_commit_callbacks):
    payload = payloads.engineering_lab(
        runtime="python-datascience",
        image="registry.demo.lms/labs/python-datascience:2026.1",
        notebook="notebooks/ideal_gas_cycles.ipynb",
        slug="me201-1",
    )
    world = build_lab_world(payload)
    world.lab.lab_files.all().delete()
    assert labs.lab_files_seed([world.lab.course_id]) == 5
    assert labs.lab_files_seed([world.lab.course_id]) == 0

    with django_capture_on_commit_callbacks(execute=True):
        submission = services.lab_submission_create(
            user=world.student,
            offering=world.offering,
            item_id=world.lab.pk,
            files=[upload("analysis.py", labs.SOLUTION.encode())],
        )

    submission.refresh_from_db()
    assert submission.status == LabStatus.GRADED
    assert (submission.auto_grade_json["passed"], submission.auto_grade_json["total"]) == (6, 6)
    assert submission.score_obtained == Decimal("100.00")
