"""Who may import questions into a course's pools or export them: staff who may add questions
(university and department admins, instructors; not teaching assistants, who only view pools)
and only for the courses in their tenant scope, as the question pool admin scopes them."""

from django.db.models import QuerySet

from catalog.models import Course
from catalog.scoping import paths_via_course
from tenancy.models import User
from tenancy.scoping import scoped

COURSE_PATHS = {"university": "university", "department": "department", "course": "pk"}
POOL_PATHS = paths_via_course("course")


def may_author_questions(user: User) -> bool:
    return user.is_active and user.has_perm("assessments.add_question")


def courses_for_question_authoring(user: User) -> QuerySet[Course]:
    """The courses whose question pools `user` may write into, none without the permission."""
    if not may_author_questions(user):
        return Course.objects.none()
    return scoped(Course.objects.select_related("university"), user, COURSE_PATHS).order_by(
        "code", "pk"
    )
