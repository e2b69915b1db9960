"""A learner's grades in one course: each graded item, each category, the total and the
certificate. Staff read grades in the admin's gradebook instead."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.grades.certificates import certificate_status
from assessments.grades.selectors import learner_grade_report
from portal.views.player import learner_view
from syllabus.selectors import LearningAccess


@require_safe
@learner_view
def grades_view(request: HttpRequest, access: LearningAccess) -> HttpResponse:
    offering = access.offering
    if not access.records_progress:
        messages.info(request, _("Staff see the grades of the offering in its gradebook."))
        return redirect(reverse("admin:assessments_coursegrade_gradebook", args=[offering.pk]))
    report = learner_grade_report(offering_id=offering.pk, user_id=request.user.pk)
    certificate = report.certificate
    context = {
        "offering": offering,
        "course": offering.course,
        "report": report,
        "certificate": certificate,
        "certificate_status": certificate_status(certificate) if certificate else None,
    }
    return render(request, "portal/grades/course.html", context)


routes = [
    path("learn/<int:offering_id>/grades/", grades_view, name="grades"),
]
