"""Tenant scoping: which rows a member of staff may see, in selectors and in the admin.

A model says how its rows hang off the tenant hierarchy with `tenant_paths`, a dict with any of
the keys "university", "department", "course" and "offering", each an ORM path from the model
(or a tuple of paths, any of which may match). For an enrollment::

    {"university": "course_offering__university",
     "department": "course_offering__course__department",
     "course": "course_offering__course",
     "offering": "course_offering"}

The app owning the courses and offerings writes these for its own models and for those above
it (catalog.scoping.paths_via_offering and paths_via_course); the paths from tenancy's own
models down to courses and offerings, which tenancy cannot name, are added by that app with
`register_tenant_paths` from its AppConfig.ready(). An empty dict marks shared reference data
(countries, domains, subjects): every member of staff who may view the model sees all of it.

Who sees what (`scope_q`, from the user's tenants in tenancy.access.tenant_scope):
- platform admins and superusers: everything;
- university admins: rows whose "university" path is one of their universities;
- department admins: rows whose "department" path is one of their departments; a model without
  a "department" path shows them nothing (unless it is reference data);
- everyone: rows of the offerings and courses they teach (course_offering_instructors, and
  django-guardian object permissions on courses and offerings). A model with an "offering" path
  is matched by offering, so the instructor of one run of a course does not see another run's
  students; a model with only a "course" path is matched by course.

`TenantScopedAdmin` applies the same rule to an admin by construction: its changelist, change,
delete and history pages (another tenant's row is a 404, like a missing one), the choices of
foreign keys and many-to-many fields (taken from the target model's registered admin), its
related-field list filters and autocomplete results, and a check on save that the row stays in
the user's scope.
"""

from collections.abc import Mapping
from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from tenancy.access import TenantScope, holds_role_at_q, tenant_scope
from tenancy.auth import teaching_actions

TENANT_KEYS = ("university", "department", "course", "offering")
TenantPaths = Mapping[str, str | tuple[str, ...]]


def _as_tuple(paths: str | tuple[str, ...]) -> tuple[str, ...]:
    return (paths,) if isinstance(paths, str) else tuple(paths)


# Paths added to a model's own by the apps above it: "app_label.model" -> key -> paths.
_REGISTERED_PATHS: dict[str, dict[str, tuple[str, ...]]] = {}


def register_tenant_paths(model: type[models.Model], tenant_paths: TenantPaths) -> None:
    """Add paths to those `model`'s admin declares (an app above tenancy saying how its courses
    and offerings hang off a university or a department)."""
    unknown = set(tenant_paths) - set(TENANT_KEYS)
    if unknown:
        raise ValueError(f"Unknown tenant path keys: {sorted(unknown)}")
    registered = _REGISTERED_PATHS.setdefault(model._meta.label_lower, {})
    for key, paths in tenant_paths.items():
        new = tuple(p for p in _as_tuple(paths) if p not in registered.get(key, ()))
        registered[key] = registered.get(key, ()) + new


def tenant_paths_for(model: type[models.Model], own: TenantPaths) -> TenantPaths:
    """`own` paths of `model`, with those registered for it by the apps above."""
    registered = _REGISTERED_PATHS.get(model._meta.label_lower)
    if not registered:
        return own
    paths: dict[str, str | tuple[str, ...]] = dict(own)
    for key, added in registered.items():
        if key not in paths:
            paths[key] = added[0] if len(added) == 1 else added
        else:
            present = _as_tuple(paths[key])
            paths[key] = present + tuple(p for p in added if p not in present)
    return paths


def _matches(scope: TenantScope, tenant_paths: TenantPaths) -> list[tuple[str, frozenset[int]]]:
    """(path, allowed ids) pairs; a row in scope matches at least one of them."""
    unknown = set(tenant_paths) - set(TENANT_KEYS)
    if unknown:
        raise ValueError(f"Unknown tenant path keys: {sorted(unknown)}")
    pairs = []
    for key, ids in (("university", scope.university_ids), ("department", scope.department_ids)):
        if ids and key in tenant_paths:
            pairs += [(path, ids) for path in _as_tuple(tenant_paths[key])]
    if "offering" in tenant_paths:
        teaching = ("offering", scope.offering_ids)
    else:
        teaching = ("course", scope.course_ids)
    key, ids = teaching
    if ids and key in tenant_paths:
        pairs += [(path, ids) for path in _as_tuple(tenant_paths[key])]
    return pairs


