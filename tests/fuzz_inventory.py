"""Every learner page and every custom admin page, with the query parameters and form fields
it reads, as data for the input fuzz (tests/test_input_fuzz.py).

An endpoint's URL is built from the real objects of the seeded `input_world`; `role` names the
login that may use it (an attribute of the world, or "anonymous"). `params` are the names the
view reads from the query string (GET) or the form (POST); `files` the upload fields;
`page_form` says the page's own form is read first and its fields (quiz answers, editors
whose field names depend on the data) join `params` with the values the page rendered.

`inventory_names` and `EXCLUDED` cover the URL resolver: a new learner, account or custom
admin URL that is in neither fails `test_the_inventory_covers_every_page`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.assignments.models import AssignmentSubmission
from assessments.deadlines.models import CalendarFeed
from assessments.labs.models import LabSubmission
from catalog.models import CourseEnrollment, CourseOfferingInstructor, Invitation
from community.models import CourseReview, DiscussionPost
from content.models import Asset, ContentItem
from content.rendering import asset_ids
from notifications.kinds import KINDS
from notifications.services import notify
from syllabus.models import Module, ModuleTemplate
from tests.fuzz_support import PROJECT_APPS
from tests.input_world import InputWorld

# Namespaces every pattern of which is a page of this site.
SITE_NAMESPACES = ("portal", "accounts", "teaching")


@dataclass(frozen=True)
class Endpoint:
    name: str  # URL name, namespaced
    method: str  # GET or POST
    role: str  # an InputWorld role, or "anonymous"
    kwargs: Callable[[InputWorld], dict[str, Any]] = lambda w: {}
    params: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    base: Callable[[InputWorld], dict[str, Any]] = lambda w: {}
    page_form: bool = False
    path_fuzz: tuple[str, ...] = field(default=())  # path kwargs that take any text

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}"

    def url(self, world: InputWorld) -> str:
        return reverse(self.name, kwargs=self.kwargs(world))


# Objects of the world the InputWorld dataclass does not name -----------------------------------


def module_of(world: InputWorld) -> Module:
    return (
        Module.objects.filter(course_id=world.offering.course_id, parent__isnull=False)
        .order_by("tree_id", "lft")
        .first()
    )


def root_of(world: InputWorld) -> Module:
    return Module.objects.filter(course_id=world.offering.course_id, parent__isnull=True).first()


def asset_item(world: InputWorld) -> tuple[int, int]:
    """(item id, asset id) of an item of the offering that shows an uploaded asset."""
    items = ContentItem.objects.filter(course_id=world.offering.course_id).order_by("pk")
    for item in items:
        ids = sorted(asset_ids(item.content_type, item.data_json))
        if ids:
            return item.pk, ids[0]
    return world.items["video"].pk, 0


def asset_id(world: InputWorld) -> int:
    asset = Asset.objects.filter(university=world.university).order_by("pk").first()
    return asset.pk if asset else 0


def starter_path(world: InputWorld) -> str:
    paths = (world.items["engineering_lab"].data_json or {}).get("files") or []
    for entry in paths:
        if isinstance(entry, dict) and entry.get("path"):
            return entry["path"]
    return "main.py"


def own_post(world: InputWorld) -> DiscussionPost:
    post = (
        DiscussionPost.objects.filter(
            thread__course_offering=world.offering, user=world.student, is_deleted=False
        )
        .order_by("pk")
        .first()
    )
    return post or world.post


def post_kwargs(world: InputWorld) -> dict[str, int]:
    post = own_post(world)
    return {"offering_id": world.offering.pk, "thread_id": post.thread_id, "post_id": post.pk}


def review_of_instructor(world: InputWorld) -> CourseReview:
    review = (
        CourseReview.objects.filter(
            course_offering_id__in=CourseOfferingInstructor.objects.filter(
                user=world.instructor
            ).values("course_offering_id")
        )
        .order_by("pk")
        .first()
    )
    return review or world.review


def review_kwargs(world: InputWorld) -> dict[str, int]:
    review = review_of_instructor(world)
    return {"course_id": review.course_offering.course_id, "review_id": review.pk}


def invitation_token(world: InputWorld) -> str:
    invitation = Invitation.objects.order_by("pk").first()
    return invitation.token if invitation else "no-such-invitation"


def feed_token(world: InputWorld) -> str:
    """The student's calendar feed token; a placeholder until a reset in the fuzz makes one."""
    feed = CalendarFeed.objects.filter(user=world.student).first()
    return feed.token if feed else f"{world.student.pk}.no-such-secret"


