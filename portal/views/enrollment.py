"""Enrolling in an offering and leaving it. Both act on POST only and send the student back to
the course page with a message; leaving asks for confirmation first (a GET shows the question,
and changes nothing)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from catalog.models import CourseOffering, EnrollmentStatus
from catalog.selectors.course_page import enrollment_for_user, offering_for_enrollment
from catalog.services.enrollment import EnrollmentRefused, enrollment_create, enrollment_drop


def _course_url(offering: CourseOffering) -> str:
    return reverse("portal:course-detail", kwargs={"course_id": offering.course_id})


def _name(offering: CourseOffering) -> str:
    course = offering.course
    term = f" ({offering.term_name})" if offering.term_name else ""
    return f"{course.code} {course.title}{term}"


@require_POST
def enroll_view(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = offering_for_enrollment(user=request.user, offering_id=offering_id)
    back = _course_url(offering)
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        outcome = enrollment_create(offering=offering, user=request.user)
    except EnrollmentRefused as refusal:
        messages.error(request, refusal.message_text)
        return redirect(back)
    name = _name(offering)
    status = outcome.enrollment.status
    if status == EnrollmentStatus.ACTIVE:
        messages.success(request, _("You are enrolled in %(name)s.") % {"name": name})
    elif status == EnrollmentStatus.WAITLISTED:
        messages.info(
            request,
            _(
                "%(name)s is full. You are number %(position)d on the waitlist and get a seat "
                "automatically when one frees up."
            )
            % {"name": name, "position": outcome.waitlist_position},
        )
    else:
        messages.info(
            request,
            _("Your request to join %(name)s is waiting for approval by the department.")
            % {"name": name},
        )
    for warning in outcome.warnings:
        messages.warning(request, warning)
    return redirect(back)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def drop_view(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = offering_for_enrollment(user=request.user, offering_id=offering_id)
    back = _course_url(offering)
    enrollment = enrollment_for_user(user=request.user, offering=offering)
    if enrollment is None or enrollment.status == EnrollmentStatus.DROPPED:
        messages.error(request, _("You are not enrolled in this offering."))
        return redirect(back)
    if request.method != "POST":
        if enrollment.status == EnrollmentStatus.COMPLETED:
            return redirect(back)
        context = {"offering": offering, "enrollment": enrollment, "course_url": back}
        return render(request, "portal/enroll_drop.html", context)
    try:
        outcome = enrollment_drop(enrollment=enrollment)
    except EnrollmentRefused as refusal:
        messages.error(request, refusal.message_text)
        return redirect(back)
    name = _name(offering)
    done = {
        EnrollmentStatus.ACTIVE: _("You have dropped %(name)s."),
        EnrollmentStatus.WAITLISTED: _("You have left the waitlist of %(name)s."),
        EnrollmentStatus.PENDING: _("You have withdrawn your request to join %(name)s."),
    }[outcome.previous_status]
    messages.success(request, done % {"name": name})
    return redirect(back)


routes = [
    path("offerings/<int:offering_id>/enroll/", enroll_view, name="enroll"),
    path("offerings/<int:offering_id>/drop/", drop_view, name="drop"),
]
