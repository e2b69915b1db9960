import base64
import re
import threading
import zlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments.grades.certificate_pdf import certificate_pdf, pdf_storage_path
from assessments.grades.certificates import (
    certificate_issue,
    certificate_revoke,
)
from assessments.grades.models import Certificate, CourseGrade
from assessments.grades.tasks import grade_rollup_task
from assessments.tests.grading_data import ended_offering, graded_course, worked_example
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from lms.celery import app as celery_app
from tenancy.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CERTIFICATE_VALID_DAYS = None


def passed_grade(**kwargs) -> CourseGrade:
    enrollment = EnrollmentFactory(**kwargs)
    return CourseGrade.objects.create(
        user=enrollment.user,
        course_offering=enrollment.course_offering,
        final_score=Decimal("81.50"),
        letter_grade="B",
        passed=True,
        is_final=True,
        graded_at=timezone.now(),
    )


def pdf_url(certificate: Certificate) -> str:
    return reverse("portal:certificate-pdf", kwargs={"code": certificate.certificate_code})


def issue(grade: CourseGrade) -> Certificate | None:
    return certificate_issue(offering_id=grade.course_offering_id, user_id=grade.user_id)


@pytest.mark.django_db
def test_a_passing_grade_gets_a_certificate_with_pdf_and_email():
    grade = passed_grade()

    certificate = issue(grade)

    assert certificate.user_id == grade.user_id
    assert len(certificate.certificate_code) == 32
    assert certificate.expires_at is None
    assert certificate.metadata_json == {"final_score": "81.50", "letter_grade": "B"}
    assert certificate.pdf_path == pdf_storage_path(certificate)
    with default_storage.open(certificate.pdf_path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert certificate.emailed_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [grade.user.email]
    assert f"/certificates/{certificate.certificate_code}/" in message.body
    assert message.attachments[0][0] == f"certificate-{certificate.certificate_code}.pdf"


@pytest.mark.django_db
def test_expiry_follows_the_setting(settings):
    settings.CERTIFICATE_VALID_DAYS = 30
    certificate = issue(passed_grade())

    assert certificate.expires_at - certificate.issued_at == timedelta(days=30)


@pytest.mark.django_db
@pytest.mark.parametrize("passed", [False, None])
def test_no_certificate_without_a_passing_grade(passed):
    grade = passed_grade()
    CourseGrade.objects.filter(pk=grade.pk).update(passed=passed)

    assert issue(grade) is None
    assert Certificate.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_no_certificate_without_any_grade():
    enrollment = EnrollmentFactory()

    assert (
        certificate_issue(offering_id=enrollment.course_offering_id, user_id=enrollment.user_id)
        is None
    )
    assert Certificate.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_delivery_changes_nothing():
    grade = passed_grade()
    first = issue(grade)

    second = issue(grade)

    assert Certificate.objects.count() == 1
    assert second.certificate_code == first.certificate_code
    assert second.emailed_at == first.emailed_at
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_run_killed_after_the_row_is_finished_by_the_next_one():
    grade = passed_grade()
    certificate = issue(grade)
    Certificate.objects.filter(pk=certificate.pk).update(pdf_path="", emailed_at=None)
    default_storage.delete(certificate.pdf_path)
    mail.outbox.clear()

    finished = issue(grade)

    assert finished.pk == certificate.pk
    assert finished.pdf_path == certificate.pdf_path
    assert default_storage.exists(finished.pdf_path)
    assert len(mail.outbox) == 1
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_a_run_killed_after_the_pdf_only_sends_the_email():
    grade = passed_grade()
    certificate = issue(grade)
    Certificate.objects.filter(pk=certificate.pk).update(emailed_at=None)
    mail.outbox.clear()
    # A file left by the crashed run at the same path is replaced, not duplicated.
    listing_before = default_storage.listdir(pdf_storage_path(certificate).rsplit("/", 1)[0])

    finished = issue(grade)

    assert finished.emailed_at is not None
    assert len(mail.outbox) == 1
    assert default_storage.listdir(pdf_storage_path(certificate).rsplit("/", 1)[0]) == (
        listing_before
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuance_makes_one_certificate_and_one_email():
    grade = passed_grade()
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait()
            issue(grade)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Certificate.objects.count() == 1
    certificate = Certificate.objects.get()
    assert certificate.pdf_path and certificate.emailed_at
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_revoke_records_who_when_and_why():
    certificate = issue(passed_grade())
    staff = UserFactory()

    revoked = certificate_revoke(certificate_id=certificate.pk, actor=staff, reason=" Plagiarism ")

    revoked.refresh_from_db()
    assert revoked.revoked_by == staff
    assert revoked.revocation_reason == "Plagiarism"
    assert revoked.revoked_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_revoke_needs_a_reason_and_changes_nothing_without(reason):
    certificate = issue(passed_grade())

    with pytest.raises(ValidationError) as error:
        certificate_revoke(certificate_id=certificate.pk, actor=UserFactory(), reason=reason)

    assert "reason" in error.value.message_dict
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert certificate.revocation_reason == ""


@pytest.mark.django_db
def test_revoking_twice_is_refused_and_keeps_the_first_record():
    certificate = issue(passed_grade())
    first = UserFactory()
    certificate_revoke(certificate_id=certificate.pk, actor=first, reason="Fraud")

    with pytest.raises(ValidationError, match="already revoked"):
        certificate_revoke(certificate_id=certificate.pk, actor=UserFactory(), reason="Again")

    certificate.refresh_from_db()
    assert (certificate.revoked_by, certificate.revocation_reason) == (first, "Fraud")


@pytest.mark.django_db
def test_a_revoked_certificate_is_neither_finished_nor_reissued():
    grade = passed_grade()
    certificate = issue(grade)
    Certificate.objects.filter(pk=certificate.pk).update(emailed_at=None)
    certificate_revoke(certificate_id=certificate.pk, actor=UserFactory(), reason="Error")
    mail.outbox.clear()

    again = issue(grade)

    assert again.pk == certificate.pk
    assert again.emailed_at is None
    assert mail.outbox == []
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_rollup_task_issues_the_certificate_of_who_passed(django_capture_on_commit_callbacks):
    course = graded_course(ended_offering())
    learner = EnrollmentFactory(course_offering=course.offering).user
    failing = EnrollmentFactory(course_offering=course.offering).user
    worked_example(course, learner)
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            grade_rollup_task.delay(course.offering.pk)
        with django_capture_on_commit_callbacks(execute=True):
            grade_rollup_task.delay(course.offering.pk)
    finally:
        celery_app.conf.task_always_eager = eager

    assert list(Certificate.objects.values_list("user_id", flat=True)) == [learner.pk]
    assert not Certificate.objects.filter(user=failing).exists()
    assert len(mail.outbox) == 1


# The public verification page ------------------------------------------------------------


@pytest.mark.django_db
def test_verification_page_of_a_valid_certificate(client):
    grade = passed_grade(
        course_offering=OfferingFactory(course__title="Signals & Systems", term_name="Fall")
    )
    certificate = issue(grade)

    response = client.get(f"/certificates/{certificate.certificate_code}/")

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    page = response.content.decode()
    assert "Valid" in page
    assert grade.user.full_name in page
    assert "Signals &amp; Systems" in page
    assert grade.course_offering.university.name in page
    assert grade.user.email not in page
    pdf = client.get(
        reverse("portal:certificate-pdf", kwargs={"code": certificate.certificate_code})
    )
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


@pytest.mark.django_db
def test_verification_page_of_an_expired_certificate(client):
    certificate = issue(passed_grade())
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )

    page = client.get(f"/certificates/{certificate.certificate_code}/").content.decode()

    assert "Expired" in page
    assert "badge warn" in page


@pytest.mark.django_db
def test_verification_page_of_a_revoked_certificate(client):
    certificate = issue(passed_grade())
    certificate_revoke(certificate_id=certificate.pk, actor=UserFactory(), reason="Secret reason")

    response = client.get(f"/certificates/{certificate.certificate_code}/")

    page = response.content.decode()
    assert "Revoked" in page
    assert "Secret reason" not in page
    assert "/pdf/" not in page
    pdf = client.get(
        reverse("portal:certificate-pdf", kwargs={"code": certificate.certificate_code})
    )
    assert pdf.status_code == 404


@pytest.mark.django_db
def test_unknown_code_is_404(client):
    assert client.get("/certificates/not-a-real-code/").status_code == 404


def pdf_text(pdf: bytes) -> bytes:
    """The drawing operators of the PDF's content streams (ASCII85, then Flate encoded)."""
    streams = re.findall(
        rb"/Filter \[ /ASCII85Decode /FlateDecode \].*?stream\r?\n(.*?)~>", pdf, re.DOTALL
    )
    return b"".join(zlib.decompress(base64.a85decode(body)) for body in streams)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "printed"),
    [
        ("America/New_York", b"(Issued on Feb. 28, 2026)"),
        ("Asia/Tokyo", b"(Issued on March 1, 2026)"),
        ("UTC", b"(Issued on March 1, 2026)"),
        ("Not/A_Zone", b"(Issued on March 1, 2026)"),
    ],
)
def test_the_pdf_prints_the_issue_date_in_the_holders_time_zone(zone, printed):
    grade = passed_grade(user=UserFactory(time_zone=zone))
    certificate = issue(grade)
    # 02:30 UTC on 1 March is still 28 February in New York.
    certificate.issued_at = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)

    text = pdf_text(certificate_pdf(certificate))

    assert printed in text
    assert text.count(b"(Issued on ") == 1
