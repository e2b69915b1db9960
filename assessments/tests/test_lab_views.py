"""The lab page, its downloads and the admin of lab submissions: who may do what."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.labs.models import LabStatus, LabSubmission
from assessments.tests import lab_data
from assessments.tests.lab_data import HALF, PASSING, STARTER, build_lab_world, upload
from catalog.models import CourseOfferingInstructor
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
lab_world, lab_storage = lab_data.lab_world, lab_data.lab_storage


def lab_url(world) -> str:
    return reverse("portal:lab", kwargs={"offering_id": world.offering.pk, "item_id": world.lab.pk})


def file_url(world, path: str) -> str:
    return reverse(
        "portal:lab-file",
        kwargs={"offering_id": world.offering.pk, "item_id": world.lab.pk, "file_path": path},
    )


def instructor_of(world):
    user = UserFactory()
    RoleFactory(user=user, university=world.offering.university, role=Role.INSTRUCTOR)
    CourseOfferingInstructor.objects.create(course_offering=world.offering, user=user)
    return user


def test_student_submits_and_sees_the_per_test_results(
    client, lab_world, django_capture_on_commit_callbacks
):
    client.force_login(lab_world.student)
    page = client.get(lab_url(lab_world))
    assert page.status_code == 200
    assert b"Adding numbers" in page.content
    assert file_url(lab_world, "solution.py").encode() in page.content
    assert b"tests/test_hidden.py" not in page.content

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(lab_url(lab_world), {"files": [upload("solution.py", HALF)]})

    assert response.status_code == 302
    page = client.get(lab_url(lab_world))
    text = page.content.decode()
    assert "20.00 / 40.00 points" in text
    assert "1 of 2 tests passed" in text
    assert "AssertionError: opposites add up to zero (tests/test_hidden.py, line 8)" in text
    submission = LabSubmission.objects.get()
    download = client.get(
        reverse(
            "portal:lab-submission-download",
            kwargs={
                "offering_id": lab_world.offering.pk,
                "item_id": lab_world.lab.pk,
                "submission_id": submission.pk,
            },
        )
    )
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.read("solution.py") == HALF


def test_bad_upload_shows_the_reason_and_stores_nothing(client, lab_world):
    client.force_login(lab_world.student)
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../escape.py", b"x")

    response = client.post(lab_url(lab_world), {"files": [upload("work.zip", evil.getvalue())]})

    assert response.status_code == 400
    assert (
        "The path ../escape.py points outside the submission; use relative paths only."
        in response.content.decode()
    )
    assert LabSubmission.objects.count() == 0


def test_starter_file_downloads_but_hidden_tests_do_not(client, lab_world):
    client.force_login(lab_world.student)

    starter = client.get(file_url(lab_world, "solution.py"))
    hidden = client.get(file_url(lab_world, "tests/test_hidden.py"))

    assert starter.status_code == 200
    assert starter.content == STARTER
    assert starter["Content-Disposition"] == 'attachment; filename="solution.py"'
    assert hidden.status_code == 404


def test_anonymous_is_sent_to_log_in(client, lab_world):
    response = client.post(lab_url(lab_world), {"files": [upload("solution.py", PASSING)]})

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert LabSubmission.objects.count() == 0


def test_not_enrolled_student_cannot_submit(client, lab_world):
    client.force_login(UserFactory())

    response = client.post(lab_url(lab_world), {"files": [upload("solution.py", PASSING)]})

    assert response.status_code == 302
    assert LabSubmission.objects.count() == 0


def test_another_students_submission_is_not_downloadable(client, lab_world):
    other = build_lab_world()
    submission = LabSubmission.objects.create(
        user=other.student,
        course_offering=other.offering,
        content_item=other.lab,
        artifacts_url="labs/x.zip",
    )
    client.force_login(lab_world.student)

    response = client.get(
        reverse(
            "portal:lab-submission-download",
            kwargs={
                "offering_id": lab_world.offering.pk,
                "item_id": lab_world.lab.pk,
                "submission_id": submission.pk,
            },
        )
    )

    assert response.status_code == 404


def test_staff_preview_has_no_upload_form_and_cannot_post(client, lab_world):
    instructor = instructor_of(lab_world)
    client.force_login(instructor)

    page = client.get(lab_url(lab_world))
    posted = client.post(lab_url(lab_world), {"files": [upload("solution.py", PASSING)]})

    assert page.status_code == 200
    assert b'type="file"' not in page.content
    assert posted.status_code == 403
    assert LabSubmission.objects.count() == 0


def test_instructor_overrides_in_the_admin_and_other_tenants_see_nothing(
    client, lab_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(lab_world.student)
        client.post(lab_url(lab_world), {"files": [upload("solution.py", HALF)]})
    submission = LabSubmission.objects.get()
    assert submission.status == LabStatus.GRADED
    instructor = instructor_of(lab_world)
    outsider = UserFactory()
    RoleFactory(user=outsider, role=Role.UNIVERSITY_ADMIN)
    change_url = reverse("admin:assessments_labsubmission_change", args=[submission.pk])

    client.force_login(outsider)
    assert client.get(change_url).status_code == 404
    listing = client.get(reverse("admin:assessments_labsubmission_changelist"))
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 0

    client.force_login(instructor)
    bad = client.post(change_url, {"instructor_feedback": "", "score_override": "99"})
    assert bad.status_code == 200
    assert LabSubmission.objects.get().score_override is None
    response = client.post(change_url, {"instructor_feedback": "See me.", "score_override": "30"})
    assert response.status_code == 302
    reviewed = LabSubmission.objects.get()
    assert (reviewed.score_obtained, reviewed.auto_score) == (Decimal("30.00"), Decimal("20.00"))
    assert (reviewed.score_overridden_by, reviewed.feedback_by) == (instructor, instructor)
    assert reviewed.instructor_feedback == "See me."

    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(
            reverse("admin:assessments_labsubmission_changelist"),
            {"action": "regrade", "_selected_action": [submission.pk]},
            follow=True,
        )
    assert [str(m) for m in queued.context["messages"]][-1] == "1 submission queued for grading."
    regraded = LabSubmission.objects.get()
    assert regraded.status == LabStatus.GRADED
    assert regraded.graded_at > reviewed.graded_at
    assert regraded.score_obtained == Decimal("30.00")


def test_one_test_is_counted_in_the_singular(client, lab_world):
    LabSubmission.objects.create(
        user=lab_world.student,
        course_offering=lab_world.offering,
        content_item=lab_world.lab,
        status=LabStatus.GRADED,
        auto_grade_json={"tests": [{"name": "test_adds", "outcome": "passed"}]},
    )
    client.force_login(lab_world.student)

    page = client.get(lab_url(lab_world)).content.decode()

    assert "<p>1 of 1 test passed</p>" in page


def test_a_lab_without_a_description_has_no_empty_instructions_heading(client, lab_world):
    client.force_login(lab_world.student)

    page = client.get(lab_url(lab_world)).content.decode()

    assert "Instructions" not in page
    assert '<h2 id="lab-about">About this lab</h2>' in page
    assert "will open soon" not in page


def test_a_labs_description_is_under_its_instructions_heading(client, lab_world):
    lab_world.lab.description = "Complete add() in solution.py."
    lab_world.lab.save()
    client.force_login(lab_world.student)

    page = client.get(lab_url(lab_world)).content.decode()

    assert (
        '<h2 id="lab-instructions">Instructions</h2>\n'
        '    <div class="prose"><p>Complete add() in solution.py.</p></div>'
    ) in page
