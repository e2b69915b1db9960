"""Staff land on their teaching: "My teaching" and a course home per offering, custom views
of the admin site (its login, permissions, CSRF, messages and look).

Every page looks the offering up through the one tenant rule (staff.teaching.selectors); what
a tab offers to change follows the model admins' own permission checks, so a teaching
assistant sees the links a teaching assistant may follow and no others.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.accommodations.models import Accommodation
from assessments.assignments.models import AssignmentSubmission
from assessments.grades.models import Certificate, CourseGrade, GradingPolicy
from assessments.grades.selectors import (
    CATEGORY_LABELS,
    gradebook_items,
    gradebook_rows,
    gradebook_size,
)
from assessments.grades.services import CATEGORIES
from assessments.labs.models import LabSubmission
from catalog.models import CourseEnrollment, CourseOffering
from catalog.selectors.roster import roster_page, roster_summary
from community.models import DiscussionThread, PostReport
from content.models import ContentType
from lms import links
from staff.teaching import course_home
from staff.teaching.selectors import offering_for_teaching, teaching_home
from tenancy.access import administers, sees_everything
from tenancy.models import Role

GRADES_SHOWN = 50

TABS = (
    ("outline", gettext_lazy("Outline")),
    ("people", gettext_lazy("People")),
    ("grades", gettext_lazy("Grades")),
    ("to-grade", gettext_lazy("To grade")),
    ("discussions", gettext_lazy("Discussions")),
    ("settings", gettext_lazy("Settings")),
    ("analytics", gettext_lazy("Analytics")),
)
TEACHING_ROLES = {Role.INSTRUCTOR, Role.TA, Role.DEPARTMENT_ADMIN, Role.UNIVERSITY_ADMIN}


def teaches_somewhere(user) -> bool:
    """Whether `user` lands on "My teaching": an instructor, TA, department admin or
    university admin somewhere who is not a platform admin (they keep the index)."""
    if sees_everything(user):
        return False
    return any(role in TEACHING_ROLES for _university, role, _department in user.role_rows)


def admin_index(request: HttpRequest) -> HttpResponse:
    """The admin's front page. Teaching staff land on their teaching, with the admin's list of
    everything else below it; platform admins keep the index (its menu links to "My
    teaching")."""
    if not teaches_somewhere(request.user):
        return admin.site.index(request)
    return _home(request, app_list=admin.site.get_app_list(request), is_nav_sidebar_enabled=False)


def _page(request: HttpRequest, template: str, title: str, **context) -> TemplateResponse:
    return TemplateResponse(
        request, template, {**admin.site.each_context(request), "title": title, **context}
    )


def _home(request: HttpRequest, **context) -> HttpResponse:
    past = request.GET.get("show") == "past"
    data = teaching_home(user=request.user, past=past, page=request.GET.get("page"))
    return _page(request, "staff/teaching/home.html", _("My teaching"), home=data, **context)


def home(request: HttpRequest) -> HttpResponse:
    return _home(request)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def _model_admin(model: type[Model]) -> ModelAdmin:
    return admin.site.get_model_admin(model)


def _may(request: HttpRequest, model: type[Model], action: str, obj: Model | None = None) -> bool:
    checks: dict[str, Callable[..., bool]] = {
        "view": _model_admin(model).has_view_permission,
        "change": _model_admin(model).has_change_permission,
    }
    return checks[action](request, obj)


def _admin_url(model: type[Model], view: str, *args: int) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _changelist(model: type[Model], offering: CourseOffering, lookup: str) -> str:
    return f"{_admin_url(model, 'changelist')}?{lookup}={offering.pk}"


def _outline(request: HttpRequest, offering: CourseOffering) -> dict:
    return {
        "modules": course_home.outline_modules(offering=offering),
        "tree_url": reverse("admin:syllabus_module_tree", args=[offering.course_id]),
    }


def _people(request: HttpRequest, offering: CourseOffering) -> dict:
    manages = administers(
        user=request.user,
        university_id=offering.university_id,
        department_id=offering.course.department_id,
    )
    return {
        "summary": roster_summary(offering=offering),
        "roster": roster_page(offering=offering, number=request.GET.get("page")),
        "roster_url": (
            reverse("admin:catalog_courseoffering_roster", args=[offering.pk]) if manages else ""
        ),
        "enrollments_url": _changelist(CourseEnrollment, offering, "course_offering__id__exact"),
        "accommodations_url": _changelist(Accommodation, offering, "course_offering__id__exact"),
        # Each learner's row links to the admin's form with the offering and learner filled in.
        "accommodation_add_url": (
            f"{_admin_url(Accommodation, 'add')}?course_offering={offering.pk}"
            if _model_admin(Accommodation).has_add_permission(request)
            else ""
        ),
    }


def _grades(request: HttpRequest, offering: CourseOffering) -> dict:
    return {
        "items": gradebook_items(offering_id=offering.pk),
        "rows": gradebook_rows(offering_id=offering.pk, per_page=GRADES_SHOWN),
        "learners": gradebook_size(offering_id=offering.pk),
        "categories": [(c, CATEGORY_LABELS[c]) for c in CATEGORIES],
        "gradebook_url": reverse("admin:assessments_coursegrade_gradebook", args=[offering.pk]),
        "shown": GRADES_SHOWN,
    }


def _to_grade(request: HttpRequest, offering: CourseOffering) -> dict:
    models = {
        ContentType.ENGINEERING_LAB: LabSubmission,
        ContentType.ASSIGNMENT: AssignmentSubmission,
    }
    may_grade = {kind: _may(request, model, "change") for kind, model in models.items()}
    rows = [
        {
            "submission": submission,
            "url": _admin_url(models[kind], "change", submission.pk) if kind in models else "",
            "queue_url": reverse(
                "teaching:queue-submission",
                args=[offering.pk, submission.content_item_id, submission.pk],
            ),
            "may_grade": may_grade.get(kind, False),
        }
        for submission in course_home.submissions_to_grade(offering=offering)
        for kind in [submission.content_item.content_type]
    ]
    return {"rows": rows, "shown": course_home.SUBMISSIONS_SHOWN}


def _discussions(request: HttpRequest, offering: CourseOffering) -> dict:
    threads = [
        {
            "thread": thread,
            "url": links.page_path(
                "discussion-thread", offering_id=offering.pk, thread_id=thread.pk
            ),
        }
        for thread in course_home.offering_threads(offering=offering)
    ]
    return {
        "threads": threads,
        "reports_url": (
            _admin_url(PostReport, "changelist") if _may(request, PostReport, "view") else ""
        ),
        "threads_url": (
            _changelist(DiscussionThread, offering, "course_offering__id__exact")
            if _may(request, DiscussionThread, "view")
            else ""
        ),
    }


def _settings(request: HttpRequest, offering: CourseOffering) -> dict:
    changes = _may(request, CourseOffering, "change", offering)
    policy = GradingPolicy.objects.filter(course_offering=offering).first()
    settings_links = [
        Link(
            _("Edit the offering") if changes else _("View the offering"),
            _admin_url(CourseOffering, "change", offering.pk),
        )
    ]
    if policy is not None and _may(request, GradingPolicy, "view", policy):
        label = (
            _("Edit the grading policy")
            if _may(request, GradingPolicy, "change", policy)
            else _("View the grading policy")
        )
        settings_links.append(Link(label, _admin_url(GradingPolicy, "change", policy.pk)))
    elif policy is None and _model_admin(GradingPolicy).has_add_permission(request):
        settings_links.append(
            Link(
                _("Set a grading policy"),
                f"{_admin_url(GradingPolicy, 'add')}?course_offering={offering.pk}",
            )
        )
    if _may(request, Certificate, "view"):
        settings_links.append(
            Link(
                _("Certificates (issued when a final grade passes the policy's pass mark)"),
                _changelist(Certificate, offering, "course_offering__id__exact"),
            )
        )
    if _may(request, CourseGrade, "view"):
        settings_links.append(
            Link(
                _("Course grades"),
                _changelist(CourseGrade, offering, "course_offering__id__exact"),
            )
        )
    if administers(
        user=request.user,
        university_id=offering.university_id,
        department_id=offering.course.department_id,
    ):
        settings_links.append(
            Link(
                _("Teaching staff"),
                reverse("admin:catalog_courseoffering_staff", args=[offering.pk]),
            )
        )
    return {"settings_links": settings_links, "policy": policy}


def _analytics(request: HttpRequest, offering: CourseOffering) -> dict:
    return {
        "analytics": course_home.offering_analytics(offering=offering),
        "active_days": course_home.ACTIVE_DAYS,
    }


TAB_CONTEXT: dict[str, Callable[[HttpRequest, CourseOffering], dict]] = {
    "outline": _outline,
    "people": _people,
    "grades": _grades,
    "to-grade": _to_grade,
    "discussions": _discussions,
    "settings": _settings,
    "analytics": _analytics,
}


def offering_home(request: HttpRequest, offering_id: int, tab: str = "outline") -> HttpResponse:
    """A course home: the offering's tabs, each scoped to what the user may see."""
    if tab not in TAB_CONTEXT:
        raise Http404("No such tab.")
    offering = offering_for_teaching(user=request.user, offering_id=offering_id)
    tabs = [
        {
            "slug": slug,
            "label": label,
            "url": reverse("teaching:offering-tab", args=[offering.pk, slug]),
            "current": slug == tab,
        }
        for slug, label in TABS
    ]
    title = f"{offering.course.code}: {offering.course.title}"
    return _page(
        request,
        "staff/teaching/offering.html",
        title,
        offering=offering,
        tabs=tabs,
        tab=tab,
        tab_template=f"staff/teaching/tabs/{tab.replace('-', '_')}.html",
        **TAB_CONTEXT[tab](request, offering),
    )
