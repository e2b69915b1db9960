"""The email that sends a learner their certificate, in the learner's language."""

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.grades.certificate_pdf import verification_url
from assessments.grades.models import Certificate
from lms.mail import localized_mail_send, recipient_language


def certificate_email_send(certificate: Certificate) -> None:
    """Step 3 of issuing, under the row lock: the email with the PDF attached."""
    user = certificate.user
    offering = certificate.course_offering
    with default_storage.open(certificate.pdf_path, "rb") as handle:
        pdf = handle.read()
    localized_mail_send(
        to=user.email,
        language=recipient_language(user),
        subject=lambda: _("Your certificate for %(course)s") % {"course": offering.course.title},
        template="certificates/email.txt",
        context={
            "certificate": certificate,
            "user": user,
            "course": offering.course,
            "university": offering.university,
            "url": verification_url(certificate.certificate_code),
        },
        attachments=[(f"certificate-{certificate.certificate_code}.pdf", pdf, "application/pdf")],
    )
    certificate.emailed_at = timezone.now()
    certificate.save(update_fields=["emailed_at"])
