"""Public certificate pages: anyone with the code sees who earned it and whether it is still
valid, and may download the PDF of a certificate that is not revoked."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from assessments.certificates import CertificateStatus, certificate_for_verification


@require_GET
def certificate_verify_view(request: HttpRequest, code: str) -> HttpResponse:
    verification = certificate_for_verification(code=code)
    response = render(request, "certificates/verify.html", {"verification": verification})
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def certificate_pdf_view(request: HttpRequest, code: str) -> FileResponse:
    verification = certificate_for_verification(code=code)
    certificate = verification.certificate
    if verification.status == CertificateStatus.REVOKED or not certificate.pdf_path:
        raise Http404("No PDF for this certificate.")
    return FileResponse(
        default_storage.open(certificate.pdf_path, "rb"),
        content_type="application/pdf",
        filename=f"certificate-{certificate.certificate_code}.pdf",
    )


routes = [
    path("certificates/<slug:code>/", certificate_verify_view, name="certificate-verify"),
    path("certificates/<slug:code>/pdf/", certificate_pdf_view, name="certificate-pdf"),
]
