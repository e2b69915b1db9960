"""Lab submissions: uploads and their checks, storage, autograding through the task, the claim,
staff review and regrading, and the grade rollup they ask for."""

import io
import tarfile
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from assessments.grades.models import CourseGrade
from assessments.labs import services
from assessments.labs.models import LabFile, LabStatus, LabSubmission
from assessments.labs.uploads import archive_files
from assessments.tests import lab_data
from assessments.tests.lab_data import HALF, PASSING, build_lab_world, lab_payload, upload
from lms.models import OutboxTask
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
lab_world, lab_storage = lab_data.lab_world, lab_data.lab_storage


def submit(world, *files, user=None):
    return services.lab_submission_create(
        user=user or world.student, offering=world.offering, item_id=world.lab.pk, files=list(files)
    )


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tar_of(entries: dict[str, bytes], *, link: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo("solution.py")
            info.type = tarfile.SYMTYPE
            info.linkname = link
            archive.addfile(info)
    return buffer.getvalue()


def test_passing_submission_is_graded_with_full_points(
    lab_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(lab_world, upload("solution.py", PASSING))

    submission.refresh_from_db()
    assert submission.status == LabStatus.GRADED
    assert submission.score_obtained == Decimal("40.00")
    assert submission.auto_score == Decimal("40.00")
    assert submission.max_score == Decimal("40.00")
    report = submission.auto_grade_json
    assert (report["passed"], report["failed"], report["total"]) == (2, 0, 2)
    assert [t["name"] for t in report["tests"]] == [
        "tests/test_hidden.py::test_adds",
        "tests/test_hidden.py::test_opposites",
    ]
    assert submission.graded_at is not None
    # Grading asked for the learner's rollup, which ran (in process here); both tasks ran to
    # the end, so nothing waits in the task outbox.
    grade = CourseGrade.objects.get(user=lab_world.student, course_offering=lab_world.offering)
    assert grade.current_score is not None
    assert not OutboxTask.objects.exists()


def test_half_passing_submission_gets_half_the_points(
    lab_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(lab_world, upload("solution.py", HALF))

    submission.refresh_from_db()
    assert submission.status == LabStatus.GRADED
    assert submission.score_obtained == Decimal("20.00")
    outcomes = [t["outcome"] for t in submission.auto_grade_json["tests"]]
    assert outcomes == ["passed", "failed"]
    assert submission.auto_grade_json["tests"][1]["message"] == (
        "AssertionError: opposites add up to zero (tests/test_hidden.py, line 8)"
    )


def test_endless_loop_is_graded_as_failed_with_the_reason(django_capture_on_commit_callbacks):
    world = build_lab_world(lab_payload(timeout_seconds=1))

    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(world, upload("solution.py", b"def add(a, b):\n    while True: pass\n"))

    submission.refresh_from_db()
    assert submission.status == LabStatus.GRADED
    assert submission.score_obtained == Decimal("0.00")
    report = submission.auto_grade_json
    assert report["tests"] == [
        {
            "name": "tests/test_hidden.py",
            "outcome": "failed",
            "message": report["reason"],
            "duration_ms": 0,
        }
    ]
    assert report["reason"] in (
        "Time limit exceeded: the run was stopped after 1 s.",
        "The run ended early: it used up its CPU time (1 s).",
    )


def test_archive_is_stored_and_its_folder_stripped(lab_world, lab_storage):
    data = zip_of({"mylab/solution.py": PASSING, "mylab/notes.txt": b"hi", "__MACOSX/x": b""})

    submission = submit(lab_world, upload("work.zip", data))

    assert submission.status == LabStatus.SUBMITTED
    assert submission.artifacts_url.startswith(
        f"labs/u{lab_world.offering.university_id}/o{lab_world.offering.pk}/i{lab_world.lab.pk}/"
        f"user{lab_world.student.pk}/"
    )
    with default_storage.open(submission.artifacts_url) as handle:
        assert archive_files(handle.read()) == {"notes.txt": b"hi", "solution.py": PASSING}


def test_tar_gz_archive_is_accepted(lab_world):
    submission = submit(lab_world, upload("work.tar.gz", tar_of({"./solution.py": PASSING})))

    assert submission.auto_grade_json == {"files": ["solution.py"]}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "Choose the files of your solution, or one archive of them."),
        (
            [("work.zip", zip_of({"../../etc/cron.d/x": b"x"}))],
            "The path ../../etc/cron.d/x points outside the submission; use relative paths only.",
        ),
        (
            [("work.zip", zip_of({"/etc/passwd": b"x"}))],
            "The path /etc/passwd points outside the submission; use relative paths only.",
        ),
        (
            [("work.tar.gz", tar_of({}, link="/etc/passwd"))],
            "solution.py in the archive is a link or special file; only plain files can be "
            "submitted.",
        ),
        (
            [("work.zip", b"not a zip")],
            "The archive could not be read (File is not a zip file). "
            "Upload a .zip, .tar or .tar.gz file.",
        ),
        (
            [("a.zip", zip_of({"a.py": b""})), ("b.py", b"")],
            "Upload one archive on its own, or plain files without one.",
        ),
        (
            [("big.py", b"x" * 2048)],
            "The upload is 2.0\xa0KB; submissions may be at most 1.0\xa0KB.",
        ),
        (
            [(f"f{n}.py", b"") for n in range(4)],
            "The upload has more than 3 files.",
        ),
        (
            [("work.zip", zip_of({"big.bin": b"\0" * 5000}))],
            "The archive unpacks to more than 4.9\xa0KB.",
        ),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    lab_world, lab_storage, settings, files, message
):
    settings.LAB_UPLOAD_MAX_BYTES = 1024
    settings.LAB_UPLOAD_MAX_FILES = 3
    settings.LAB_UPLOAD_MAX_UNPACKED_BYTES = 5000 - 1

    with pytest.raises(ValidationError) as caught:
        submit(lab_world, *(upload(name, data) for name, data in files))

    assert caught.value.messages == [message]
    assert LabSubmission.objects.count() == 0
    assert not lab_storage.exists() or not any(p.is_file() for p in lab_storage.rglob("*"))


def test_outsider_cannot_submit(lab_world):
    with pytest.raises(PermissionDenied):
        submit(lab_world, upload("solution.py", PASSING), user=UserFactory())

    assert LabSubmission.objects.count() == 0


def test_second_submission_waits_for_the_first(lab_world):
    submit(lab_world, upload("solution.py", PASSING))

    with pytest.raises(ValidationError) as caught:
        submit(lab_world, upload("solution.py", PASSING))

    assert caught.value.messages == [
        "Your previous submission is still being graded; submit again once it is done."
    ]
    assert LabSubmission.objects.count() == 1


def test_grading_twice_runs_once(lab_world):
    submission = submit(lab_world, upload("solution.py", PASSING))

    first = services.lab_submission_grade(submission_id=submission.pk)
    graded = LabSubmission.objects.get(pk=submission.pk)
    second = services.lab_submission_grade(submission_id=submission.pk)

    assert first.token is not None
    assert second == services.Claim()
    after = LabSubmission.objects.get(pk=submission.pk)
    assert (after.status, after.graded_at, after.auto_grade_json) == (
        LabStatus.GRADED,
        graded.graded_at,
        graded.auto_grade_json,
    )


def test_a_running_claim_is_not_taken_until_it_is_stale(lab_world):
    submission = submit(lab_world, upload("solution.py", PASSING))
    claim = services.lab_submission_claim(submission_id=submission.pk)

    busy = services.lab_submission_claim(submission_id=submission.pk)
    LabSubmission.objects.filter(pk=submission.pk).update(
        grading_started_at=timezone.now() - services.grading_stale_after() - timedelta(seconds=1)
    )
    taken_over = services.lab_submission_claim(submission_id=submission.pk)

    assert claim.token is not None
    assert busy.token is None and busy.retry_in > 0
    assert taken_over.token is not None
    # The dead run's late result is dropped: it no longer holds the claim.
    assert (
        services.lab_submission_fail(submission_id=submission.pk, token=claim.token, reason="late")
        is False
    )
    assert LabSubmission.objects.get(pk=submission.pk).status == LabStatus.GRADING


def test_missing_hidden_test_content_is_an_error_with_the_reason(lab_world):
    LabFile.objects.filter(path="tests/test_hidden.py").delete()
    submission = submit(lab_world, upload("solution.py", PASSING))

    services.lab_submission_grade(submission_id=submission.pk)

    submission.refresh_from_db()
    assert submission.status == LabStatus.ERROR
    assert submission.score_obtained is None
    assert submission.auto_grade_json == {
        "error": "The hidden test file tests/test_hidden.py has no content yet; staff need to "
        "upload it.",
        "tests": [],
    }


def test_matlab_lab_needs_the_container_runner(django_capture_on_commit_callbacks):
    world = build_lab_world(lab_payload(runtime="matlab"))

    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(world, upload("solution.py", PASSING))

    submission.refresh_from_db()
    assert submission.status == LabStatus.ERROR
    assert submission.auto_grade_json["error"] == (
        "The runtime 'matlab' needs the container runner; this server grades Python labs only."
    )


def test_override_wins_over_the_automatic_score_and_survives_a_regrade(
    lab_world, django_capture_on_commit_callbacks
):
    instructor = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(lab_world, upload("solution.py", HALF))

    reviewed = services.lab_submission_review(
        submission_id=submission.pk,
        actor=instructor,
        feedback="  Nice work.  ",
        score_override="35",
    )
    assert (reviewed.score_obtained, reviewed.auto_score) == (Decimal("35.00"), Decimal("20.00"))
    assert reviewed.instructor_feedback == "Nice work."
    assert (reviewed.score_overridden_by, reviewed.feedback_by) == (instructor, instructor)
    assert reviewed.score_overridden_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        assert services.lab_submissions_regrade(submission_ids=[submission.pk]) == 1
    regraded = LabSubmission.objects.get(pk=submission.pk)
    assert regraded.status == LabStatus.GRADED
    assert (regraded.score_obtained, regraded.auto_score) == (Decimal("35.00"), Decimal("20.00"))

    cleared = services.lab_submission_review(
        submission_id=submission.pk, actor=instructor, feedback="Nice work.", score_override=""
    )
    assert cleared.score_obtained == Decimal("20.00")
    assert cleared.score_override is None


@pytest.mark.parametrize("value", ["41", "-1", "lots", "NaN"])
def test_override_out_of_range_changes_nothing(lab_world, value):
    submission = submit(lab_world, upload("solution.py", HALF))
    services.lab_submission_grade(submission_id=submission.pk)
    before = LabSubmission.objects.get(pk=submission.pk)

    with pytest.raises(ValidationError):
        services.lab_submission_review(
            submission_id=submission.pk, actor=UserFactory(), feedback="x", score_override=value
        )

    after = LabSubmission.objects.get(pk=submission.pk)
    assert (after.score_obtained, after.score_override, after.instructor_feedback) == (
        before.score_obtained,
        None,
        None,
    )


def test_manual_lab_waits_for_staff_and_the_override_grades_it(django_capture_on_commit_callbacks):
    world = build_lab_world(lab_payload(grading={"type": "manual", "max_points": 10}))
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(world, upload("solution.py", PASSING))
    assert LabSubmission.objects.get(pk=submission.pk).status == LabStatus.SUBMITTED
    assert services.lab_submission_grade(submission_id=submission.pk) == services.Claim()

    graded = services.lab_submission_review(
        submission_id=submission.pk, actor=UserFactory(), feedback="", score_override="8.5"
    )

    assert (graded.status, graded.score_obtained) == (LabStatus.GRADED, Decimal("8.50"))