def scope_q(user, tenant_paths: TenantPaths) -> Q:
    """A filter on a model with `tenant_paths`: the rows `user` may see as staff."""
    scope = tenant_scope(user)
    if scope.everything or (not tenant_paths and user.is_authenticated):
        return Q()
    condition = Q(pk__in=[])
    for path, ids in _matches(scope, tenant_paths):
        condition |= Q(**{f"{path}__in": sorted(ids)})
    return condition


def _is_multivalued(model: type[models.Model], path: str) -> bool:
    for name in path.split("__"):
        if name == "pk":
            return False
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def scoped(queryset: QuerySet, user, tenant_paths: TenantPaths) -> QuerySet:
    """`queryset` narrowed to what `user` may see; each row once, even across to-many paths."""
    condition = scope_q(user, tenant_paths)
    if not condition:
        return queryset
    model = queryset.model
    paths = [p for value in tenant_paths.values() for p in _as_tuple(value)]
    if any(_is_multivalued(model, path) for path in paths):
        return queryset.filter(pk__in=model._default_manager.filter(condition).values("pk"))
    return queryset.filter(condition)


def _value_at(instance: models.Model, path: str) -> Any:
    """The id a single-valued path leads to on an unsaved instance (None when unset)."""
    names = path.split("__")
    current: Any = instance
    for index, name in enumerate(names):
        if current is None:
            return None
        if name == "pk":
            return current.pk
        field = current._meta.get_field(name)
        if index == len(names) - 1:
            return getattr(current, field.attname) if field.concrete else None
        try:
            current = getattr(current, name)
        except ObjectDoesNotExist:
            return None
    return current


def instance_in_scope(user, instance: models.Model, tenant_paths: TenantPaths) -> bool:
    """Whether a row about to be saved lies in the user's scope. Paths through to-many
    relations cannot be read off an unsaved row; they are checked where those rows are
    edited (the admin of users checks their roles)."""
    scope = tenant_scope(user)
    if scope.everything or not tenant_paths:
        return True
    model = type(instance)
    single = {
        key: tuple(p for p in _as_tuple(paths) if not _is_multivalued(model, p))
        for key, paths in tenant_paths.items()
    }
    if not any(single.values()):
        return True
    return any(_value_at(instance, path) in ids for path, ids in _matches(scope, single))


def _scope_violation(user, verbose_name: str) -> str:
    scope = tenant_scope(user)
    places = []
    if scope.university_ids:
        places.append(_("your universities"))
    if scope.department_ids:
        places.append(_("your departments"))
    if scope.course_ids or scope.offering_ids:
        places.append(_("the courses you teach"))
    where = _(" or ").join(places) or _("your university")
    return _("You can only save %(things)s that belong to %(where)s.") % {
        "things": verbose_name,
        "where": where,
    }


def tenant_checked_form(form_class: type, user, tenant_paths: TenantPaths) -> type:
    """`form_class` with a check, after the instance is built, that it stays in scope."""

    class TenantCheckedForm(form_class):
        def _post_clean(self) -> None:
            super()._post_clean()
            if self.errors or (self.instance.pk and not self.has_changed()):
                return
            if not instance_in_scope(user, self.instance, tenant_paths):
                self.add_error(
                    None, _scope_violation(user, self._meta.model._meta.verbose_name_plural)
                )

    TenantCheckedForm.__name__ = form_class.__name__
    return TenantCheckedForm


