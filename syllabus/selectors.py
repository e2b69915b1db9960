from dataclasses import dataclass
from typing import TypedDict

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from catalog.models import (
    CourseOffering,
    EnrollmentStatus,
)
from catalog.selectors.visibility import offering_relation
from syllabus import tree
from syllabus.models import ModuleTemplate
from tenancy.access import staff_university_ids
from tenancy.models import User


def templates_for_staff(*, user: User) -> QuerySet[ModuleTemplate]:
    """The module templates `user` may see: those of the universities where they are staff and
    the platform-wide ones (every template for platform admins)."""
    templates = ModuleTemplate.objects.all()
    universities = staff_university_ids(user)
    if universities is None:
        return templates
    return templates.filter(Q(university_id__in=universities) | Q(university__isnull=True))


def templates_for_university(*, university_id: int) -> QuerySet[ModuleTemplate]:
    """The module templates that may be added to a course of the university: its own and the
    platform-wide ones."""
    return ModuleTemplate.objects.filter(
        Q(university_id=university_id) | Q(university__isnull=True)
    )


class OutlineRow(TypedDict):
    id: int
    parent_id: int | None
    title: str
    module_type: str
    depth: int
    sequence_index: int
    is_published: bool


def outline_rows(*, course_id: int, published_only: bool) -> list[OutlineRow]:
    """The course's module tree as plain rows in outline (pre-)order, in one query.

    With `published_only`, a module is kept only when it and every ancestor are published, so
    unpublishing a unit hides its whole subtree. Archived modules (and what is under them) are
    left out for everyone. Plain SQL rather than the ORM: the player
    reads courses of thousands of modules through it.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT id, parent_module_id, title, module_type, depth, sequence_index,
                   is_published, {tree.SQL_SUBTREE_END_COLUMNS}, archived_at IS NOT NULL
            FROM modules
            WHERE course_id = %s
            ORDER BY {tree.sql_outline_order()}
            """,
            [course_id],
        )
        rows = cursor.fetchall()
    result: list[OutlineRow] = []
    hidden = tree.SubtreeSkip()
    for id_, parent_id, title, module_type, depth, seq, published, *end, gone in rows:
        if hidden.skips(end):
            continue
        if gone or (published_only and not published):  # archived: in no outline at all
            hidden.start(end)
            continue
        result.append(
            OutlineRow(
                id=id_,
                parent_id=parent_id,
                title=title,
                module_type=module_type,
                depth=depth,
                sequence_index=seq,
                is_published=published,
            )
        )
    return result


LEARNING_STATUSES = frozenset({EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED})


@dataclass(frozen=True)
class LearningAccess:
    """What a user may do in the player of one offering.

    Students with an active or completed enrollment learn and have their progress recorded;
    the offering's staff see everything (unpublished modules and inactive items included) and
    record nothing.
    """

    offering: CourseOffering
    enrollment_status: str | None
    is_staff: bool

    @property
    def may_learn(self) -> bool:
        return self.is_staff or self.enrollment_status in LEARNING_STATUSES

    @property
    def records_progress(self) -> bool:
        return not self.is_staff and self.enrollment_status in LEARNING_STATUSES

    @property
    def sees_hidden(self) -> bool:
        return self.is_staff


def offering_for_learner(*, user: User, offering_id: int) -> LearningAccess:
    """The offering `offering_id` as `user` may see it in the player, in one query.

    Raises Http404 alike when the offering does not exist and when its course is unpublished and
    the user has nothing to do with it, so ids do not reveal drafts. A published course's
    offering comes back with `may_learn` False for outsiders; the caller sends them to the
    course page.
    """
    relation = offering_relation(
        user=user, offering_id=offering_id, related=("course", "university")
    )
    if relation is None:
        raise Http404("No such offering.")
    offering, status = relation.offering, relation.enrollment_status
    access = LearningAccess(offering=offering, enrollment_status=status, is_staff=relation.is_staff)
    if not access.may_learn and not offering.course.is_published and status is None:
        raise Http404("No such offering.")
    return access
