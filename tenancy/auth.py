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
Call `register_role_permissions` from the app that owns the model (its `permissions` module,
which its `AppConfig.ready()` runs, or its admin module), for example in
assessments/quizzes/admin.py::

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
`ta_allowed_actions`: whatever is registered for them, they view, and grade or moderate where
the owning app says so with `register_ta_limit`. Tenancy names no model of the apps above it;
each app registers its own (catalog/permissions.py, assessments/permissions.py, ...). The
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

# The staff roles as the apps' permission tables group them.
ADMIN_ROLES = (Role.UNIVERSITY_ADMIN, Role.DEPARTMENT_ADMIN)
TEACHING_ROLES = (Role.INSTRUCTOR, Role.TA)

ROLE_PERMISSIONS: dict[str, dict[tuple[str, str], frozenset[str]]] = {
    role: {} for role in Role.values if role != Role.PLATFORM_ADMIN
}

# Teaching assistants grade, moderate and view. What shapes a course (its modules and content,
# lab files and hidden tests, module templates, question pools) and its policies (grading
# policies, offering settings) is changed by its instructor. Every grant to TAs, from whichever
# module registers it, is held to this rule: VIEW, unless the app owning a model registers more
# with `register_ta_limit` (the grading models of assessments, the moderated apps).
_TA_LIMITS: dict[tuple[str, str | None], frozenset[str]] = {}
# What was asked for teaching assistants, before the rule: a limit registered after a grant
# (app registrations run in any order) still applies to it, and widens it up to what was asked.
_TA_REQUESTED: dict[tuple[str, str], frozenset[str]] = {}


def ta_allowed_actions(app_label: str, model: str) -> frozenset[str]:
    """The most a teaching assistant may ever do with `app_label.model`."""
    limit = _TA_LIMITS.get((app_label, model))
    if limit is None:
        limit = _TA_LIMITS.get((app_label, None), VIEW)
    return limit


def register_ta_limit(app_label: str, actions: Iterable[str], *, model: str | None = None) -> None:
    """Let teaching assistants do at most `actions` with `app_label.model` (with every model of
    the app when `model` is None). Called by the app that owns the models."""
    wanted = frozenset(actions)
    if not wanted <= ACTIONS:
        raise ValueError(f"Unknown actions {sorted(wanted - ACTIONS)} for {app_label}.{model}.")
    _TA_LIMITS[(app_label, model.lower() if model else None)] = wanted
    for key, requested in _TA_REQUESTED.items():
        if key[0] == app_label and (model is None or key[1] == model.lower()):
            ROLE_PERMISSIONS[Role.TA][key] = requested & ta_allowed_actions(*key)


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
            _TA_REQUESTED[key] = _TA_REQUESTED.get(key, frozenset()) | wanted
            wanted &= ta_allowed_actions(*key)
        ROLE_PERMISSIONS[role][key] = ROLE_PERMISSIONS[role].get(key, frozenset()) | wanted


def register_models_permissions(
    app_label: str, models: Iterable[str], roles_to_actions: Mapping[str, Iterable[str]]
) -> None:
    """`register_role_permissions` for several models of one app given the same grants."""
    for model in models:
        register_role_permissions(app_label, model, roles_to_actions)


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
