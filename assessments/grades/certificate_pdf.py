"""The certificate as a PDF: drawing it, where it is stored, and the verification address it
prints (the same address the email links to)."""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from assessments.grades.models import Certificate
from lms import links
from lms.dates import display_date, zone_named


def verification_url(code: str) -> str:
    return links.page_url("certificate-verification", code=code)


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as a one-page landscape A4 PDF."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    offering = certificate.course_offering
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    pdf.setTitle(f"Certificate {certificate.certificate_code}")
    pdf.setAuthor(offering.university.name)
    pdf.setStrokeColor(HexColor("#1f4e79"))
    pdf.setLineWidth(4)
    pdf.rect(30, 30, width - 60, height - 60)
    lines = [
        ("Helvetica", 16, height - 120, offering.university.name),
        ("Helvetica-Bold", 34, height - 180, _("Certificate of completion")),
        ("Helvetica", 14, height - 230, _("This certifies that")),
        ("Helvetica-Bold", 26, height - 270, certificate.user.full_name),
        ("Helvetica", 14, height - 310, _("has successfully completed")),
        ("Helvetica-Bold", 20, height - 345, f"{offering.course.code}: {offering.course.title}"),
        ("Helvetica", 14, height - 375, offering.term_name or ""),
        (
            "Helvetica",
            12,
            110,
            _("Issued on %(date)s")
            % {"date": display_date(certificate.issued_at, zone_named(certificate.user.time_zone))},
        ),
        (
            "Helvetica",
            10,
            85,
            _("Verify at %(url)s") % {"url": verification_url(certificate.certificate_code)},
        ),
    ]
    for font, size, y, text in lines:
        pdf.setFont(font, size)
        pdf.drawCentredString(width / 2, y, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_storage_path(certificate: Certificate) -> str:
    """Derived from the university and the code, so a re-run writes the same file."""
    return (
        f"certificates/{certificate.course_offering.university_id}/"
        f"{certificate.certificate_code}.pdf"
    )


def certificate_pdf_store(certificate: Certificate) -> None:
    """Step 2 of issuing, under the row lock."""
    path = pdf_storage_path(certificate)
    if default_storage.exists(path):
        default_storage.delete(path)  # left by a run that died before recording it
    stored = default_storage.save(path, ContentFile(certificate_pdf(certificate)))
    certificate.pdf_path = stored
    certificate.save(update_fields=["pdf_path"])
