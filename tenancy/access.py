"""Who administers what: the one answer every admin page, portal page, selector and task asks.

Everything here follows from a user's rows in `user_university_roles` (loaded once per user
object, see `User.role_rows`) and, for teaching, from course_offering_instructors and the
django-guardian object permissions catalog.services grants to an offering's staff:

- platform admins and superusers administer everything;
- a university admin administers their universities, and everything in them;
- a department admin administers the courses (and their offerings) of their department;
- instructors and TAs teach the offerings they are staff of; teaching is not administering.

People. Accounts are platform-wide, so what staff may see of a person follows from the
person's roles, never from an enrollment someone else made: the staff of a university see
the people who hold a role there (`visible_people_q`), and a university admin edits the profile
of someone whose every role is at universities they administer (`can_edit_profile`).

Nothing here names a higher app's models, relations or tables: how teaching is recorded
(course_offering_instructors, guardian's object permissions) is read by the source catalog
registers from its AppConfig.ready() (`register_teaching_source`), and filters on rows of the
apps above take the paths to their university and department from the caller.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q

from tenancy.models import Role, University, User, UserUniversityRole

Visitor = User | AnonymousUser

# Who teaches what is recorded by the app that owns courses and offerings: each source answers
# (course ids, offering ids) a user teaches or holds object permissions on.
TeachingSource = Callable[[User], tuple[Iterable[int], Iterable[int]]]
_TEACHING_SOURCES: list[TeachingSource] = []


def register_teaching_source(source: TeachingSource) -> None:
    """Add where teaching is recorded (catalog registers its own from its AppConfig.ready())."""
    if source not in _TEACHING_SOURCES:
        _TEACHING_SOURCES.append(source)


def role_rows(user: Visitor) -> list[tuple[int, str, int | None]]:
    """(university_id, role, department_id) for every role `user` holds; none when anonymous."""
    return user.role_rows if user.is_authenticated else []


def sees_everything(user: Visitor) -> bool:
    """Platform admins and superusers (active ones) administer every university."""
    return bool(user.is_authenticated and user.is_active and user.is_platform_admin)


def member_university_ids(user: Visitor) -> frozenset[int]:
    """Universities where `user` holds any role: they see its private offerings."""
    return frozenset(university_id for university_id, _, _ in role_rows(user))


def primary_university_id(user: Visitor) -> int | None:
    """The university a user's activity is counted under (log lines, metrics): the one they
    hold a role at, the lowest id when several; None for visitors and role-less accounts."""
    return min(member_university_ids(user), default=None)


def administered_university_ids(user: Visitor) -> frozenset[int]:
    """Universities `user` is a university admin of (platform admins: see sees_everything)."""
    return frozenset(
        university_id for university_id, role, _ in role_rows(user) if role == Role.UNIVERSITY_ADMIN
    )


def administered_department_ids(user: Visitor) -> frozenset[int]:
    """Departments `user` is a department admin of."""
    return frozenset(
        department_id
        for _, role, department_id in role_rows(user)
        if role == Role.DEPARTMENT_ADMIN and department_id is not None
    )


def staffed_university_ids(user: Visitor) -> frozenset[int]:
    """Universities where `user` holds a staff role (whose people they may therefore see)."""
    return frozenset(
        university_id
        for university_id, role, _ in role_rows(user)
        if role in Role.staff_roles() and role != Role.PLATFORM_ADMIN
    )


def staff_university_ids(user: Visitor) -> set[int] | None:
    """The universities whose shared material (assets, module templates) `user` may use, beside
    the platform-wide pool; None for every university (platform admins)."""
    if sees_everything(user):
        return None
    return set(staffed_university_ids(user))


def administers(*, user: Visitor, university_id: int, department_id: int | None) -> bool:
    """Whether `user` administers a course of `university_id` in `department_id`: a platform
    admin, an admin of the university, or an admin of that department in it."""
    if sees_everything(user):
        return True
    for role_university_id, role, role_department_id in role_rows(user):
        if role_university_id != university_id:
            continue
        if role == Role.UNIVERSITY_ADMIN:
            return True
        if role == Role.DEPARTMENT_ADMIN and department_id and role_department_id == department_id:
            return True
    return False


def can_administer_university(user: Visitor, university: University | int) -> bool:
    """University admins run their university (its roles, its people); platform admins all."""
    university_id = university.pk if isinstance(university, University) else university
    return sees_everything(user) or university_id in administered_university_ids(user)


def administered_q(user: Visitor, *, university: str, department: str) -> Q:
    """A filter on rows whose university id is at the path `university` and department id at
    `department` (for rows reaching an offering, "course_offering__university_id" and
    "course_offering__course__department_id"): the rows `user` administers (not those they only
    teach)."""
    if sees_everything(user):
        return Q()
    condition = Q(pk__in=[])
    for university_id, role, department_id in role_rows(user):
        if role == Role.UNIVERSITY_ADMIN:
            condition |= Q(**{university: university_id})
        elif role == Role.DEPARTMENT_ADMIN and department_id is not None:
            condition |= Q(**{university: university_id, department: department_id})
    return condition


def administrators_among(
    *, user_ids: set[int], university_id: int, department_id: int | None
) -> set[int]:
    """Which of `user_ids` administer a course of `university_id` in `department_id` (the
    question `administers` answers, for many people in one query)."""
    admin_roles = Q(role=Role.PLATFORM_ADMIN) | Q(
        university_id=university_id, role=Role.UNIVERSITY_ADMIN
    )
    if department_id is not None:
        admin_roles |= Q(
            university_id=university_id, role=Role.DEPARTMENT_ADMIN, department_id=department_id
        )
    found = set(
        UserUniversityRole.objects.filter(admin_roles, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    found |= set(
        User.objects.filter(pk__in=user_ids, is_superuser=True).values_list("pk", flat=True)
    )
    return found


def taught_ids(user: Visitor) -> tuple[frozenset[int], frozenset[int]]:
    """(course ids, offering ids) `user` teaches or holds object permissions on."""
    if not user.is_authenticated or not user.role_rows:
        return frozenset(), frozenset()
    courses: set[int] = set()
    offerings: set[int] = set()
    for source in _TEACHING_SOURCES:
        taught_courses, taught_offerings = source(user)
        courses.update(taught_courses)
        offerings.update(taught_offerings)
    return frozenset(courses), frozenset(offerings)


@dataclass(frozen=True)
class TenantScope:
    everything: bool = False
    university_ids: frozenset[int] = frozenset()
    department_ids: frozenset[int] = frozenset()
    course_ids: frozenset[int] = frozenset()
    offering_ids: frozenset[int] = frozenset()


def tenant_scope(user: Visitor) -> TenantScope:
    """The user's tenants, loaded once per user object (that is, once per request)."""
    if not user.is_authenticated or not user.is_active:
        return TenantScope()
    cached = user.__dict__.get("_tenant_scope")
    if cached is not None:
        return cached
    if sees_everything(user):
        scope = TenantScope(everything=True)
    else:
        courses, offerings = taught_ids(user)
        scope = TenantScope(
            university_ids=administered_university_ids(user),
            department_ids=administered_department_ids(user),
            course_ids=courses,
            offering_ids=offerings,
        )
    user.__dict__["_tenant_scope"] = scope
    return scope


