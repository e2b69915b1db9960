"""Model-level permissions that follow from a user's roles in `user_university_roles`.

`RolePermissionBackend` never authenticates anyone (ModelBackend checks the password); it only
answers "may this user view/add/change/delete this kind of row at all". Which rows is a separate
question, answered by tenant scoping (tenancy.scoping): a university admin may change courses,
but only the courses of their universities. Object-level questions (`has_perm(perm, obj)`) are
left to django-guardian, whose object permissions catalog.services grants to an offering's staff.

Platform admins and superusers hold every permission. Every other role gets what
`ROLE_PERMISSIONS` lists for it: role -> {(app_label, model_name): actions}. A user with
several roles gets the union.

Adding permissions for a new model
----------------------------------
Call `register_role_permissions` once at import time, from the app that owns the model (its
admin module or `AppConfig.ready()`), for example in assessments/quizzes/admin.py::

    from tenancy.auth import ALL, VIEW, register_role_permissions
    from tenancy.models import Role

    register_role_permissions(
        "assessments",
        "questionpool",
        {Role.UNIVERSITY_ADMIN: ALL, Role.DEPARTMENT_ADMIN: ALL, Role.INSTRUCTOR: ALL,
         Role.TA: VIEW},
    )

Registration only adds actions (it never takes away what another module granted), so several
modules may register the same model. Grants to teaching assistants are held to
`ta_allowed_actions`: whatever is registered for them, they grade, moderate and view. The
model name is the lower-case class name, as in the permission codename
`assessments.view_questionpool`.
"""

from collections.abc import Iterable, Mapping

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import Permission

from tenancy.models import Role, User

ACTIONS = frozenset({"view", "add", "change", "delete"})
ALL = ACTIONS
VIEW = frozenset({"view"})
EDIT = frozenset({"view", "change"})
MODERATE = frozenset({"view", "change", "delete"})

ROLE_PERMISSIONS: dict[str, dict[tuple[str, str], frozenset[str]]] = {
    role: {} for role in Role.values if role != Role.PLATFORM_ADMIN
}

# Teaching assistants grade, moderate and view. What shapes a course (its modules and content,
# lab files and hidden tests, module templates, question pools) and its policies (grading
# policies, offering settings) is changed by its instructor. Every grant to TAs, from whichever
# module registers it, is held to this rule.
TA_GRADES = frozenset(
    ("assessments", model) for model in ("quizattempt", "labsubmission", "assignmentsubmission")
)
TA_MODERATES = frozenset({"community"})  # app labels


def ta_allowed_actions(app_label: str, model: str) -> frozenset[str]:
    """The most a teaching assistant may ever do with `app_label.model`."""
    if (app_label, model) in TA_GRADES:
        return EDIT
    if app_label in TA_MODERATES:
        return MODERATE
    return VIEW


def teaching_actions(user, app_label: str, model: str) -> frozenset[str]:
    """What object permissions from teaching (django-guardian grants to an offering's staff,
    whatever their role) may let `user` do with `app_label.model`: a user whose only staff
    role is TA stays within `ta_allowed_actions`."""
    roles = {role for _, role, _ in user.role_rows} - {Role.STUDENT}
    if user.is_superuser or roles != {Role.TA}:
        return ACTIONS
    return ta_allowed_actions(app_label, model)


def register_role_permissions(
    app_label: str, model: str, roles_to_actions: Mapping[str, Iterable[str]]
) -> None:
    """Grant each role the given actions on `app_label.model`, in addition to what it has."""
    key = (app_label, model.lower())
    for role, actions in roles_to_actions.items():
        if role not in ROLE_PERMISSIONS:
            raise ValueError(f"Role {role!r} cannot be given permissions in the table.")
        wanted = frozenset(actions)
        if not wanted <= ACTIONS:
            raise ValueError(f"Unknown actions {sorted(wanted - ACTIONS)} for {key}.")
        if role == Role.TA:
            wanted &= ta_allowed_actions(*key)
        ROLE_PERMISSIONS[role][key] = ROLE_PERMISSIONS[role].get(key, frozenset()) | wanted


def role_permissions(roles: Iterable[str]) -> set[str]:
    """The permission names ("app_label.action_model") that `roles` together hold."""
    perms: set[str] = set()
    for role in set(roles):
        for (app_label, model), actions in ROLE_PERMISSIONS.get(role, {}).items():
            perms.update(f"{app_label}.{action}_{model}" for action in actions)
    return perms


