"""Creating a course outside the admin (an imported package becomes a new course)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import Course
from tenancy.models import University


@transaction.atomic
def course_create(
    *,
    university: University,
    code: str,
    title: str,
    description: str = "",
    language_code: str = "en",
) -> Course:
    """A new unpublished course; ValidationError when the code is taken or a field is bad.
    The university's row is locked first, so two creations of one code take turns and the
    second is told the code is taken instead of meeting the unique index."""
    University.objects.select_for_update().filter(pk=university.pk).values_list("pk").get()
    if Course.objects.filter(university=university, code=code).exists():
        raise ValidationError(
            {
                "code": _("The university already has a course with the code %(code)s.")
                % {"code": code}
            }
        )
    course = Course(
        university=university,
        code=code,
        title=title,
        description=description or None,
        language_code=language_code,
    )
    course.full_clean(validate_constraints=False)
    course.save()
    return course
