"""The site's own error pages: the site header, what went wrong in words, and a way back.

lms/urls.py names these as Django's handler400, handler404, handler403 and handler500; a locked-out
login gets its own 429 page (accounts/locked_out.html, from tenancy.lockout). The 500 page
renders without the request's context processors, so a failure in them (the database being
down) cannot break the error page too.
"""

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

TEMPLATE = "errors/error.html"


def error_page(
    request: HttpRequest | None, *, status: int, heading: str, message: str
) -> HttpResponse:
    context = {"status": status, "heading": heading, "message": message}
    if status >= 500 or request is None:
        body = loader.get_template(TEMPLATE).render(context)
    else:
        body = loader.render_to_string(TEMPLATE, context, request=request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        status=400,
        heading=_("Request not understood"),
        message=_(
            "The page could not read what was sent: a field holds characters or values it "
            "does not accept. Go back, check what you entered and try again."
        ),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        status=404,
        heading=_("Page not found"),
        message=_(
            "There is nothing at this address, or you may not see it. Check the address, or "
            "start again from the catalog."
        ),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        status=403,
        heading=_("Not allowed"),
        message=_("Your account may not do this. Ask the course's staff if you think it should."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(
        request,
        status=500,
        heading=_("Something went wrong"),
        message=_(
            "The page could not be shown because of a fault on our side. It has been logged; "
            "please try again in a few minutes."
        ),
    )
