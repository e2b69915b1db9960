from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from catalog.models import Course, CourseOffering, CourseOfferingInstructor, Subject
from tenancy.models import User

# What teaching an offering lets a member of its staff do, as guardian object permissions.
OFFERING_PERMS = ("catalog.view_courseoffering", "catalog.change_courseoffering")
COURSE_PERMS = ("catalog.view_course", "catalog.change_course")


@transaction.atomic
def offering_instructor_add(*, offering: CourseOffering, user: User) -> CourseOfferingInstructor:
    """Make `user` staff of `offering` and grant the object permissions that go with it."""
    link, _ = CourseOfferingInstructor.objects.get_or_create(course_offering=offering, user=user)
    for perm in OFFERING_PERMS:
        assign_perm(perm, user, offering)
    course = Course.objects.get(pk=offering.course_id)
    for perm in COURSE_PERMS:
        assign_perm(perm, user, course)
    return link


@transaction.atomic
def offering_instructor_remove(*, offering: CourseOffering, user: User) -> None:
    """Remove `user` from the offering's staff; keep course rights while they teach another run."""
    CourseOfferingInstructor.objects.filter(course_offering=offering, user=user).delete()
    for perm in OFFERING_PERMS:
        remove_perm(perm, user, offering)
    still_teaches = CourseOfferingInstructor.objects.filter(
        user=user, course_offering__course_id=offering.course_id
    ).exists()
    if not still_teaches:
        course = Course.objects.get(pk=offering.course_id)
        for perm in COURSE_PERMS:
            remove_perm(perm, user, course)


@transaction.atomic
def subject_delete(*, subject: Subject) -> None:
    """Delete a subject; its children become roots, as the contract's ON DELETE SET NULL says."""
    subject = Subject.objects.select_for_update().get(pk=subject.pk)
    for child in list(subject.get_children()):
        child.refresh_from_db()
        child.move_to(None)
    Subject.objects.get(pk=subject.pk).delete()
