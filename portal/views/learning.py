"""My learning: what is coming up in the next two weeks and what is overdue, across courses;
the learner's courses by enrollment status, with progress and where to resume; for staff, the
offerings they teach and the way to the staff pages."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from assessments.deadlines.selectors import COMING_UP_DAYS, deadline_board
from assessments.progress.selectors import CourseProgress, course_progress
from catalog.models import CourseEnrollment, EnrollmentStatus
from catalog.selectors.enrollments import learner_enrollments, teaching_offerings
from community.announcements.selectors import announcements_for_offerings
from syllabus.selectors import LEARNING_STATUSES

SECTIONS = (
    EnrollmentStatus.ACTIVE,
    EnrollmentStatus.WAITLISTED,
    EnrollmentStatus.PENDING,
    EnrollmentStatus.COMPLETED,
)


@dataclass(frozen=True)
class CourseCard:
    enrollment: CourseEnrollment
    progress: CourseProgress
    resume_url: str | None
    outline_url: str | None


@login_required
@require_safe
def dashboard_view(request: HttpRequest) -> HttpResponse:
    enrollments = [
        e for e in learner_enrollments(user=request.user) if e.status != EnrollmentStatus.DROPPED
    ]
    progress = course_progress(
        user_id=request.user.pk, offering_ids=[e.course_offering_id for e in enrollments]
    )
    sections: dict[str, list[CourseCard]] = {status: [] for status in SECTIONS}
    for enrollment in enrollments:
        offering_id = enrollment.course_offering_id
        course_state = progress.get(offering_id) or CourseProgress(offering_id, 0, 0, None)
        can_learn = enrollment.status in LEARNING_STATUSES
        resume_id = course_state.resume_item_id
        sections[enrollment.status].append(
            CourseCard(
                enrollment=enrollment,
                progress=course_state,
                resume_url=reverse(
                    "portal:item", kwargs={"offering_id": offering_id, "item_id": resume_id}
                )
                if can_learn and resume_id
                else None,
                outline_url=reverse("portal:outline", kwargs={"offering_id": offering_id})
                if can_learn
                else None,
            )
        )
    now = timezone.now()
    context = {
        "board": deadline_board(user_id=request.user.pk, now=now),
        "coming_up_days": COMING_UP_DAYS,
        "now": now,
        "sections": [
            (status, EnrollmentStatus(status).label, sections[status]) for status in SECTIONS
        ],
        "has_courses": bool(enrollments),
        "has_active_courses": bool(sections[EnrollmentStatus.ACTIVE]),
        "teaching": teaching_offerings(user=request.user),
        "announcements": announcements_for_offerings(
            offering_ids=[
                c.enrollment.course_offering_id for c in sections[EnrollmentStatus.ACTIVE]
            ],
            limit=5,
        ),
    }
    return render(request, "portal/dashboard.html", context)


routes = [
    path("my/", dashboard_view, name="dashboard"),
]