def notification_kwargs(world: InputWorld) -> dict[str, int]:
    """One notification of the student's, written through the service the apps call."""
    notify(
        recipient=world.student,
        kind="announcement",
        event_key="fuzz-announcement",
        title=lambda: "Lab moved to Thursday",
        link="/my/",
    )
    notification = world.student.notifications.order_by("pk").first()
    return {"notification_id": notification.pk if notification else 0}


def assignment_submission_id(world: InputWorld) -> int:
    row = AssignmentSubmission.objects.filter(course_offering=world.offering).first()
    return row.pk if row else 0


def lab_submission_id(world: InputWorld) -> int:
    if world.lab_submission is not None:
        return world.lab_submission.pk
    row = LabSubmission.objects.filter(course_offering=world.offering).first()
    return row.pk if row else 0


def enrollment_id(world: InputWorld) -> int:
    row = CourseEnrollment.objects.get(course_offering=world.offering, user=world.student)
    return row.pk


def template_id(world: InputWorld) -> int:
    row = ModuleTemplate.objects.order_by("pk").first()
    return row.pk if row else 0


def reset_kwargs(world: InputWorld) -> dict[str, str]:
    user = world.student
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


# Shorthands for the path arguments ---------------------------------------------------------


def offering(w: InputWorld) -> dict[str, int]:
    return {"offering_id": w.offering.pk}


def item(kind: str) -> Callable[[InputWorld], dict[str, int]]:
    return lambda w: {"offering_id": w.offering.pk, "item_id": w.items[kind].pk}


def attempt(w: InputWorld) -> dict[str, int]:
    a = w.attempt
    return {"offering_id": a.course_offering_id, "item_id": a.content_item_id, "attempt_id": a.pk}


def thread(w: InputWorld) -> dict[str, int]:
    return {"offering_id": w.offering.pk, "thread_id": w.thread.pk}


def course(w: InputWorld) -> dict[str, int]:
    return {"course_id": w.offering.course_id}


def quiz_pool_id(w: InputWorld) -> int:
    return int(w.items["quiz"].data_json["question_pool_id"])


def admin_offering(w: InputWorld) -> list[int]:
    return {"offering_id": w.offering.pk}


def code(w: InputWorld) -> dict[str, str]:
    return {"code": w.certificate_code or "no-such-code"}


def E(name: str, method: str, role: str, **kwargs: Any) -> Endpoint:
    return Endpoint(name=name, method=method, role=role, **kwargs)


STUDENT, INSTRUCTOR, UNI_ADMIN = "student", "instructor", "university_admin"
ANON, PLATFORM = "anonymous", "platform_admin"

CATALOG_FILTERS = (
    "q",
    "university",
    "country",
    "domain",
    "subject",
    "level",
    "language",
    "open_now",
    "page",
)

ACCOUNTS = [
    E("accounts:login", "GET", ANON, params=("next",)),
    E(
        "accounts:login",
        "POST",
        ANON,
        params=("username", "password", "next"),
        base=lambda w: {"username": w.student.email, "password": "wrong"},
    ),
    E("accounts:logout", "POST", STUDENT, params=("next",)),
    E("accounts:signup", "GET", ANON),
    E(
        "accounts:signup",
        "POST",
        ANON,
        params=("full_name", "email", "password1", "password2"),
        base=lambda w: {"full_name": "New Learner", "email": "new.learner@example.org"},
    ),
    E("accounts:profile", "GET", STUDENT),
    E(
        "accounts:profile",
        "POST",
        STUDENT,
        params=("full_name", "locale", "time_zone"),
        page_form=True,
    ),
    E("accounts:password-change", "GET", STUDENT),
    E(
        "accounts:password-change",
        "POST",
        STUDENT,
        params=("old_password", "new_password1", "new_password2"),
    ),
    E("accounts:password-reset", "GET", ANON),
    E("accounts:password-reset", "POST", ANON, params=("email",)),
    E("accounts:password-reset-done", "GET", ANON),
    E(
        "accounts:password-reset-confirm",
        "GET",
        ANON,
        kwargs=reset_kwargs,
        path_fuzz=("uidb64", "token"),
    ),
    E(
        "accounts:password-reset-confirm",
        "POST",
        ANON,
        kwargs=lambda w: {"uidb64": reset_kwargs(w)["uidb64"], "token": "set-password"},
        params=("new_password1", "new_password2"),
    ),
    E("accounts:password-reset-complete", "GET", ANON),
]