class RolePermissionBackend(BaseBackend):
    """Answers model-level permission checks from roles; authenticates nobody."""

    def authenticate(self, request, **credentials) -> None:
        return None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        cached = getattr(user_obj, "_role_perm_cache", None)
        if cached is None:
            cached = self._load(user_obj)
            user_obj._role_perm_cache = cached
        return cached

    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        return self.get_all_permissions(user_obj, obj)

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        prefix = f"{app_label}."
        return any(perm.startswith(prefix) for perm in self.get_all_permissions(user_obj))

    @staticmethod
    def _load(user: User) -> set[str]:
        if user.is_platform_admin:
            return {
                f"{app_label}.{codename}"
                for app_label, codename in Permission.objects.values_list(
                    "content_type__app_label", "codename"
                )
            }
        return role_permissions(role for _, role, _ in user.role_rows)


# The roles of issue #2: what each role may do in the admin. Scoping decides which rows.

_ADMINS = (Role.UNIVERSITY_ADMIN, Role.DEPARTMENT_ADMIN)
_TEACHERS = (Role.INSTRUCTOR, Role.TA)


def _grant(app_label: str, models: Iterable[str], roles_to_actions: Mapping) -> None:
    for model in models:
        register_role_permissions(app_label, model, roles_to_actions)


# Tenancy: a university admin runs their university (not the list of countries or universities).
_grant("tenancy", ["country"], {role: VIEW for role in _ADMINS})
_grant("tenancy", ["university"], {Role.UNIVERSITY_ADMIN: EDIT, Role.DEPARTMENT_ADMIN: VIEW})
_grant("tenancy", ["department"], {Role.UNIVERSITY_ADMIN: ALL, Role.DEPARTMENT_ADMIN: VIEW})
# Accounts are platform-wide: university admins edit the people of their university (see
# tenancy.admin) but add people by invitation, never by creating an account.
_grant("tenancy", ["user"], {Role.UNIVERSITY_ADMIN: EDIT, Role.DEPARTMENT_ADMIN: VIEW})
_grant("tenancy", ["useruniversityrole"], {Role.UNIVERSITY_ADMIN: ALL})
_grant("tenancy", ["rolechange"], {Role.UNIVERSITY_ADMIN: VIEW})

# Catalog: the taxonomy is shared reference data; courses and offerings belong to a tenant.
_grant("catalog", ["domain", "subject"], {role: VIEW for role in (*_ADMINS, *_TEACHERS)})
_grant(
    "catalog",
    [
        "course",
        "coursesubject",
        "courseprerequisite",
        "courseoffering",
        "courseofferinginstructor",
        "courseenrollment",
    ],
    {**{role: ALL for role in _ADMINS}, **{role: VIEW for role in _TEACHERS}},
)

# Syllabus and content: staff of a course shape its modules and items (TAs look; see above).
_grant("syllabus", ["moduletemplate"], {role: VIEW for role in (*_ADMINS, *_TEACHERS)})
_grant(
    "content",
    [
        "asset",
        "contentitem",
        "videoitem",
        "quizitem",
        "engineeringlabitem",
        "textitem",
        "assignmentitem",
        "resourceitem",
    ],
    {role: ALL for role in (*_ADMINS, *_TEACHERS)},
)
_grant("syllabus", ["module"], {role: ALL for role in (*_ADMINS, *_TEACHERS)})

# Assessments: progress is the learners' record, staff read it; grading is staff work.
_grant(
    "assessments",
    ["usermoduleprogress", "usercontentprogress", "certificate"],
    {**{role: EDIT for role in _ADMINS}, **{role: VIEW for role in _TEACHERS}},
)
_grant(
    "assessments",
    ["quizattempt", "labsubmission", "coursegrade", "gradingpolicy"],
    {role: ALL for role in (*_ADMINS, *_TEACHERS)},
)

# Community: staff moderate the discussions and reviews of their offerings.
_grant(
    "community",
    ["discussionthread", "discussionpost", "coursereview", "reviewreply", "postreport"],
    {role: MODERATE for role in (*_ADMINS, *_TEACHERS)},
)
