"""Public certificate pages: anyone with the code sees who earned it and whether it is still
valid, and may download the PDF of a certificate that is not revoked."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.grades.certificates import CertificateStatus, certificate_for_verification
from lms.media import stored_file_response
from lms.replicas import replica_page
from portal.views.errors import error_page


def _unknown_code(request: HttpRequest, code: str) -> HttpResponse:
    response = error_page(
        request,
        status=404,
        heading=_("Certificate not found"),
        message=_(
            "No certificate has the code %(code)s. Check the code for typing mistakes; it is "
            "printed at the bottom of the certificate."
        )
        % {"code": code},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@replica_page
def certificate_verify_view(request: HttpRequest, code: str) -> HttpResponse:
    try:
        verification = certificate_for_verification(code=code)
    except Http404:
        return _unknown_code(request, code)
    response = render(request, "certificates/verify.html", {"verification": verification})
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def certificate_pdf_view(request: HttpRequest, code: str) -> HttpResponseBase:
    try:
        verification = certificate_for_verification(code=code)
    except Http404:
        return _unknown_code(request, code)
    certificate = verification.certificate
    if verification.status == CertificateStatus.REVOKED or not certificate.pdf_path:
        raise Http404("No PDF for this certificate.")
    return stored_file_response(
        request, certificate.pdf_path, filename=f"certificate-{certificate.certificate_code}.pdf"
    )


routes = [
    path("certificates/<slug:code>/", certificate_verify_view, name="certificate-verify"),
    path("certificates/<slug:code>/pdf/", certificate_pdf_view, name="certificate-pdf"),
]