PORTAL = [
    E("portal:catalog", "GET", ANON, params=CATALOG_FILTERS),
    E("portal:catalog", "GET", STUDENT, params=CATALOG_FILTERS),
    E("portal:course-detail", "GET", STUDENT, kwargs=course),
    E("portal:enroll", "POST", STUDENT, kwargs=lambda w: {"offering_id": w.completed.pk}),
    E("portal:drop", "GET", STUDENT, kwargs=offering),
    E("portal:drop", "POST", STUDENT, kwargs=offering),
    E("portal:dashboard", "GET", STUDENT),
    E("portal:outline", "GET", STUDENT, kwargs=offering, params=("branch",)),
    E(
        "portal:outline-branch",
        "GET",
        STUDENT,
        kwargs=lambda w: {"offering_id": w.offering.pk, "module_id": module_of(w).pk},
    ),
    E("portal:item", "GET", STUDENT, kwargs=item("text")),
    E("portal:item", "GET", STUDENT, kwargs=item("video"), params=("t",)),
    E("portal:course-search", "GET", STUDENT, kwargs=offering, params=("q",)),
    E("portal:item-complete", "POST", STUDENT, kwargs=item("text")),
    E("portal:item-progress", "POST", STUDENT, kwargs=item("video"), params=("percent",)),
    E("portal:item-captions", "GET", STUDENT, kwargs=item("video")),
    E(
        "portal:item-asset",
        "GET",
        STUDENT,
        kwargs=lambda w: dict(
            zip(
                ("offering_id", "item_id", "asset_id"),
                (w.offering.pk, *asset_item(w)),
                strict=True,
            )
        ),
    ),
    E("portal:lab", "GET", STUDENT, kwargs=item("engineering_lab")),
    E("portal:lab", "POST", STUDENT, kwargs=item("engineering_lab"), files=("files",)),
    E(
        "portal:lab-file",
        "GET",
        STUDENT,
        kwargs=lambda w: {**item("engineering_lab")(w), "file_path": starter_path(w)},
        path_fuzz=("file_path",),
    ),
    E(
        "portal:lab-submission-download",
        "GET",
        STUDENT,
        kwargs=lambda w: {**item("engineering_lab")(w), "submission_id": lab_submission_id(w)},
    ),
    E("portal:assignment", "GET", STUDENT, kwargs=item("assignment")),
    E(
        "portal:assignment",
        "POST",
        STUDENT,
        kwargs=item("assignment"),
        params=("text", "url"),
        files=("files",),
        base=lambda w: {"text": "My answer."},
    ),
    E("portal:quiz", "GET", STUDENT, kwargs=item("quiz")),
    E("portal:quiz-start", "POST", STUDENT, kwargs=item("quiz")),
    E("portal:quiz-attempt", "GET", STUDENT, kwargs=attempt),
    E(
        "portal:quiz-attempt",
        "POST",
        STUDENT,
        kwargs=attempt,
        params=("action", "flagged", "deadline"),
        page_form=True,
    ),
    E("portal:quiz-result", "GET", STUDENT, kwargs=attempt),
    E("portal:discussions", "GET", STUDENT, kwargs=offering, params=("show", "module", "page")),
    E("portal:thread-create", "GET", STUDENT, kwargs=offering, params=("item", "module")),
    E(
        "portal:thread-create",
        "POST",
        STUDENT,
        kwargs=offering,
        params=("title", "body", "module", "item"),
        base=lambda w: {"title": "A question", "body": "What does this mean?"},
    ),
    E("portal:thread", "GET", STUDENT, kwargs=thread),
    E("portal:thread-reply", "POST", STUDENT, kwargs=thread, params=("body", "parent")),
    E("portal:thread-lock", "POST", INSTRUCTOR, kwargs=thread, params=("value",)),
    E("portal:thread-pin", "POST", INSTRUCTOR, kwargs=thread, params=("value",)),
    E("portal:thread-follow", "POST", STUDENT, kwargs=thread, params=("value",)),
    E("portal:post-edit", "GET", STUDENT, kwargs=post_kwargs),
    E("portal:post-edit", "POST", STUDENT, kwargs=post_kwargs, params=("body",)),
    E("portal:post-delete", "POST", STUDENT, kwargs=post_kwargs),
    E("portal:post-report", "GET", STUDENT, kwargs=post_kwargs),
    E("portal:post-report", "POST", STUDENT, kwargs=post_kwargs, params=("reason", "details")),
    E("portal:post-answer", "POST", INSTRUCTOR, kwargs=post_kwargs, params=("value",)),
    E("portal:discussion-notifications", "GET", STUDENT),
    E("portal:discussion-notifications", "POST", STUDENT, params=("mode",)),
    E("portal:course-reviews", "GET", STUDENT, kwargs=course, params=("page",)),
    E(
        "portal:review-submit",
        "POST",
        STUDENT,
        kwargs=lambda w: {"course_id": w.completed.course_id},
        params=("offering", "rating", "review_text", "display_name", "next"),
        base=lambda w: {"offering": w.completed.pk, "rating": "4", "display_name": "full_name"},
    ),
    E("portal:review-reply", "POST", INSTRUCTOR, kwargs=review_kwargs, params=("body", "next")),
    E(
        "portal:review-hide",
        "POST",
        INSTRUCTOR,
        kwargs=review_kwargs,
        params=("hidden", "reason", "next"),
    ),
    E("portal:grades", "GET", STUDENT, kwargs=offering),
    E("portal:certificate-verify", "GET", ANON, kwargs=code, path_fuzz=("code",)),
    E("portal:certificate-pdf", "GET", ANON, kwargs=code, path_fuzz=("code",)),
    E(
        "portal:invitation",
        "GET",
        STUDENT,
        kwargs=lambda w: {"token": invitation_token(w)},
        path_fuzz=("token",),
    ),
    E("portal:invitation", "POST", STUDENT, kwargs=lambda w: {"token": invitation_token(w)}),
    E("portal:calendar", "GET", STUDENT, params=("month", "view")),
    E("portal:course-calendar", "GET", STUDENT, kwargs=offering, params=("month", "view")),
    E("portal:calendar-feed-reset", "POST", STUDENT),
    E("portal:course-image", "GET", ANON, kwargs=course),
    E("portal:notifications", "GET", STUDENT),
    E("portal:notification-read", "POST", STUDENT, kwargs=notification_kwargs, params=("open",)),
    E("portal:notifications-read-all", "POST", STUDENT),
    E("portal:notification-preferences", "POST", STUDENT, params=tuple(KINDS)),
    E(
        "portal:announcement-create",
        "POST",
        INSTRUCTOR,
        kwargs=offering,
        params=("title", "body"),
        page_form=True,
    ),
    E(
        "portal:calendar-feed",
        "GET",
        ANON,
        kwargs=lambda w: {"token": feed_token(w)},
        path_fuzz=("token",),
    ),
]


