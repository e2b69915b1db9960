"""Certificates: issuing one per learner whose final grade passed an offering, revoking,
verifying. A provisional grade (the offering still runs) never earns one.

Issuing is three steps, each recorded on the certificate row so that a task delivered twice,
two workers at once or a worker killed half-way end with exactly one certificate, finished:

1. the row: INSERT ... ON CONFLICT DO NOTHING on the unique (offering, learner) index, with a
   fresh unguessable code; whoever loses the race reads the winner's row;
2. the PDF: rendered and stored at a path derived from the code while holding the row's lock,
   then `pdf_path` records it (a crash before that rewrites the same file on the next run);
3. the email: sent while holding the row's lock, then `emailed_at` records it (a crash between
   sending and recording may send it twice; it is never lost).

A revoked certificate is never finished or re-issued; the verification page says it was
revoked.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.grades.certificate_mail import certificate_email_send
from assessments.grades.certificate_pdf import (
    certificate_pdf_store,
)
from assessments.grades.models import Certificate, CourseGrade
from assessments.notices import certificate_issued_notify, certificate_revoked_notify
from tenancy.models import User

REVOCATION_REASON_MAX = 2000


class CertificateStatus:
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"

    LABELS = {
        VALID: gettext_lazy("Valid"),
        EXPIRED: gettext_lazy("Expired"),
        REVOKED: gettext_lazy("Revoked"),
    }


def certificate_status(certificate: Certificate) -> str:
    if certificate.revoked_at is not None:
        return CertificateStatus.REVOKED
    if certificate.expires_at is not None and certificate.expires_at <= timezone.now():
        return CertificateStatus.EXPIRED
    return CertificateStatus.VALID


def new_certificate_code() -> str:
    """192 random bits, URL-safe: 32 characters nobody can guess."""
    return secrets.token_urlsafe(24)


def _with_context(queryset):
    return queryset.select_related("user", "course_offering__course", "course_offering__university")


def _certificate_row(*, offering_id: int, user_id: int) -> Certificate | None:
    """Step 1: the row, created when the learner's final grade passes (None when it does not,
    or is still provisional)."""
    with transaction.atomic():
        grade = (
            CourseGrade.objects.filter(course_offering_id=offering_id, user_id=user_id)
            .values("passed", "is_final", "final_score", "letter_grade")
            .first()
        )
        existing = Certificate.objects.filter(
            course_offering_id=offering_id, user_id=user_id
        ).first()
        if existing is None:
            if not grade or not grade["passed"] or not grade["is_final"]:
                return None
            now = timezone.now()
            valid_days = settings.CERTIFICATE_VALID_DAYS
            Certificate.objects.bulk_create(
                [
                    Certificate(
                        course_offering_id=offering_id,
                        user_id=user_id,
                        certificate_code=new_certificate_code(),
                        issued_at=now,
                        expires_at=now + timedelta(days=valid_days) if valid_days else None,
                        metadata_json={
                            "final_score": str(grade["final_score"]),
                            "letter_grade": grade["letter_grade"],
                        },
                    )
                ],
                ignore_conflicts=True,
            )
            certificate = _with_context(Certificate.objects).get(
                course_offering_id=offering_id, user_id=user_id
            )
            certificate_issued_notify(certificate=certificate)
            return certificate
    return _with_context(Certificate.objects).get(course_offering_id=offering_id, user_id=user_id)


def _finish_step(certificate_id: int, step) -> Certificate:
    with transaction.atomic():
        certificate = _with_context(Certificate.objects.select_for_update(of=("self",))).get(
            pk=certificate_id
        )
        if certificate.revoked_at is None:
            step(certificate)
    return certificate


def certificate_issue(*, offering_id: int, user_id: int) -> Certificate | None:
    """Issue the learner's certificate for the offering, or finish issuing it; None when the
    learner's grade does not pass. Safe to call any number of times, concurrently."""
    certificate = _certificate_row(offering_id=offering_id, user_id=user_id)
    if certificate is None or certificate.revoked_at is not None:
        return certificate
    if not certificate.pdf_path:
        certificate = _finish_step(
            certificate.pk, lambda c: None if c.pdf_path else certificate_pdf_store(c)
        )
    if certificate.emailed_at is None and certificate.revoked_at is None:
        certificate = _finish_step(
            certificate.pk, lambda c: None if c.emailed_at else certificate_email_send(c)
        )
    return certificate


def certificate_revoke(*, certificate_id: int, actor: User, reason: str) -> Certificate:
    """Revoke a certificate, recording who, when and why. The reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking the certificate.")})
    if len(reason) > REVOCATION_REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(n)s characters.") % {"n": REVOCATION_REASON_MAX}}
        )
    with transaction.atomic():
        certificate = _with_context(Certificate.objects.select_for_update(of=("self",))).get(
            pk=certificate_id
        )
        if certificate.revoked_at is not None:
            raise ValidationError(_("This certificate was already revoked."))
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = actor
        certificate.revocation_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        certificate_revoked_notify(certificate=certificate)
    return certificate


@dataclass(frozen=True)
class Verification:
    certificate: Certificate
    status: str

    @property
    def status_label(self) -> str:
        return str(CertificateStatus.LABELS[self.status])


def certificate_for_verification(*, code: str) -> Verification:
    """The public view of a certificate by its code; 404 for any unknown code."""
    certificate = _with_context(Certificate.objects).filter(certificate_code=code).first()
    if certificate is None:
        raise Http404("No such certificate.")
    return Verification(certificate=certificate, status=certificate_status(certificate))