def forget_tenant_scope(user: User) -> None:
    """Drop what was loaded about the user's roles, after they change."""
    for name in ("role_rows", "_tenant_scope", "_role_perm_cache", "_perm_cache"):
        user.__dict__.pop(name, None)


# People -------------------------------------------------------------------------------------


def visible_people_q(actor: Visitor, prefix: str = "") -> Q:
    """A filter on User (or, with `prefix` such as "user__", on a relation to it): the people
    whose name and profile `actor` may see as staff, those holding a role at a university where
    the actor holds a staff role. Platform admins see everyone."""
    if sees_everything(actor):
        return Q()
    universities = sorted(staffed_university_ids(actor))
    if not universities:
        return Q(pk__in=[])
    return Q(**{f"{prefix}university_roles__university_id__in": universities})


def holds_role_at_q(*, user_ref: str, university_ref: str) -> Q:
    """A filter on rows naming a person and a university (an enrollment: "user",
    "course_offering__university"): the person holds a role at that university, the one way
    their name reaches its staff. Lists of people in an offering apply it, so someone enrolled
    without a role there (before enrolling granted one, or whose role was revoked) is not shown
    by name."""
    roles = UserUniversityRole.objects.filter(
        user_id=OuterRef(user_ref), university_id=OuterRef(university_ref)
    )
    return Q(Exists(roles))


def holds_role_at_sql(user_id: str, university_id: str) -> str:
    """holds_role_at_q for reads written in SQL: the person `user_id` (a column) holds a role
    at the university `university_id` (a column or a subquery)."""
    return (
        "EXISTS (SELECT 1 FROM user_university_roles r"
        f" WHERE r.user_id = {user_id} AND r.university_id = {university_id})"
    )


def holds_role_at(user: User, university_id: int, *, role: str | None = None) -> bool:
    """Whether `user` holds a role (`role`, or any) at `university_id`."""
    return any(
        row_university == university_id and role in (None, row_role)
        for row_university, row_role, _ in user.role_rows
    )


def can_edit_profile(actor: Visitor, user: User) -> bool:
    """A person's profile belongs to their whole account: a university admin edits it only
    when every role the person holds (at least one) is at a university they administer, and
    never a platform admin's. Platform admins edit everyone's."""
    if sees_everything(actor):
        return True
    if user.is_platform_admin or not user.role_rows:
        return False
    mine = administered_university_ids(actor)
    return all(university_id in mine for university_id, _, _ in user.role_rows)