def admin_item(w: InputWorld) -> dict[str, int]:
    return {"item_id": w.items["text"].pk}


def admin_module(w: InputWorld) -> dict[str, int]:
    return {"module_id": module_of(w).pk}


ADMIN = [
    E("admin:content_contentitem_preview", "GET", INSTRUCTOR, kwargs=admin_item),
    E(
        "admin:content_contentitem_math_preview",
        "POST",
        INSTRUCTOR,
        params=("latex", "display"),
        base=lambda w: {"latex": r"\frac{1}{2}"},
    ),
    E(
        "admin:content_contentitem_move",
        "POST",
        INSTRUCTOR,
        kwargs=admin_item,
        params=("module", "position", "next"),
        base=lambda w: {"module": module_of(w).pk, "position": "1"},
    ),
    E("admin:content_contentitem_changelist", "GET", INSTRUCTOR, params=("q", "o", "p")),
    E(
        "admin:content_contentitem_change",
        "GET",
        INSTRUCTOR,
        kwargs=lambda w: {"object_id": w.items["text"].pk},
        path_fuzz=("object_id",),
    ),
    E("admin:content_asset_file", "GET", INSTRUCTOR, kwargs=lambda w: {"asset_id": asset_id(w)}),
    E(
        "admin:content_asset_thumbnail",
        "GET",
        INSTRUCTOR,
        kwargs=lambda w: {"asset_id": asset_id(w)},
    ),
    E("admin:content_asset_add", "GET", INSTRUCTOR),
    E(
        "admin:content_asset_add",
        "POST",
        INSTRUCTOR,
        params=("university", "title", "alt", "licence"),
        files=("file",),
        page_form=True,
    ),
    E(
        "admin:assessments_labsubmission_files",
        "GET",
        INSTRUCTOR,
        kwargs=lambda w: {"submission_id": lab_submission_id(w)},
    ),
    E(
        "admin:assessments_assignmentsubmission_files",
        "GET",
        INSTRUCTOR,
        kwargs=lambda w: {"submission_id": assignment_submission_id(w)},
    ),
    E("admin:syllabus_module_copy", "GET", INSTRUCTOR, kwargs=course, params=("target",)),
    E(
        "admin:syllabus_module_copy",
        "POST",
        INSTRUCTOR,
        kwargs=course,
        params=("target", "parent"),
    ),
    E("admin:syllabus_module_from_template", "GET", INSTRUCTOR, kwargs=admin_module),
    E(
        "admin:syllabus_module_from_template",
        "POST",
        INSTRUCTOR,
        kwargs=admin_module,
        params=("template", "title"),
        base=lambda w: {"template": template_id(w)},
    ),
    E("admin:syllabus_module_preview", "GET", INSTRUCTOR, kwargs=admin_module),
    E("admin:syllabus_module_tree", "GET", INSTRUCTOR, kwargs=course),
    E(
        "admin:syllabus_module_move",
        "POST",
        INSTRUCTOR,
        kwargs=admin_module,
        params=("parent", "position", "next"),
        base=lambda w: {"parent": root_of(w).pk, "position": "1"},
    ),
    E(
        "admin:syllabus_module_publish",
        "POST",
        INSTRUCTOR,
        kwargs=admin_module,
        params=("is_published", "next"),
    ),
    E("admin:assessments_gradebooks", "GET", INSTRUCTOR, params=("page",)),
    E(
        "admin:assessments_coursegrade_gradebook",
        "GET",
        INSTRUCTOR,
        kwargs=admin_offering,
        params=("page",),
    ),
    E("admin:assessments_coursegrade_gradebook_csv", "GET", INSTRUCTOR, kwargs=admin_offering),
    E(
        "admin:assessments_coursegrade_gradebook_recalculate",
        "POST",
        INSTRUCTOR,
        kwargs=admin_offering,
    ),
    E(
        "admin:assessments_coursegrade_gradebook_finalize",
        "POST",
        INSTRUCTOR,
        kwargs=admin_offering,
    ),
    E("admin:assessments_questionpool_import", "GET", INSTRUCTOR),
    E(
        "admin:assessments_questionpool_import",
        "POST",
        INSTRUCTOR,
        params=("course", "pool_title", "file_format", "payload"),
        files=("file",),
        base=lambda w: {"course": w.offering.course_id, "pool_title": "Imported"},
    ),
    E(
        "admin:assessments_questionpool_export",
        "GET",
        INSTRUCTOR,
        kwargs=lambda w: {"pool_id": quiz_pool_id(w), "file_format": "gift"},
        path_fuzz=("file_format",),
    ),
    E("admin:catalog_courseoffering_rerun", "GET", UNI_ADMIN, kwargs=admin_offering),
    E(
        "admin:catalog_courseoffering_rerun",
        "POST",
        UNI_ADMIN,
        kwargs=admin_offering,
        params=("starts_at", "term_name"),
        base=lambda w: {"starts_at": "2027-09-01T09:00"},
    ),
    E(
        "admin:catalog_courseoffering_roster",
        "GET",
        UNI_ADMIN,
        kwargs=admin_offering,
        params=("status", "q", "page"),
    ),
    E(
        "admin:catalog_courseoffering_roster",
        "POST",
        UNI_ADMIN,
        kwargs=admin_offering,
        params=("decision", "ids", "confirm", "next"),
        base=lambda w: {"decision": "drop", "ids": enrollment_id(w)},
    ),
    E("admin:catalog_courseoffering_roster_enroll", "GET", UNI_ADMIN, kwargs=admin_offering),
    E(
        "admin:catalog_courseoffering_roster_enroll",
        "POST",
        UNI_ADMIN,
        kwargs=admin_offering,
        params=("payload",),
        files=("file",),
    ),
    E("admin:catalog_courseoffering_roster_export", "GET", UNI_ADMIN, kwargs=admin_offering),
    E("admin:catalog_courseoffering_staff", "GET", UNI_ADMIN, kwargs=admin_offering),
    E(
        "admin:catalog_courseoffering_staff",
        "POST",
        UNI_ADMIN,
        kwargs=admin_offering,
        params=("add", "user", "remove"),
        base=lambda w: {"add": "1", "user": w.ta.pk},
    ),
    E(
        "admin:catalog_courseoffering_roles",
        "GET",
        UNI_ADMIN,
        kwargs=lambda w: {"university_id": w.university.pk},
        params=("q",),
    ),
    E(
        "admin:catalog_courseoffering_roles",
        "POST",
        UNI_ADMIN,
        kwargs=lambda w: {"university_id": w.university.pk},
        params=("grant", "email", "role", "department", "revoke"),
        base=lambda w: {"grant": "1", "role": "student"},
    ),
    E(
        "admin:auth_user_password_change",
        "GET",
        PLATFORM,
        kwargs=lambda w: {"id": w.student.pk},
        path_fuzz=("id",),
    ),
    E(
        "admin:auth_user_password_change",
        "POST",
        PLATFORM,
        kwargs=lambda w: {"id": w.student.pk},
        params=("password1", "password2", "usable_password"),
    ),
]