def related_choices(model_admin, model: type[models.Model], request: HttpRequest) -> QuerySet:
    """The rows of `model` the user may pick: those its registered admin shows them. A model
    without an admin offers its rows to platform admins only."""
    try:
        related_admin = model_admin.admin_site.get_model_admin(model)
    except NotRegistered:
        rows = model._default_manager.all()
        return rows if tenant_scope(request.user).everything else rows.none()
    rows = related_admin.get_queryset(request)
    ordering = related_admin.get_ordering(request)
    return rows.order_by(*ordering) if ordering else rows


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A related-field filter offering only the rows the user may see."""

    def field_choices(self, field, request, model_admin):
        target = field.target_field.attname
        rows = related_choices(model_admin, field.related_model, request)
        return [(getattr(row, target), str(row)) for row in rows]


class _TenantScopedBase:
    """What model admins and inlines share: scoped rows and scoped choices."""

    tenant_paths: ClassVar[TenantPaths] = {}
    # The relation to the person a row is about ("user"): rows show only people holding a role
    # at the row's university (tenancy.access.holds_role_at_q); platform admins, who see
    # everyone (tenancy.access.visible_people_q), see every row.
    person_field: ClassVar[str] = ""

    def all_tenant_paths(self) -> TenantPaths:
        """`tenant_paths` with what the apps above registered for the model."""
        return tenant_paths_for(self.model, self.tenant_paths)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = scoped(super().get_queryset(request), request.user, self.all_tenant_paths())
        if self.person_field and not tenant_scope(request.user).everything:
            university = _as_tuple(self.all_tenant_paths()["university"])[0]
            rows = rows.filter(
                holds_role_at_q(user_ref=self.person_field, university_ref=university)
            )
        return rows

    def get_field_queryset(self, db, db_field, request: HttpRequest) -> QuerySet:
        return related_choices(self, db_field.remote_field.model, request).using(db)

    def _object_permission(self, request: HttpRequest, action: str, obj) -> bool:
        if obj is None:
            return False
        opts = self.opts
        if action not in teaching_actions(request.user, opts.app_label, opts.model_name):
            return False
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}", obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) or any(
            self._object_permission(request, action, obj) for action in ("view", "change")
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) or self._object_permission(
            request, "change", obj
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) or self._object_permission(
            request, "delete", obj
        )

    def tenant_fields(self) -> list[str]:
        """The model's own fields that place a row in a tenant (first steps of its paths)."""
        names = []
        for paths in self.all_tenant_paths().values():
            for path in _as_tuple(paths):
                name = path.split("__")[0]
                try:
                    field = self.opts.get_field(name)
                except FieldDoesNotExist:
                    continue
                if field.concrete and field.editable and name not in names:
                    names.append(name)
        return names

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        """Someone who may change a row only through an object permission (an instructor
        editing their offering) may not move it to another tenant."""
        fields = list(super().get_readonly_fields(request, obj))
        opts = self.opts
        model_level = request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        if obj is not None and not model_level:
            fields += [name for name in self.tenant_fields() if name not in fields]
        return fields


class TenantScopedAdmin(_TenantScopedBase, admin.ModelAdmin):
    """A ModelAdmin whose rows, choices and filters are those of the user's tenants.

    Set `tenant_paths` (see the module docstring). Related fields in `list_filter` given by name
    get `ScopedRelatedFieldListFilter`; foreign-key choices, raw-id lookups and autocomplete
    results come from the target model's admin, so they are scoped when that admin is.
    """

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No %(name)s with that id.") % {"name": self.opts.verbose_name})
        return obj

    def _university_columns(self, request: HttpRequest) -> frozenset[str]:
        """Names of the university column and filter, when the user works in one university
        only: the column would repeat one name on every row and the filter offer one choice."""
        user = request.user
        if tenant_scope(user).everything or len({row[0] for row in user.role_rows}) != 1:
            return frozenset()
        return frozenset({"university", *_as_tuple(self.all_tenant_paths().get("university", ()))})

    def get_list_display(self, request: HttpRequest):
        hidden = self._university_columns(request)
        return [item for item in super().get_list_display(request) if item not in hidden]

    def get_list_filter(self, request: HttpRequest):
        hidden = self._university_columns(request)
        return [
            self._scoped_filter(item)
            for item in super().get_list_filter(request)
            if item not in hidden
        ]

    def _scoped_filter(self, item):
        if not isinstance(item, str):
            return item
        try:
            field = get_fields_from_path(self.model, item)[-1]
        except (FieldDoesNotExist, NotRelationField):
            return item
        return (item, ScopedRelatedFieldListFilter) if field.is_relation else item

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return tenant_checked_form(form, request.user, self.all_tenant_paths())


class _TenantScopedInline(_TenantScopedBase):
    def get_formset(self, request: HttpRequest, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = tenant_checked_form(formset.form, request.user, self.all_tenant_paths())
        return formset


class TenantScopedTabularInline(_TenantScopedInline, admin.TabularInline):
    pass


class TenantScopedStackedInline(_TenantScopedInline, admin.StackedInline):
    pass
