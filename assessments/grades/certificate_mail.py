"""The email that sends a learner their certificate, in the learner's language."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.grades.certificate_pdf import verification_url
from assessments.grades.models import Certificate


def certificate_email_send(certificate: Certificate) -> None:
    """Step 3 of issuing, under the row lock: the email with the PDF attached."""
    user = certificate.user
    offering = certificate.course_offering
    with translation.override(user.locale or settings.LANGUAGE_CODE):
        context = {
            "certificate": certificate,
            "user": user,
            "course": offering.course,
            "university": offering.university,
            "url": verification_url(certificate.certificate_code),
        }
        message = EmailMessage(
            subject=_("Your certificate for %(course)s") % {"course": offering.course.title},
            body=render_to_string("certificates/email.txt", context),
            to=[user.email],
        )
        with default_storage.open(certificate.pdf_path, "rb") as handle:
            message.attach(
                f"certificate-{certificate.certificate_code}.pdf",
                handle.read(),
                "application/pdf",
            )
        message.send()
    certificate.emailed_at = timezone.now()
    certificate.save(update_fields=["emailed_at"])