# The editor of each content type: Django's change page, with this site's forms and formsets
# (rows of blocks, questions, files), whose fields are read from the page itself.
EDITORS = [
    E(
        f"admin:content_{model}_change",
        "POST",
        INSTRUCTOR,
        kwargs=lambda w, kind=kind: {"object_id": w.items[kind].pk},
        page_form=True,
    )
    for kind, model in (
        ("video", "videoitem"),
        ("text", "textitem"),
        ("quiz", "quizitem"),
        ("engineering_lab", "engineeringlabitem"),
        ("assignment", "assignmentitem"),
        ("resource", "resourceitem"),
    )
]


def queued_assignment(w: InputWorld) -> dict[str, int]:
    row = AssignmentSubmission.objects.filter(course_offering=w.offering).first()
    item_id = row.content_item_id if row else w.items["assignment"].pk
    return {"offering_id": w.offering.pk, "item_id": item_id, "submission_id": row.pk if row else 0}


def queue_item(w: InputWorld) -> dict[str, int]:
    kwargs = queued_assignment(w)
    return {"offering_id": kwargs["offering_id"], "item_id": kwargs["item_id"]}


# The staff's own pages inside the admin (staff.teaching).
TEACHING: list[Endpoint] = [
    E("teaching:admin-index", "GET", INSTRUCTOR, params=("show", "page")),
    E("teaching:home", "GET", INSTRUCTOR, params=("show", "page")),
    E("teaching:offering", "GET", INSTRUCTOR, kwargs=admin_offering),
    E(
        "teaching:offering-tab",
        "GET",
        INSTRUCTOR,
        kwargs=lambda w: {"offering_id": w.offering.pk, "tab": "people"},
        params=("page",),
        path_fuzz=("tab",),
    ),
    E("teaching:queue", "GET", INSTRUCTOR, kwargs=queue_item),
    E("teaching:queue-submission", "GET", INSTRUCTOR, kwargs=queued_assignment),
    E(
        "teaching:queue-submission",
        "POST",
        INSTRUCTOR,
        kwargs=queued_assignment,
        params=("score_override", "instructor_feedback"),
    ),
]

