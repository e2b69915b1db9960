"""How catalog's rows hang off the tenant hierarchy, written down for tenancy's scoping and
access modules (which name no model above them): the tenant paths of rows that belong to a
course or an offering, the paths from universities and departments down to their courses and
offerings, and where teaching is recorded. `tenant_scoping_register` runs from
CatalogConfig.ready()."""

from django.db.models import Q

from tenancy.access import holds_role_at_sql, register_teaching_source
from tenancy.models import Department, University, User
from tenancy.scoping import register_tenant_paths

# What teaching an object is recorded as in django-guardian (see catalog.services).
_GUARDIAN_MODELS = {"course": "course", "courseoffering": "offering"}


def paths_via_offering(prefix: str) -> dict[str, str]:
    """Tenant paths of a model that belongs to an offering through `prefix`."""
    return {
        "university": f"{prefix}__university",
        "department": f"{prefix}__course__department",
        "course": f"{prefix}__course",
        "offering": prefix,
    }


def paths_via_course(prefix: str) -> dict[str, str]:
    """Tenant paths of a model that belongs to a course through `prefix`."""
    return {
        "university": f"{prefix}__university",
        "department": f"{prefix}__department",
        "course": prefix,
    }


def holds_role_at_offering_sql(user_id: str) -> str:
    """tenancy.access.holds_role_at_sql for the university of the offering given as the
    parameter %(offering_id)s."""
    return holds_role_at_sql(
        user_id, "(SELECT o.university_id FROM course_offerings o WHERE o.id = %(offering_id)s)"
    )


def taught_courses_and_offerings(user: User) -> tuple[set[int], set[int]]:
    """(course ids, offering ids) `user` is on the staff of (course_offering_instructors) or
    holds django-guardian object permissions on."""
    from guardian.models import GroupObjectPermission, UserObjectPermission

    courses: set[int] = set()
    offerings: set[int] = set()
    for offering_id, course_id in user.taught_offerings.values_list("pk", "course_id"):
        offerings.add(offering_id)
        courses.add(course_id)
    granted = Q(content_type__app_label="catalog", content_type__model__in=_GUARDIAN_MODELS)
    rows = list(
        UserObjectPermission.objects.filter(granted, user_id=user.pk).values_list(
            "content_type__model", "object_pk"
        )
    )
    rows += GroupObjectPermission.objects.filter(granted, group__user=user.pk).values_list(
        "content_type__model", "object_pk"
    )
    for model, object_pk in rows:
        (courses if _GUARDIAN_MODELS[model] == "course" else offerings).add(int(object_pk))
    return courses, offerings


def tenant_scoping_register() -> None:
    register_teaching_source(taught_courses_and_offerings)
    # Those who teach a course or an offering see its university and department in the admin.
    register_tenant_paths(University, {"course": "courses", "offering": "offerings"})
    register_tenant_paths(Department, {"course": "courses", "offering": "courses__offerings"})
