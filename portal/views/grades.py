"""A learner's grades in one course: each graded item, each category, the total and the
certificate, and what the grade would be with hypothetical scores for the work not graded yet
(a GET form: nothing is stored). Staff read grades in the admin's gradebook instead."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.grades.certificates import certificate_status
from assessments.grades.forms import WhatIfForm
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
    ungraded = [item for c in report.categories for item in c.items if item["percent"] is None]
    form = WhatIfForm(request.GET if "what_if" in request.GET else None, items=ungraded)
    for item in ungraded:
        item["what_if"] = form[form.field_name(item["id"])]
    what_if = None
    if form.is_bound and form.is_valid() and form.percents():
        what_if = learner_grade_report(
            offering_id=offering.pk, user_id=request.user.pk, what_if=form.percents()
        )
    certificate = report.certificate
    context = {
        "offering": offering,
        "course": offering.course,
        "report": report,
        "what_if_form": form,
        "what_if": what_if,
        "certificate": certificate,
        "certificate_status": certificate_status(certificate) if certificate else None,
    }
    return render(request, "portal/grades/course.html", context)


routes = [
    path("learn/<int:offering_id>/grades/", grades_view, name="grades"),
]