INVENTORY: list[Endpoint] = [*ACCOUNTS, *PORTAL, *ADMIN, *EDITORS, *TEACHING]

# URL names of this site that are deliberately not fuzzed, each with the reason.
EXCLUDED: dict[str, str] = {
    "admin_password_reset": "a fixed redirect to accounts:password-reset, which reads nothing",
}


def _patterns(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            name = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _patterns(pattern, name)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern


def all_url_names() -> set[str]:
    return {
        f"{namespace}:{pattern.name}" if namespace else pattern.name
        for namespace, pattern in _patterns(get_resolver())
        if pattern.name
    }


def site_url_names() -> set[str]:
    """Every URL name that must be fuzzed or excluded: all of portal and accounts, every
    top-level name, and every admin URL whose view is this project's code."""
    names: set[str] = set()
    for namespace, pattern in _patterns(get_resolver()):
        full = f"{namespace}:{pattern.name}" if namespace else pattern.name
        if namespace in SITE_NAMESPACES or (namespace == "" and pattern.name):
            names.add(full)
        elif namespace == "admin":
            module = getattr(pattern.callback, "__module__", "") or ""
            if module.split(".")[0] in PROJECT_APPS:
                names.add(full)
    return names


def inventory_names() -> set[str]:
    return {endpoint.name for endpoint in INVENTORY}
