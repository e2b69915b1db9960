"""Assignment submissions: the learner's page, the late rule, who may submit, and grading in
the admin feeding the course grade."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from assessments.grades.models import CourseGrade
from assessments.labs.models import LabStatus, LabSubmission
from assessments.labs.uploads import archive_files
from assessments.tests import lab_data, trees
from assessments.tests.lab_data import upload
from catalog.models import CourseOfferingInstructor, EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
lab_storage = lab_data.lab_storage


def payload(**overrides) -> dict:
    data = {
        "instructions": "Solve problems 1-5.\nShow your work.",
        "due_at": (timezone.now() + timedelta(days=3)).isoformat(),
        "max_points": 20,
        "submission_types": ["file", "text"],
        "allow_late": False,
    }
    data.update(overrides)
    return data


@pytest.fixture
def world():
    offering = OfferingFactory()
    unit = trees.module(trees.root(offering.course), "Unit 1")
    item = trees.item(unit, "Problem set 1", "assignment", data=payload())
    student = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.ACTIVE).user
    return offering, item, student


def url(offering, item) -> str:
    return reverse("portal:assignment", kwargs={"offering_id": offering.pk, "item_id": item.pk})


def set_payload(item, **overrides) -> None:
    item.data_json = payload(**overrides)
    item.save(update_fields=["data_json"])


def test_item_page_links_to_the_submission_page(client, world):
    offering, item, student = world
    client.force_login(student)
    page = client.get(
        reverse("portal:item", kwargs={"offering_id": offering.pk, "item_id": item.pk})
    )
    assert url(offering, item).encode() in page.content


def test_student_submits_a_text_and_a_file_and_sees_them_waiting(client, world):
    offering, item, student = world
    student.time_zone = "Asia/Tokyo"
    student.save(update_fields=["time_zone"])
    client.force_login(student)
    page = client.get(url(offering, item))
    assert page.status_code == 200
    assert b'name="text"' in page.content and b'name="files"' in page.content
    assert b"(JST)" in page.content

    response = client.post(
        url(offering, item),
        {"text": "My answer is 42.", "files": [upload("work.pdf", b"%PDF-1.4 proof")]},
    )

    assert response.status_code == 302
    submission = LabSubmission.objects.get()
    assert submission.status == LabStatus.SUBMITTED
    assert submission.max_score == Decimal("20.00")
    assert submission.score_obtained is None
    assert submission.auto_grade_json == {
        "text": "My answer is 42.",
        "files": ["work.pdf"],
        "late": False,
    }
    with default_storage.open(submission.artifacts_url, "rb") as handle:
        assert archive_files(handle.read()) == {"work.pdf": b"%PDF-1.4 proof"}
    assert submission.artifacts_url.startswith(f"labs/u{offering.university_id}/o{offering.pk}/")
    text = client.get(url(offering, item)).content.decode()
    assert "Waiting for grading" in text
    assert "My answer is 42." in text


def test_text_only_assignment_refuses_files_and_empty_answers(client, world):
    offering, item, student = world
    set_payload(item, submission_types=["text"])
    client.force_login(student)

    page = client.get(url(offering, item))
    files = client.post(url(offering, item), {"files": [upload("a.txt", b"x")]})
    empty = client.post(url(offering, item), {"text": "   "})

    assert b'name="files"' not in page.content
    assert files.status_code == 400
    assert "This assignment does not accept this kind of answer." in files.content.decode()
    assert empty.status_code == 400
    assert "Add your answer" in empty.content.decode()
    assert LabSubmission.objects.count() == 0


def test_late_submission_is_refused_unless_late_work_is_allowed(client, world):
    offering, item, student = world
    set_payload(item, due_at=(timezone.now() - timedelta(hours=1)).isoformat())
    client.force_login(student)

    refused = client.post(url(offering, item), {"text": "Sorry, late."})

    assert refused.status_code == 400
    assert (
        "The due date has passed and this assignment does not accept late submissions."
        in refused.content.decode()
    )
    assert LabSubmission.objects.count() == 0

    set_payload(item, due_at=(timezone.now() - timedelta(hours=1)).isoformat(), allow_late=True)
    accepted = client.post(url(offering, item), {"text": "Sorry, late."})

    assert accepted.status_code == 302
    assert LabSubmission.objects.get().auto_grade_json == {
        "text": "Sorry, late.",
        "files": [],
        "late": True,
    }
    page = client.get(url(offering, item)).content.decode()
    assert '<span class="badge warn">Late</span>' in page


def test_outsiders_cannot_submit_and_foreign_items_are_404(client, world):
    offering, item, student = world
    other_admin = RoleFactory(role=Role.UNIVERSITY_ADMIN).user
    client.force_login(other_admin)
    sent_away = client.post(url(offering, item), {"text": "x"})
    assert sent_away.status_code == 302
    assert "/learn/" not in sent_away["Location"]

    other = OfferingFactory()
    foreign = trees.item(
        trees.module(trees.root(other.course), "Unit"), "Theirs", "assignment", data=payload()
    )
    client.force_login(student)
    assert client.get(url(offering, foreign)).status_code == 404
    assert client.post(url(offering, foreign), {"text": "x"}).status_code == 404
    text_item = trees.item(trees.module(trees.root(offering.course), "U2"), "Notes", "text")
    assert client.get(url(offering, text_item)).status_code == 404
    assert LabSubmission.objects.count() == 0


def test_staff_preview_has_no_form_and_cannot_post(client, world):
    offering, item, _student = world
    instructor = RoleFactory(university=offering.university, role=Role.INSTRUCTOR).user
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    client.force_login(instructor)

    page = client.get(url(offering, item))
    posted = client.post(url(offering, item), {"text": "x"})

    assert page.status_code == 200
    assert b"<form" not in page.content.split(b"<main", 1)[-1].split(b"</main>")[0]
    assert "Staff preview" in page.content.decode()
    assert posted.status_code == 403
    assert LabSubmission.objects.count() == 0


def test_staff_grade_in_the_admin_rolls_the_grade_up_and_bad_scores_change_nothing(
    client, world, django_capture_on_commit_callbacks
):
    offering, item, student = world
    client.force_login(student)
    client.post(url(offering, item), {"text": "My answer."})
    submission = LabSubmission.objects.get()
    instructor = RoleFactory(university=offering.university, role=Role.INSTRUCTOR).user
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    outsider = RoleFactory(role=Role.UNIVERSITY_ADMIN).user
    change_url = reverse("admin:assessments_assignmentsubmission_change", args=[submission.pk])
    listing_url = reverse("admin:assessments_assignmentsubmission_changelist")

    client.force_login(outsider)
    assert client.get(change_url).status_code == 404
    assert client.get(listing_url).context["cl"].result_count == 0

    client.force_login(instructor)
    assert client.get(listing_url).context["cl"].result_count == 1
    labs_url = reverse("admin:assessments_labsubmission_changelist")
    assert client.get(labs_url).context["cl"].result_count == 0  # labs only there
    for bad in ("21", "-1", "many", ""):
        response = client.post(change_url, {"score_override": bad, "instructor_feedback": "x"})
        assert response.status_code == 200, bad
        assert response.context["adminform"].form.errors, bad
    unchanged = LabSubmission.objects.get()
    assert (unchanged.status, unchanged.score_obtained, unchanged.instructor_feedback) == (
        LabStatus.SUBMITTED,
        None,
        None,
    )
    assert not CourseGrade.objects.filter(final_score__gt=0).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url, {"score_override": "15", "instructor_feedback": "Good work."}
        )

    assert response.status_code == 302
    graded = LabSubmission.objects.get()
    assert (graded.status, graded.score_obtained, graded.score_overridden_by) == (
        LabStatus.GRADED,
        Decimal("15.00"),
        instructor,
    )
    grade = CourseGrade.objects.get(user=student, course_offering=offering)
    assert grade.final_score == Decimal("75.00")
    client.force_login(student)
    text = client.get(url(offering, item)).content.decode()
    assert "15.00 / 20.00 points" in text
    assert "Good work." in text


def test_lab_submissions_admin_grading_service_refuses_a_lab_row(world):
    from django.core.exceptions import ValidationError

    from assessments.assignments.services import assignment_submission_grade

    lab = lab_data.build_lab_world()
    row = LabSubmission.objects.create(
        user=lab.student, course_offering=lab.offering, content_item=lab.lab, max_score=40
    )
    with pytest.raises(ValidationError):
        assignment_submission_grade(
            submission_id=row.pk, actor=UserFactory(), score="10", feedback=""
        )
    row.refresh_from_db()
    assert (row.status, row.score_obtained) == (LabStatus.SUBMITTED, None)
